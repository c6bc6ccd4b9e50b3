"""Categories of resident requests: who acts on each (department, enforcement team) and its SLA.

``routing/data/categories.csv`` maps a category to its department (names as in
catalog/data/departments.csv), one of the 7 comprehensive law-enforcement teams where enforcement
applies (``routing/data/teams.csv``), the hours within which it must be handled, and the keywords
of the keyword-rule baseline. Two categories belong to the 12345 desk itself.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
DESK_DEPARTMENT = "江阴市12345政务服务便民热线"
DISPATCH = "待人工分派"   # low confidence: the 12345 dispatch desk decides
CALLBACK = "人工回电"     # out-of-hours hand-over from the bot
URGENT = "紧急求助"       # gas, fire, violence, danger: emergency numbers first


@dataclass(frozen=True)
class Category:
    name: str
    department: str
    team: str | None
    sla_hours: int
    keywords: tuple[str, ...]


DESK_CATEGORIES = (
    Category(DISPATCH, DESK_DEPARTMENT, None, 24, ()),
    Category(CALLBACK, DESK_DEPARTMENT, None, 24, ()),
    Category(URGENT, DESK_DEPARTMENT, None, 1, ()),
)


@lru_cache(maxsize=1)
def categories() -> dict[str, Category]:
    with (DATA / "categories.csv").open(encoding="utf-8", newline="") as f:
        found = {r["category"]: Category(r["category"], r["department"], r["team"] or None, int(r["sla_hours"]),
                                         tuple(k for k in r["keywords"].split("|") if k))
                 for r in csv.DictReader(f)}
    found.update({c.name: c for c in DESK_CATEGORIES})
    return found


def routable() -> list[Category]:
    """The categories a request can be classified into (not the desk's own)."""
    return [c for c in categories().values() if c.department != DESK_DEPARTMENT]


@lru_cache(maxsize=1)
def teams() -> dict[str, str]:
    """Enforcement team -> the department it belongs to."""
    with (DATA / "teams.csv").open(encoding="utf-8", newline="") as f:
        return {r["team"]: r["department"] for r in csv.DictReader(f)}


def labelled(part: str) -> list[dict[str, str]]:
    """The labelled routing set: ``tune`` (the classifier learns from it) or ``heldout`` (bench only)."""
    if part not in ("tune", "heldout"):
        raise ValueError(f"unknown part {part!r}")
    path = DATA / "labelled" / f"{part}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
