"""The grid map (generated, committed) and address resolution."""

from __future__ import annotations

import csv
from collections import Counter

from lifebot.settings import ROOT
from routing.grids.address import ASK_TOWN, resolve
from routing.grids.generate import build, to_csv
from routing.grids.gridmap import GRIDS_CSV, grid_map

DIVISIONS = ROOT / "catalog" / "data" / "jiangyin_divisions.csv"


def test_committed_map_is_what_the_script_generates():
    assert GRIDS_CSV.read_text(encoding="utf-8") == to_csv(build(DIVISIONS))


def test_map_has_17_271_1558_grids_each_with_a_worker():
    grids = grid_map()
    assert Counter(g.level for g in grids.grids.values()) == {1: 17, 2: 271, 3: 1558}
    for grid in grids.grids.values():
        assert grid.worker_name and grid.worker_phone.startswith("0510-8")
        if grid.level > 1:
            assert grids.get(grid.parent_code).level == grid.level - 1
            assert grids.get(grid.parent_code).town == grid.town


def test_every_village_and_community_is_in_exactly_one_second_level_grid():
    with DIVISIONS.open(encoding="utf-8-sig") as f:
        codes = [r["code"] for r in csv.DictReader(f) if r["level"] == "village"]
    with GRIDS_CSV.open(encoding="utf-8") as f:
        seconds = [r for r in csv.DictReader(f) if r["level"] == "2"]
    covered = [code for r in seconds for code in r["division_codes"].split("|")]
    assert sorted(covered) == sorted(codes) and len(codes) == 281


def test_village_with_its_town_resolves_to_its_second_level_grid():
    place = resolve("华士镇华西村路边有人乱倒垃圾")
    assert (place.town, place.unit, place.grid.level, place.grid.name) == ("华士镇", "华西新市村", 2, "华西新市村")
    assert place.question is None
    assert resolve("新桥镇黄河村路灯不亮").grid.name == "黄河村"


def test_a_village_alone_finds_its_town():
    place = resolve("花山村有人占用耕地")
    assert (place.town, place.grid.name) == ("云亭街道", "花山村")


def test_a_named_third_level_grid_is_used():
    place = resolve("璜土镇石庄村第3网格")
    assert place.grid.level == 3 and place.grid.name == "石庄村第3网格"


def test_town_only_and_unknown_estates_go_to_the_town_grid():
    for text, town in (("澄江街道某某小区", "澄江街道"), ("徐霞客镇上", "徐霞客镇"), ("高新区那边", "江阴高新技术产业开发区"),
                       ("青阳园区", "青阳镇")):
        place = resolve(text)
        assert place.town == town and place.grid.level == 1, text


def test_no_place_gets_the_which_town_question():
    place = resolve("楼下饭店油烟太大")
    assert place.grid is None and place.question == ASK_TOWN


def test_two_towns_get_a_question_with_both_as_options():
    place = resolve("华士和周庄交界的地方")
    assert place.grid is None and place.options == ["华士镇", "周庄镇"]
    assert "华士镇" in place.question and "周庄镇" in place.question


def test_a_place_in_traditional_characters_resolves_as_in_simplified():
    from routing.grids.address import resolve

    assert resolve("華士鎮華西村").to_dict() == resolve("华士镇华西村").to_dict()
    assert resolve("華士鎮華西村").grid.name == "华西新市村"
