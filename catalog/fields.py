"""The fields of an Entry: type checks for documents, and parsing of text cells (CLI, CSV, XLSX).

One parser serves ``lifebot catalog edit ID field=value``, CSV cells and XLSX cells, so a value means
the same thing wherever a maintainer types it: lists as JSON or ``|``-separated, booleans as
true/false, ``locations`` and ``source`` as JSON.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import fields
from typing import Any

from catalog.entry import KINDS, STATUSES, Entry, Location
from catalog.errors import InvalidEntry

FIELD_NAMES = tuple(f.name for f in fields(Entry))
LIST_FIELDS = ("materials", "aliases")
BOOL_FIELDS = ("online", "appointment")
JSON_FIELDS = ("locations", "source")
MANAGED_FIELDS = ("version", "updated_at")
STR_FIELDS = tuple(n for n in FIELD_NAMES if n not in LIST_FIELDS + BOOL_FIELDS + JSON_FIELDS + MANAGED_FIELDS)
# Fields a maintainer may not set with `edit` (the store manages them, or a command of their own does).
NOT_EDITABLE = {"id": "编号不可修改", "version": "版本号由系统维护", "updated_at": "更新时间由系统维护",
                "status": "请用 retire / restore 修改状态"}
LOCATION_KEYS = tuple(f.name for f in fields(Location))
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f]")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
# Chinese names of the fields, for what maintainers read.
LABELS = {"id": "编号", "name": "名称", "kind": "类型", "category": "分类", "department": "部门",
          "description": "描述", "conditions": "办理条件", "materials": "申请材料",
          "legal_time_limit": "法定时限", "promised_time_limit": "承诺时限", "fee": "收费",
          "locations": "办理地点", "online": "网上办理", "online_url": "网办地址", "phone": "电话",
          "appointment": "可预约", "aliases": "别名", "status": "状态", "source": "来源",
          "version": "版本", "updated_at": "更新时间"}
# Chinese column headers accepted on import, besides the field names themselves.
HEADER_ALIASES = {label: name for name, label in LABELS.items()}
TRUE_WORDS = {"true", "1", "yes", "是", "y"}
FALSE_WORDS = {"false", "0", "no", "否", "n", ""}


def _type_name(value: Any) -> str:
    return {str: "文本", bool: "布尔值", int: "整数", float: "数字", list: "列表", dict: "对象",
            type(None): "空值"}.get(type(value), type(value).__name__)


def field_name(header: str) -> str:
    """The field a column header names (field name or Chinese alias); unknown headers pass through."""
    header = header.strip()
    return HEADER_ALIASES.get(header, header)


def unknown_field_message(name: str) -> str:
    return f"未知字段「{name}」（可用字段：{', '.join(FIELD_NAMES)}）"


def parse_value(name: str, text: str) -> Any:
    """Turn the text a maintainer typed for field ``name`` into the field's value, or raise InvalidEntry."""
    if name not in FIELD_NAMES:
        raise InvalidEntry([unknown_field_message(name)])
    if name in STR_FIELDS or name == "updated_at":
        return text  # as typed: format_value's text must come back unchanged
    text = text.strip()
    if name in BOOL_FIELDS:
        word = text.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise InvalidEntry([f"字段 {name} 应为 true 或 false，收到「{text}」"])
    if name in LIST_FIELDS:
        if text.startswith("["):
            value = _json(name, text)
            problems = check_value(name, value)
            if problems:
                raise InvalidEntry(problems)
            return value
        return _split(text)
    if name in JSON_FIELDS:
        if not text:
            return [] if name == "locations" else {"list": "authored", "code": ""}
        value = _json(name, text)
        problems = check_value(name, value)
        if problems:
            raise InvalidEntry(problems)
        return value
    try:
        return int(text or 0)
    except ValueError:
        raise InvalidEntry([f"字段 version 应为整数，收到「{text}」"]) from None


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split("|") if part.strip()]


