"""Generate the grid map (routing/data/grids.csv) from the official division list.

The official list gives Jiangyin's 21 towns/streets/parks and 281 villages/communities; how the city
draws its 17 / 271 / 1,558 grids is not public, so the map is *generated* by fixed, documented rules
(docs/routing.md) and committed; `python scripts/generate_grids.py` rewrites it identically:

1. First level (17): the 16 towns and streets, plus 江阴高新区. The four small parks fold into the
   town that hosts them (青阳园区 -> 青阳镇, 月城园区 -> 月城镇, 临港经济开发区 -> 夏港街道) and
   江苏江阴靖江工业园区 (an enclave north of the river) into 高新区, which administers it.
2. Second level (271): one per village/community, except that 10 pairs are merged: the two
   highest-coded units of the same first-level grid, taking first-level grids in order of size
   (most units first), one pair from each, round robin, until 281 - 10 = 271.
3. Third level (1,558): split each second-level grid by type (社区 7, 村 5, merged pairs the sum),
   then the remainder from the largest second-level grids down, so the total is exactly 1,558.

Grid workers' names and phone numbers are illustrative, derived from the grid code.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

FIRST, SECOND, THIRD = 17, 271, 1558
FOLD = {
    "青阳园区": "青阳镇",
    "月城园区": "月城镇",
    "临港经济开发区": "夏港街道",
    "江苏江阴靖江工业园区": "江阴高新技术产业开发区",
}
SHORT = {"江阴高新技术产业开发区": "高新区"}
BASE_CELLS = {"社区": 7, "村": 5}
COLUMNS = ["code", "level", "name", "parent_code", "town", "units", "division_codes",
           "worker_role", "worker_name", "worker_phone"]
ROLES = {1: "网格化联动中心", 2: "网格长", 3: "专职网格员"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙朱马胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "建国华明丽娟军平芳敏静伟强磊洋勇艳杰涛超秀英霞红玲兰燕琴云辉鹏刚"


@dataclass
class Unit:
    code: str
    name: str  # display name: 华西村, 文定社区
    kind: str  # 村 or 社区


@dataclass
class Second:
    units: list[Unit] = field(default_factory=list)

    @property
    def name(self) -> str:
        return "、".join(u.name for u in self.units)

    @property
    def base_cells(self) -> int:
        return sum(BASE_CELLS[u.kind] for u in self.units)


def display_name(name: str) -> str:
    for suffix in ("居委会", "村委会", "居民委员会", "村民委员会"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def read_divisions(path: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return ([r for r in rows if r["level"] == "township"], [r for r in rows if r["level"] == "village"])


def _digest(code: str) -> int:
    return int(hashlib.sha256(code.encode()).hexdigest(), 16)


def worker(code: str, level: int) -> tuple[str, str, str]:
    h = _digest(code)
    name = SURNAMES[h % len(SURNAMES)] + GIVEN[(h // 97) % len(GIVEN)] + ("" if h % 3 else GIVEN[(h // 7) % len(GIVEN)])
    phone = f"0510-8{6 if level == 1 else 8}{h % 1000000:06d}"
    return ROLES[level], name, phone


def build(divisions: Path) -> list[dict[str, str]]:
    townships, villages = read_divisions(divisions)
    firsts: dict[str, list[Unit]] = {}
    for town in townships:
        if town["name"] not in FOLD:
            firsts[town["name"]] = []
    by_code = {t["code"]: t["name"] for t in townships}
    for row in sorted(villages, key=lambda r: r["code"]):
        town = by_code[row["parent_code"]]
        firsts[FOLD.get(town, town)].append(Unit(row["code"], display_name(row["name"]), row["type"]))
    if len(firsts) != FIRST:
        raise ValueError(f"{len(firsts)} first-level grids, expected {FIRST}")
    seconds: dict[str, list[Second]] = {name: [Second([u]) for u in units] for name, units in firsts.items()}
    order = sorted(seconds, key=lambda name: (-len(seconds[name]), name))
    merges, i = len(villages) - SECOND, 0
    while merges > 0:
        grid = seconds[order[i % len(order)]]
        singles = [s for s in grid if len(s.units) == 1]
        if len(singles) >= 2:
            a, b = singles[-2], singles[-1]
            a.units.extend(b.units)
            grid.remove(b)
            merges -= 1
        i += 1
    all_seconds = [s for name in firsts for s in seconds[name]]
    cells = [s.base_cells for s in all_seconds]
    extra = THIRD - sum(cells)
    ranked = sorted(range(len(all_seconds)), key=lambda k: (-cells[k], all_seconds[k].units[0].code))
    for step in range(abs(extra)):
        cells[ranked[step % len(ranked)]] += 1 if extra > 0 else -1
    rows: list[dict[str, str]] = []
    for n, town in enumerate(sorted(firsts, key=lambda t: next(r["code"] for r in townships if r["name"] == t)), 1):
        code1 = f"JY{n:02d}"
        rows.append(_row(code1, 1, SHORT.get(town, town), "", town, [town], [
            r["code"] for r in townships if r["name"] == town or FOLD.get(r["name"]) == town]))
        for m, second in enumerate(seconds[town], 1):
            code2 = f"{code1}-{m:02d}"
            index = all_seconds.index(second)
            rows.append(_row(code2, 2, second.name, code1, town, [u.name for u in second.units],
                             [u.code for u in second.units]))
            for c in range(1, cells[index] + 1):
                rows.append(_row(f"{code2}-{c:02d}", 3, f"{second.name}第{c}网格", code2, town,
                                 [u.name for u in second.units], [u.code for u in second.units]))
    return rows


def _row(code: str, level: int, name: str, parent: str, town: str, units: Iterable[str],
         division_codes: Iterable[str]) -> dict[str, str]:
    role, person, phone = worker(code, level)
    return {"code": code, "level": str(level), "name": name, "parent_code": parent, "town": town,
            "units": "|".join(units), "division_codes": "|".join(division_codes),
            "worker_role": role, "worker_name": person, "worker_phone": phone}


def to_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
