"""Service halls, which bookable catalog entries each serves, and where in Jiangyin an address is.

Halls come from catalog/data/halls.csv (江阴市民中心 and the town/street centres), towns and villages
from catalog/data/jiangyin_divisions.csv. Read when a ``Places`` is built, never at import time.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from catalog.entry import Entry

DATA = Path(__file__).resolve().parent.parent / "catalog" / "data"
CITY_HALL = "江阴市民中心"
HOME = "上门服务"  # the "hall" of home services: the worker comes to the resident's address
ALL_TOWN_HALLS = "各镇（街道、园区）政务服务中心"
HOME_HOURS = "每天 8:00-20:00"
_SUFFIXES = ("居委会", "村委会", "街道", "镇", "社区", "村")
OTHER_PLACES = ("无锡市区", "梁溪", "滨湖", "锡山", "惠山", "新吴", "宜兴", "张家港", "常州", "靖江市", "苏州",
                "上海", "南京")


@dataclass(frozen=True)
class Hall:
    name: str
    division_code: str
    division: str
    address: str
    hours: str
    windows: int
    phone: str


@dataclass(frozen=True)
class Place:
    """Where an address lies: its town or street (镇/街道/园区) and, when named, its village."""

    town: str
    village: str = ""


class Places:
    def __init__(self, data_dir: Path = DATA):
        self.data_dir = data_dir

    @cached_property
    def halls(self) -> dict[str, Hall]:
        with (self.data_dir / "halls.csv").open(encoding="utf-8-sig") as f:
            return {row["name"]: Hall(row["name"], row["division_code"], row["division"], row["address"],
                                      row["hours"], int(row["windows"]), row["phone"]) for row in csv.DictReader(f)}

    @cached_property
    def _names(self) -> list[tuple[str, Place]]:
        """(a way to say a place, the place), longest first so "华士镇" wins over "华士"."""
        with (self.data_dir / "jiangyin_divisions.csv").open(encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
        said: dict[str, Place] = {}
        for row in rows:
            if row["level"] == "township":
                place = Place(row["name"])
            elif row["level"] == "village":
                place = Place(row["parent_name"], row["name"])
            else:
                continue
            for variant in _variants(row["name"]):
                said.setdefault(variant, place)
        return sorted(said.items(), key=lambda item: -len(item[0]))

    def locate(self, text: str | None) -> Place | None:
        """The town (and village) an address or message names, or None when it names none."""
        for said, place in self._names:
            if said in (text or ""):
                return place
        return None

    def in_jiangyin(self, address: str) -> Place | None:
        """The place of a Jiangyin address; None when it is elsewhere or too vague to tell."""
        place = self.locate(address)
        if place is not None:
            return place
        if "江阴" in address and not any(other in address for other in OTHER_PLACES):
            return Place("")
        return None

    def hall_for_town(self, town: str) -> Hall:
        """The hall nearest a resident of ``town``: the town's own centre, else 江阴市民中心."""
        for hall in self.halls.values():
            if hall.division == town:
                return hall
        return self.halls[CITY_HALL]

    def serving(self, entry: Entry) -> list[str]:
        """Names of the halls where ``entry`` can be booked (or [HOME]); [] when not bookable here."""
        if not entry.appointment:
            return []
        found: list[str] = []
        for location in entry.locations:
            name = location.name
            if name == HOME:
                names = [HOME]
            elif name == ALL_TOWN_HALLS:
                names = [hall for hall in self.halls if hall != CITY_HALL]
            elif name.startswith(CITY_HALL) or name.endswith(f"（{CITY_HALL}）") or "（市民中心" in name:
                names = [CITY_HALL]
            else:
                names = [name] if name in self.halls else []
            found.extend(n for n in names if n not in found)
        return found

    def hours(self, hall: str) -> str:
        """The hours slots are cut from: the hall's, or the home-service day for home services."""
        return HOME_HOURS if hall == HOME else self.halls[hall].hours


def _variants(name: str) -> list[str]:
    variants = [name]
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            variants.append(stem)
            if suffix == "居委会":
                variants.extend(v for v in _variants(stem) if v != stem)
    return variants
