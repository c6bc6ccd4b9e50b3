"""Import: dry run changes nothing, commit writes one version, any broken row aborts everything."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from catalog import exporter
from catalog.errors import CatalogError, InvalidEntry
from catalog.importer import apply, plan, render
from catalog.store import CatalogStore
from tests.catalog.samples import DEPARTMENTS, entries


@pytest.fixture
def seeded(store: CatalogStore, entry_factory) -> CatalogStore:
    store.put_many([entry_factory("a"), entry_factory("b")], "张三", "准备")
    return store


def write_jsonl(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


def test_dry_run_changes_nothing_and_shows_the_diff(seeded: CatalogStore, tmp_path: Path, entry_factory) -> None:
    new = entry_factory("c").to_dict()
    path = write_jsonl(tmp_path / "in.jsonl", [new, {"id": "a", "phone": "12345"}, {"id": "b"}])
    before = (seeded.version(), [e.to_dict() for e in seeded.entries()])
    planned = plan(seeded, path, departments=DEPARTMENTS)
    assert [e.id for e in planned.added] == ["c"]
    assert [(e.id, changes) for e, changes in planned.changed] == [("a", {"phone": ("0510-86862110", "12345")})]
    assert planned.unchanged == ["b"] and planned.ok
    text = render(planned)
    assert "新增 1 条，修改 1 条，未变 1 条" in text and "phone: '0510-86862110' -> '12345'" in text
    assert (seeded.version(), [e.to_dict() for e in seeded.entries()]) == before


def test_commit_is_one_catalog_version(seeded: CatalogStore, tmp_path: Path, entry_factory) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", [entry_factory("c").to_dict(), {"id": "a", "phone": "12345"}])
    v = seeded.version()
    assert apply(seeded, plan(seeded, path), "李四", "批量调整") == 2
    assert seeded.version() == v + 1
    assert seeded.changed_since(v) == ["a", "c"]
    assert seeded.get("a").phone == "12345" and seeded.history("a")[-1].reason == "批量调整"


@pytest.mark.parametrize("bad_row, message", [
    ({"id": "a", "online": "maybe"}, "应为 true 或 false"),
    ({"id": "a", "colour": "red"}, "未知字段"),
    ({"id": "z", "name": "缺字段"}, "缺少必填字段 kind"),
    ({"id": "a", "phone": "0510-1"}, "电话号码"),
    ({"id": "a", "department": "江阴市不存在局"}, "部门"),
    ({"id": "a", "name": "测试事项b"}, "重复"),
    ({"name": "没有编号"}, "缺少编号"),
    ({"id": "c"}, "与第 1 行重复"),
])
def test_a_broken_row_aborts_the_whole_import(seeded: CatalogStore, tmp_path: Path, entry_factory,
                                              bad_row: dict, message: str) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", [entry_factory("c").to_dict(), bad_row])
    before = (seeded.version(), [e.to_dict() for e in seeded.entries()])
    planned = plan(seeded, path, departments=DEPARTMENTS)
    assert not planned.ok and message in render(planned)
    with pytest.raises(InvalidEntry):
        apply(seeded, planned, "李四", "x")
    assert (seeded.version(), [e.to_dict() for e in seeded.entries()]) == before


def test_broken_json_line(seeded: CatalogStore, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a", "fee": "1元"}\n{"id": "b",\n', encoding="utf-8")
    planned = plan(seeded, path)
    assert planned.row_errors == ["第 2 行：不是合法的 JSON（Expecting property name enclosed in double quotes）"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl"])
def test_export_then_import_round_trips(seeded: CatalogStore, tmp_path: Path, fmt: str, entry_factory) -> None:
    seeded.put_many([entry_factory("p", materials=["甲|乙", "丙"], source={"list": "gd", "code": "1|2"})], "张三", "x")
    path = tmp_path / f"out.{fmt}"
    entries = seeded.entries(include_retired=True)
    if fmt == "xlsx":
        exporter.write_xlsx(entries, path)
    else:
        with path.open("w", encoding="utf-8", newline="") as out:
            (exporter.write_csv if fmt == "csv" else exporter.write_jsonl)(entries, out)
    planned = plan(seeded, path)
    assert planned.ok and not planned.added and not planned.changed
    assert sorted(planned.unchanged) == ["a", "b", "p"]


def test_csv_with_chinese_headers_and_a_column_subset(seeded: CatalogStore, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("\ufeff编号,电话,申请材料,网上办理\na,12345,身份证|照片,false\n", encoding="utf-8")
    planned = plan(seeded, path)
    assert planned.ok
    (entry, changes), = planned.changed
    assert set(changes) == {"phone", "materials", "online"}
    assert entry.materials == ["身份证", "照片"] and entry.online is False and entry.fee == "不收费"


def test_unknown_header_is_an_error(seeded: CatalogStore, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("id,colour\na,red\n", encoding="utf-8")
    with pytest.raises(InvalidEntry, match="表头中有未知字段：colour"):
        plan(seeded, path)


def test_formula_like_text_stays_text_in_xlsx(store: CatalogStore, tmp_path: Path, entry_factory) -> None:
    store.put_many([entry_factory("a", description="=SUM(A1)")], "张三", "x")
    exporter.write_xlsx(store.entries(), tmp_path / "out.xlsx")
    assert plan(store, tmp_path / "out.xlsx").unchanged == ["a"]


def test_jsonl_export_has_every_field(seeded: CatalogStore) -> None:
    out = io.StringIO()
    exporter.write_jsonl(seeded.entries(), out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 2 and lines[0]["version"] == 1 and lines[0]["updated_at"]
    assert set(lines[0]) == set(exporter.FIELD_NAMES)


def test_an_edit_between_plan_and_apply_aborts_the_import(seeded: CatalogStore, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "fee": "1元"}])
    planned = plan(seeded, path)
    seeded.update("a", {"phone": "12345"}, "李四", "同时修改")
    with pytest.raises(CatalogError, match="在导入期间被别人修改了"):
        apply(seeded, planned, "张三", "导入")
    assert (seeded.get("a").phone, seeded.get("a").fee) == ("12345", "不收费")


def test_gbk_csv_from_excel(seeded: CatalogStore, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes("编号,收费\na,五元\n".encode("gb18030"))
    (entry, changes), = plan(seeded, path).changed
    assert changes == {"fee": ("不收费", "五元")}


@pytest.fixture(scope="module")
def roundtrip_store(tmp_path_factory: pytest.TempPathFactory):
    store = CatalogStore(f"sqlite:///{tmp_path_factory.mktemp('export') / 'catalog.db'}")
    yield store
    store.close()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl"])
def test_any_entry_survives_export_and_import(roundtrip_store: CatalogStore, tmp_path_factory, fmt: str) -> None:
    directory = tmp_path_factory.mktemp(fmt)

    @settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(entry=entries)
    def check(entry) -> None:
        roundtrip_store.put_many([entry], "hypothesis", "导出导入往返")
        path = directory / f"one.{fmt}"
        if fmt == "xlsx":
            exporter.write_xlsx([entry], path)
        else:
            with path.open("w", encoding="utf-8", newline="") as out:
                (exporter.write_csv if fmt == "csv" else exporter.write_jsonl)([entry], out)
        planned = plan(roundtrip_store, path)
        assert planned.row_errors == []
        assert planned.unchanged == [entry.id], [changes for _, changes in planned.changed]

    check()
