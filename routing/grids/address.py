"""Free Chinese text -> town, village/community and grid, or a "which town?" question.

"华士镇华西村" resolves to 华西村's second-level grid; "澄江街道某某小区" to 澄江街道's first-level
grid (a housing estate is not in the division list: the street's grid centre assigns it);
"徐霞客镇上" to 徐霞客镇; a village name found in two towns (街西村) or no place at all gets a
question instead of a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from catalog.simplified import to_simplified
from routing.grids.gridmap import Grid, GridMap, grid_map

# Names residents use for places folded into another first-level grid (see generate.py).
TOWN_ALIASES = {
    "江阴高新区": "江阴高新技术产业开发区", "高新区": "江阴高新技术产业开发区",
    "高新技术产业开发区": "江阴高新技术产业开发区", "江阴靖江工业园区": "江阴高新技术产业开发区",
    "靖江工业园区": "江阴高新技术产业开发区", "青阳园区": "青阳镇", "月城园区": "月城镇",
    "临港经济开发区": "夏港街道", "临港开发区": "夏港街道",
}
# What residents call a village whose registered name differs (华西村 is registered as 华西新市村).
UNIT_ALIASES = {"华西村": "华西新市村", "华西": "华西新市村"}
ASK_TOWN = "请问是在哪个镇（街道）？比如“华士镇华西村”“澄江街道某某小区”。"
CELL = re.compile(r"第([0-9一二三四五六七八九十]+)网格")
CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九十")}


@dataclass
class Place:
    town: str | None = None
    unit: str | None = None
    grid: Grid | None = None
    question: str | None = None
    options: list[str] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        return self.grid is not None

    def to_dict(self) -> dict[str, Any]:
        return {"town": self.town, "village": self.unit, "grid": self.grid.to_dict() if self.grid else None,
                "question": self.question, "options": self.options}


class AddressResolver:
    def __init__(self, grids: GridMap):
        self.grids = grids
        towns: dict[str, str] = dict(TOWN_ALIASES)
        for town in grids.first:
            towns[town] = town
            for suffix in ("街道", "镇"):
                if town.endswith(suffix) and len(town) - len(suffix) >= 2:
                    towns[town[: -len(suffix)]] = town
        self.towns = towns
        units: dict[str, str] = {unit: unit for unit in grids.by_unit}
        town_shorts = {alias for alias in towns}
        for unit in grids.by_unit:
            if unit.endswith("村") and len(unit) >= 3 and unit[:-1] not in town_shorts:
                units.setdefault(unit[:-1], unit)
        units.update(UNIT_ALIASES)
        self.units = units
        self._town_re = _alternation(towns)
        self._unit_re = _alternation(units)

    def resolve(self, text: str) -> Place:
        text = to_simplified(text or "")  # the divisions are written in Simplified characters
        towns = list(dict.fromkeys(self.towns[m.group(0)] for m in self._town_re.finditer(text)))
        rest = self._town_re.sub("　", text)
        units = list(dict.fromkeys(self.units[m.group(0)] for m in self._unit_re.finditer(rest)))
        for unit in units:
            candidates = self.grids.unit_grids(unit, towns[0] if len(towns) == 1 else None)
            if len(candidates) == 1:
                return Place(candidates[0].town, unit, self._cell(candidates[0], text))
            if len({g.town for g in candidates}) == 1:
                # Two units of one name in one first-level grid (a folded park's and the town's own):
                # the town's grid centre tells them apart.
                return Place(candidates[0].town, unit, self.grids.town_grid(candidates[0].town))
            if len(candidates) > 1:
                options = [g.town for g in candidates]
                return Place(None, unit, None, f"“{unit}”有{len(options)}个：{'、'.join(options)}。请问是哪个镇（街道）的？",
                             options)
        if len(towns) == 1:
            return Place(towns[0], None, self.grids.town_grid(towns[0]))
        if len(towns) > 1:
            return Place(None, None, None, f"您提到了{'、'.join(towns)}，请问事情发生在哪一个？", towns)
        return Place(question=ASK_TOWN)

    def _cell(self, second: Grid, text: str) -> Grid:
        """A third-level grid when the resident names it ("第3网格"), else the second-level grid."""
        match = CELL.search(text)
        if not match:
            return second
        raw = match.group(1)
        n = int(raw) if raw.isdigit() else _cn_number(raw)
        cells = self.grids.children.get(second.code, [])
        return cells[n - 1] if 1 <= n <= len(cells) else second


def _cn_number(raw: str) -> int:
    if raw == "十":
        return 10
    if raw.startswith("十"):
        return 10 + CN_DIGITS.get(raw[1:], 0)
    if "十" in raw:
        tens, _, ones = raw.partition("十")
        return CN_DIGITS.get(tens, 0) * 10 + CN_DIGITS.get(ones, 0)
    return CN_DIGITS.get(raw, 0)


def _alternation(names: dict[str, str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))


@lru_cache(maxsize=1)
def resolver() -> AddressResolver:
    return AddressResolver(grid_map())


def resolve(text: str) -> Place:
    return resolver().resolve(text)
