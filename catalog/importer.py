"""Import entries from CSV, XLSX or JSONL: plan (diff + validation) first, then one transaction.

A row whose id exists updates only the columns it has (an export re-imported changes nothing); a new
id creates an entry and needs every required field. ``version`` and ``updated_at`` columns are
ignored: the store sets them. Any problem in any row means nothing is written.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog.entry import Entry
from catalog.errors import CatalogError, InvalidEntry
from catalog.fields import FIELD_NAMES, MANAGED_FIELDS, diff, entry_from_document, field_name, parse_value
from catalog.fields import content as content_of
from catalog.store import CatalogStore
from catalog.validate import Report, validate

FORMATS = ("csv", "xlsx", "jsonl")


@dataclass
class Plan:
    added: list[Entry] = field(default_factory=list)
    changed: list[tuple[Entry, dict[str, tuple[Any, Any]]]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    base_versions: dict[str, int] = field(default_factory=dict)  # id -> version the diff is against
    row_errors: list[str] = field(default_factory=list)
    report: Report = field(default_factory=Report)

    @property
    def ok(self) -> bool:
        return not self.row_errors and not self.report.errors


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("json", "ndjson"):
        suffix = "jsonl"
    if suffix not in FORMATS:
        raise InvalidEntry([f"无法识别文件格式「{path.suffix}」：请用 .csv、.xlsx 或 .jsonl，或加 --format"])
    return suffix


def _decode(raw: bytes, encodings: tuple[str, ...]) -> str:
    """Text of a file: UTF-8, or for CSV also GB18030 (what Excel on a Chinese Windows saves)."""
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidEntry([f"无法识别文件编码（试过 {'、'.join(encodings)}），请另存为 UTF-8"])


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table_rows(header: list[Any], body: list[tuple[int, list[Any]]]) -> list[tuple[int, dict[str, Any], list[str]]]:
    names = [field_name(_cell_text(h)) for h in header]
    unknown = [n for n in names if n and n not in FIELD_NAMES]
    if unknown:
        raise InvalidEntry([f"表头中有未知字段：{', '.join(unknown)}（可用字段：{', '.join(FIELD_NAMES)}）"])
    result = []
    for number, cells in body:
        if all(_cell_text(c).strip() == "" for c in cells):
            continue
        doc: dict[str, Any] = {}
        problems: list[str] = []
        for name, cell in zip(names, cells, strict=False):  # short rows: absent columns
            if not name or name in MANAGED_FIELDS:
                continue
            try:
                doc[name] = parse_value(name, _cell_text(cell))
            except InvalidEntry as exc:
                problems.extend(exc.problems)
        result.append((number, doc, problems))
    return result


def read_rows(path: Path, fmt: str | None = None) -> list[tuple[int, dict[str, Any], list[str]]]:
    """(line or row number, field values, problems) for every non-empty row of the file."""
    fmt = fmt or detect_format(path)
    if fmt == "csv":
        table = list(csv.reader(io.StringIO(_decode(path.read_bytes(), ("utf-8-sig", "gb18030")), newline="")))
        if not table:
            raise InvalidEntry(["文件是空的"])
        return _table_rows(table[0], [(i, row) for i, row in enumerate(table[1:], 2)])
    if fmt == "xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise InvalidEntry([f"无法读取 XLSX 文件：{exc}"]) from None
        table = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
        if not table:
            raise InvalidEntry(["文件是空的"])
        return _table_rows(table[0], [(i, row) for i, row in enumerate(table[1:], 2)])
    result = []
    for number, line in enumerate(_decode(path.read_bytes(), ("utf-8-sig",)).splitlines(), 1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            result.append((number, {}, [f"不是合法的 JSON（{exc.msg}）"]))
            continue
        if not isinstance(doc, dict):
            result.append((number, {}, ["每行应为一个 JSON 对象"]))
            continue
        result.append((number, {k: v for k, v in doc.items() if k not in MANAGED_FIELDS}, []))
    return result


def plan(store: CatalogStore, path: Path, fmt: str | None = None, departments: list[str] | None = None,
         categories: dict[str, set[str]] | None = None) -> Plan:
    """What importing ``path`` would do, with every problem found; changes nothing."""
    result = Plan()
    current = {e.id: e for e in store.entries(include_retired=True)}
    seen: dict[str, int] = {}
    for number, doc, problems in read_rows(path, fmt):
        where = f"第 {number} 行"
        entry_id = doc.get("id")
        if problems:
            result.row_errors.extend(f"{where}：{p}" for p in problems)
            continue
        if not isinstance(entry_id, str) or not entry_id.strip():
            result.row_errors.append(f"{where}：缺少编号 id")
            continue
        if entry_id in seen:
            result.row_errors.append(f"{where}：编号 {entry_id} 与第 {seen[entry_id]} 行重复")
            continue
        seen[entry_id] = number
        old = current.get(entry_id)
        merged = {**old.to_dict(), **doc} if old else doc
        try:
            entry = entry_from_document(merged)
        except InvalidEntry as exc:
            result.row_errors.extend(f"{where}（{entry_id}）：{p}" for p in exc.problems)
            continue
        if old is None:
            result.added.append(entry)
        else:
            result.base_versions[entry_id] = old.version
            changes = diff(content_of(old), content_of(entry))
            if changes:
                result.changed.append((entry, changes))
            else:
                result.unchanged.append(entry_id)
    touched = {e.id: e for e in result.added} | {e.id: e for e, _ in result.changed}
    after = {**current, **touched}
    result.report = validate(after.values(), departments, categories).only(set(touched))
    return result


def apply(store: CatalogStore, planned: Plan, author: str, reason: str) -> int:
    """Write a plan in one transaction; returns how many entries changed. Refuses a plan with errors."""
    if not planned.ok:
        raise InvalidEntry(planned.row_errors + [str(p) for p in planned.report.errors])
    with store.write(author, reason) as writer:
        for entry in planned.added:
            writer.put(entry, expect="new")
        for entry, _ in planned.changed:
            current = writer.get(entry.id)
            if current is None or current.version != planned.base_versions[entry.id]:
                raise CatalogError(f"条目 {entry.id} 在导入期间被别人修改了，未写入任何条目，请重新导入")
            writer.put(entry, expect="existing")
    return len(planned.added) + len(planned.changed)


def render(planned: Plan) -> str:
    lines = [f"新增 {len(planned.added)} 条，修改 {len(planned.changed)} 条，未变 {len(planned.unchanged)} 条"]
    lines += [f"  + {e.id} {e.name}" for e in planned.added]
    for entry, changes in planned.changed:
        lines.append(f"  ~ {entry.id} {entry.name}")
        lines += [f"      {name}: {old!r} -> {new!r}" for name, (old, new) in changes.items()]
    errors = planned.row_errors + [str(p) for p in planned.report.errors]
    lines.append(f"校验：{len(errors)} 个错误，{len(planned.report.warnings)} 个提醒")
    lines += [f"  {e}" for e in errors] + [f"  {w}" for w in planned.report.warnings]
    return "\n".join(lines)
