"""Seeding: idempotent, follows seed changes, keeps maintainers' edits, reports conflicts, fast."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from catalog.errors import InvalidEntry
from catalog.seed import read_seed, seed
from catalog.store import CatalogStore
from tests.catalog.samples import make_entry


def write_seed(path: Path, entries) -> list[Path]:
    path.write_text("".join(json.dumps(e.to_dict(), ensure_ascii=False) + "\n" for e in entries), encoding="utf-8")
    return [path]


def test_seed_is_idempotent(store: CatalogStore, tmp_path: Path) -> None:
    paths = write_seed(tmp_path / "s.jsonl", [make_entry("a"), make_entry("b")])
    first = seed(store, paths)
    assert first.added == ["a", "b"] and store.history("a")[0].author == "seed"
    v = store.version()
    second = seed(store, paths)
    assert (second.added, second.updated, second.unchanged, second.conflicts) == ([], [], 2, {})
    assert store.version() == v


def test_seed_updates_changed_entries(store: CatalogStore, tmp_path: Path) -> None:
    seed(store, write_seed(tmp_path / "s.jsonl", [make_entry("a"), make_entry("b")]))
    report = seed(store, write_seed(tmp_path / "s.jsonl", [make_entry("a", fee="10元"), make_entry("b")]))
    assert report.updated == ["a"] and report.unchanged == 1
    assert store.get("a").fee == "10元" and store.get("a").version == 2


def test_seed_keeps_a_maintainers_edit_of_another_field(store: CatalogStore, tmp_path: Path) -> None:
    seed(store, write_seed(tmp_path / "s.jsonl", [make_entry("a")]))
    store.update("a", {"phone": "12345"}, "张三", "电话改热线")
    # Unchanged seed: the edit stays, nothing is written.
    assert seed(store, write_seed(tmp_path / "s.jsonl", [make_entry("a")])).unchanged == 1
    report = seed(store, write_seed(tmp_path / "s.jsonl", [make_entry("a", fee="10元")]))
    assert report.merged == ["a"]
    entry = store.get("a")
    assert (entry.phone, entry.fee) == ("12345", "10元")


def test_seed_reports_a_conflict_and_keeps_the_maintainers_version(store: CatalogStore, tmp_path: Path) -> None:
    seed(store, write_seed(tmp_path / "s.jsonl", [make_entry("a")]))
    store.update("a", {"phone": "12345"}, "张三", "电话改热线")
    report = seed(store, write_seed(tmp_path / "s.jsonl", [make_entry("a", phone="0510-86860001")]))
    assert report.conflicts == {"a": ["phone"]} and "冲突 a：字段 phone" in report.summary()
    assert store.get("a").phone == "12345"
    # Still reported next time: the conflict is not silently forgotten.
    assert seed(store, write_seed(tmp_path / "s.jsonl", [make_entry("a", phone="0510-86860001")])).conflicts


def test_seed_keeps_a_retired_entry_retired(store: CatalogStore, tmp_path: Path) -> None:
    seed(store, write_seed(tmp_path / "s.jsonl", [make_entry("a")]))
    store.set_status("a", "retired", "张三", "停办")
    seed(store, write_seed(tmp_path / "s.jsonl", [make_entry("a", fee="10元")]))
    assert store.get("a").status == "retired" and store.get("a").fee == "10元"


def test_a_maintainer_added_entry_is_not_overwritten(store: CatalogStore, tmp_path: Path) -> None:
    store.add(make_entry("a", fee="5元"), "张三", "先手工加了")
    report = seed(store, write_seed(tmp_path / "s.jsonl", [make_entry("a")]))
    assert report.conflicts == {"a": ["fee"]} and store.get("a").fee == "5元"


def test_a_broken_seed_file_writes_nothing(store: CatalogStore, tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps(make_entry("a").to_dict()) + "\n" + '{"id": "b", "online": "yes"}\n'
                    + json.dumps(make_entry("a").to_dict()) + "\n", encoding="utf-8")
    with pytest.raises(InvalidEntry) as info:
        seed(store, [path])
    assert any("s.jsonl:2" in p for p in info.value.problems)
    assert any("s.jsonl:3 编号 a 与 s.jsonl:1 重复" in p for p in info.value.problems)
    assert store.version() == 0 and store.entries() == []


def test_seeding_2100_entries_is_fast(store: CatalogStore, tmp_path: Path) -> None:
    paths = write_seed(tmp_path / "s.jsonl", [make_entry(f"gov-{i:04d}") for i in range(2100)])
    start = time.perf_counter()
    assert len(seed(store, paths).added) == 2100
    first = time.perf_counter() - start
    start = time.perf_counter()
    assert seed(store, paths).unchanged == 2100
    second = time.perf_counter() - start
    assert first < 10 and second < 5, (first, second)


def test_the_repository_seed_files_parse() -> None:
    paths = sorted((Path(__file__).resolve().parents[2] / "catalog" / "data" / "services").glob("*.jsonl"))
    if not paths:
        pytest.skip("catalog/data/services has no seed files yet")
    assert read_seed(paths)