def _json(name: str, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidEntry([f"字段 {name} 不是合法的 JSON（{exc.msg}，第 {exc.pos + 1} 个字符）"]) from None


def format_value(name: str, value: Any) -> str:
    """The text form of a field value for CSV/XLSX cells (inverse of parse_value)."""
    if name in BOOL_FIELDS:
        return "true" if value else "false"
    if name in LIST_FIELDS:
        piped = "|".join(value)
        exact = _split(piped) == value and not piped.lstrip().startswith("[")
        return piped if exact else json.dumps(value, ensure_ascii=False)
    if name in JSON_FIELDS:
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def check_value(name: str, value: Any) -> list[str]:
    """Problems with one field value (type and allowed values); empty when it is fine."""
    if name not in FIELD_NAMES:
        return [unknown_field_message(name)]
    if _has_control(value):  # PostgreSQL cannot store \x00, XLSX no C0 control; no one means them
        return [f"字段 {name} 含有不可见的控制字符（如 \\r、\\x00），只能用普通换行 \\n 和制表符"]
    if name in STR_FIELDS or name == "updated_at":
        if not isinstance(value, str):
            return [f"字段 {name} 应为文本，实际是{_type_name(value)}"]
        if name == "id" and not ID_PATTERN.match(value):
            return [f"编号「{value}」不合法：只能用字母、数字和 _ . : -，最长 64 个字符"]
        if name == "kind" and value not in KINDS:
            return [f"类型「{value}」不存在（可选：{', '.join(KINDS)}）"]
        if name == "status" and value not in STATUSES:
            return [f"状态「{value}」不存在（可选：{', '.join(STATUSES)}）"]
        return []
    if name in BOOL_FIELDS:
        return [] if isinstance(value, bool) else [f"字段 {name} 应为 true 或 false，实际是{_type_name(value)}"]
    if name == "version":
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return [] if ok else [f"字段 version 应为非负整数，实际是{_type_name(value)}"]
    if name in LIST_FIELDS:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return [f"字段 {name} 应为文本列表（JSON 数组或用 | 分隔）"]
        return []
    if name == "source":
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            return ['字段 source 应为对象，例如 {"list": "authored", "code": ""}']
        return []
    # locations
    if not isinstance(value, list):
        return ['字段 locations 应为列表，例如 [{"name": "江阴市民中心", "address": "", "hours": ""}]']
    problems = []
    for i, loc in enumerate(value, 1):
        if isinstance(loc, Location):
            continue
        if not isinstance(loc, dict) or not isinstance(loc.get("name"), str):
            problems.append(f"locations 第 {i} 项应为含 name 的对象")
        elif set(loc) - set(LOCATION_KEYS) or not all(isinstance(v, str) for v in loc.values()):
            problems.append(f"locations 第 {i} 项只能有文本字段 {', '.join(LOCATION_KEYS)}")
    return problems


def _has_control(value: Any) -> bool:
    if isinstance(value, str):
        return CONTROL_CHARS.search(value) is not None
    if isinstance(value, dict):
        return any(_has_control(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_control(v) for v in value)
    return False


def entry_from_document(doc: dict[str, Any]) -> Entry:
    """A type-checked Entry from a JSON-like document (all problems reported at once)."""
    if not isinstance(doc, dict):
        raise InvalidEntry([f"条目应为 JSON 对象，实际是{_type_name(doc)}"])
    problems = [p for name, value in doc.items() for p in check_value(name, value)]
    for name in ("id", "name", "kind", "category", "department"):
        if name not in doc:
            problems.append(f"缺少必填字段 {name}")
    if problems:
        raise InvalidEntry(problems)
    return Entry.from_dict(doc)


def content(entry: Entry) -> dict[str, Any]:
    """The entry's fields that maintainers own: everything but the store-managed version and time."""
    data = entry.to_dict()
    for name in MANAGED_FIELDS:
        data.pop(name, None)
    return data


def content_fingerprint(entries: Iterable[Entry]) -> str:
    """sha256 of the entries' content: equal for the same entries in any database (the SQLite catalog
    and a PostgreSQL one seeded from the same files), different after any maintainer's edit."""
    digest = hashlib.sha256()
    for entry in sorted(entries, key=lambda e: e.id):
        digest.update(json.dumps(content(entry), ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
    return digest.hexdigest()


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Fields whose values differ between two content dicts: {field: (old, new)}."""
    return {name: (old.get(name), new.get(name)) for name in FIELD_NAMES
            if name not in MANAGED_FIELDS and old.get(name) != new.get(name)}


def parse_assignments(pairs: Iterable[str]) -> dict[str, Any]:
    """``field=value`` texts (as typed after ``lifebot catalog edit ID``) to parsed field values."""
    changes, problems = {}, []
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep:
            problems.append(f"「{pair}」应写成 字段=值")
            continue
        try:
            changes[name.strip()] = parse_value(name.strip(), text)
        except InvalidEntry as exc:
            problems.extend(exc.problems)
    if problems:
        raise InvalidEntry(problems)
    return changes
