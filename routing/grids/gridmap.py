"""The committed grid map (routing/data/grids.csv), loaded once and looked up by code, town or unit."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

GRIDS_CSV = Path(__file__).resolve().parent.parent / "data" / "grids.csv"


@dataclass(frozen=True)
class Grid:
    code: str
    level: int
    name: str
    parent_code: str
    town: str
    units: tuple[str, ...]
    worker_role: str
    worker_name: str
    worker_phone: str

    def to_dict(self) -> dict[str, Any]:
        """The ``grid`` of /api/route and of a ticket."""
        return {"code": self.code, "level": self.level, "name": self.name, "town": self.town,
                "worker": {"role": self.worker_role, "name": self.worker_name, "phone": self.worker_phone}}


class GridMap:
    def __init__(self, grids: list[Grid]):
        self.grids = {g.code: g for g in grids}
        self.first = {g.town: g for g in grids if g.level == 1}
        self.children: dict[str, list[Grid]] = {}
        self.by_unit: dict[str, list[Grid]] = {}  # unit display name -> its second-level grids
        for g in grids:
            self.children.setdefault(g.parent_code, []).append(g)
            if g.level == 2:
                for unit in g.units:
                    self.by_unit.setdefault(unit, []).append(g)

    def get(self, code: str) -> Grid | None:
        return self.grids.get(code)

    def level(self, n: int) -> list[Grid]:
        return [g for g in self.grids.values() if g.level == n]

    def town_grid(self, town: str) -> Grid:
        return self.first[town]

    def unit_grids(self, unit: str, town: str | None = None) -> list[Grid]:
        return [g for g in self.by_unit.get(unit, []) if town is None or g.town == town]


def read_grids(path: Path = GRIDS_CSV) -> list[Grid]:
    with path.open(encoding="utf-8", newline="") as f:
        return [Grid(code=r["code"], level=int(r["level"]), name=r["name"], parent_code=r["parent_code"],
                     town=r["town"], units=tuple(r["units"].split("|")), worker_role=r["worker_role"],
                     worker_name=r["worker_name"], worker_phone=r["worker_phone"]) for r in csv.DictReader(f)]


@lru_cache(maxsize=1)
def grid_map() -> GridMap:
    """The map, read on first use (never at import time)."""
    return GridMap(read_grids())
