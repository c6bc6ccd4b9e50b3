"""Catalog-wide checks for maintainers: missing fields, duplicate names, bad phone numbers, unknown
departments and categories. Errors make ``lifebot catalog validate`` exit 1; warnings do not.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from catalog.entry import Entry
from catalog.store.writer import check_entry

DATA_DIR = Path(__file__).resolve().parent / "data"
GOVERNMENT_CATEGORY_COUNT = 13

# Jiangyin landlines are 0510 + 8 digits; other area codes 0xx(x) + 7-8 digits; an extension may follow.
_LANDLINE = re.compile(r"^(0510-?\d{8}|0(?!510)\d{2,3}-?\d{7,8})((转|-|#)\d{1,5})?$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# 110/114/119/120-122, 12345-style government hotlines, 95xxx/96xxx service numbers, 400/800 numbers.
_SERVICE = re.compile(r"^(11[049]|12[0-2]|1[0-2]\d{3}|9[56]\d{3,4}|[48]00-?\d{3}-?\d{4})$")
_SEPARATORS = re.compile(r"[、,，;；/\s]+|或")


@dataclass
class Problem:
    level: str  # "error" or "warning"
    entry_id: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.entry_id} {self.field}".strip()
        return f"[{'错误' if self.level == 'error' else '提醒'}] {where}：{self.message}"


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    def add(self, level: str, entry_id: str, field_name: str, message: str) -> None:
        self.problems.append(Problem(level, entry_id, field_name, message))

    def only(self, ids: set[str]) -> Report:
        """The problems that concern the given entries (catalog-wide ones included)."""
        return Report([p for p in self.problems if p.entry_id in ids or not p.entry_id])


def _read_column(path: Path, column: str) -> list[str] | None:
    if not path.exists():
        return None
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [row[column].strip() for row in csv.DictReader(f) if row.get(column, "").strip()]


def load_departments(path: Path | None = None) -> list[str] | None:
    """Department names from departments.csv (column ``name``); None when the file is absent."""
    return _read_column(path or DATA_DIR / "departments.csv", "name")


def load_categories(path: Path | None = None) -> dict[str, set[str]] | None:
    """{kind: category names} from categories.csv (columns ``name``, ``kind``); None when absent.

    Only kinds that appear in the file have their categories checked.
    """
    path = path or DATA_DIR / "categories.csv"
    if not path.exists():
        return None
    result: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if row.get("name", "").strip():
                result[(row.get("kind") or "").strip()].add(row["name"].strip())
    return dict(result)


def bad_phone_numbers(text: str) -> list[str]:
    """The parts of a phone field that are not a valid Chinese phone or service number."""
    numbers = [n for n in _SEPARATORS.split(text.strip()) if n]
    return [n for n in numbers if not (_LANDLINE.match(n) or _MOBILE.match(n) or _SERVICE.match(n))]


def check_one(entry: Entry, report: Report, departments: set[str] | None,
              categories: Mapping[str, set[str]] | None) -> None:
    for problem in check_entry(entry):
        report.add("error", entry.id, "", problem)
    for number in bad_phone_numbers(entry.phone):
        report.add("error", entry.id, "phone",
                   f"电话号码「{number}」格式不对（应为 0510-xxxxxxxx、手机号 1xxxxxxxxxx 或 12345、96xxx 等服务号码）")
    if departments is not None and entry.department and entry.department not in departments:
        report.add("error", entry.id, "department", f"部门「{entry.department}」不在部门清单 departments.csv 中")
    known = (categories or {}).get(entry.kind)
    if known is not None and entry.category and entry.category not in known:
        report.add("error", entry.id, "category", f"分类「{entry.category}」不在 {entry.kind} 的分类清单 categories.csv 中")
    if entry.online_url and not entry.online_url.startswith(("http://", "https://")):
        report.add("error", entry.id, "online_url", f"网办地址「{entry.online_url}」应以 http:// 或 https:// 开头")
    if entry.status != "active":
        return
    if not entry.description.strip():
        report.add("warning", entry.id, "description", "缺少事项描述")
    if not entry.phone.strip():
        report.add("warning", entry.id, "phone", "缺少咨询电话")
    if entry.online and not entry.online_url:
        report.add("warning", entry.id, "online_url", "可网上办理但缺少网办地址")
    if entry.kind == "government":
        for name, label in (("materials", "申请材料"), ("locations", "办理地点"),
                            ("promised_time_limit", "承诺时限"), ("conditions", "办理条件")):
            if not getattr(entry, name):
                report.add("warning", entry.id, name, f"缺少{label}")


def validate(entries: Iterable[Entry], departments: Iterable[str] | None = None,
             categories: Mapping[str, Iterable[str]] | None = None) -> Report:
    """Check every entry and the catalog as a whole. ``None`` skips that check; ``categories``
    maps a kind to its category names (kinds not in it are not checked)."""
    entries = list(entries)
    report = Report()
    dept_set = set(departments) if departments is not None else None
    cat_set = {kind: set(names) for kind, names in categories.items()} if categories is not None else None
    by_name: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        check_one(entry, report, dept_set, cat_set)
        if entry.status == "active" and entry.name.strip():
            by_name[entry.name.strip()].append(entry.id)
    for name, ids in sorted(by_name.items()):
        if len(ids) > 1:
            for entry_id in ids:
                others = "、".join(i for i in ids if i != entry_id)
                report.add("error", entry_id, "name", f"名称「{name}」与 {others} 重复")
    gov_categories = {e.category for e in entries if e.kind == "government" and e.status == "active"}
    if gov_categories and len(gov_categories) != GOVERNMENT_CATEGORY_COUNT:
        report.add("warning", "", "category",
                   f"政务服务共有 {len(gov_categories)} 个分类，应为 {GOVERNMENT_CATEGORY_COUNT} 个")
    return report


def check_in_catalog(entries: Iterable[Entry], entry: Entry, departments: Iterable[str] | None = None,
                     categories: Mapping[str, Iterable[str]] | None = None) -> Report:
    """The problems ``entry`` would have if it replaced its namesake in ``entries``."""
    others = [e for e in entries if e.id != entry.id]
    return validate([*others, entry], departments, categories).only({entry.id})
