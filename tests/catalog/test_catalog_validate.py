"""validate catches each kind of problem; phone number rules."""

from __future__ import annotations

import pytest

from catalog.validate import bad_phone_numbers, load_categories, load_departments, validate
from tests.catalog.samples import DEPARTMENTS, make_entry

CATEGORIES = {"government": {"户籍证件", "婚育收养"}}


@pytest.mark.parametrize("phone", ["0510-86862110", "051086862110", "13912345678", "12345", "12315", "110",
                                   "96196", "95598", "400-820-8820", "0510-86860001转8001",
                                   "0510-86862110、12345", "025-83456789", ""])
def test_good_phone_numbers(phone: str) -> None:
    assert bad_phone_numbers(phone) == []


@pytest.mark.parametrize("phone", ["0510-8686211", "0510-868621100", "1391234567", "23456", "123",
                                   "电话", "0510-86862110,abc"])
def test_bad_phone_numbers(phone: str) -> None:
    assert bad_phone_numbers(phone) != []


def errors(entries, **kwargs) -> list[tuple[str, str]]:
    report = validate(entries, kwargs.get("departments", DEPARTMENTS), kwargs.get("categories", CATEGORIES))
    return [(p.entry_id, p.field) for p in report.errors]


def test_a_clean_catalog_has_no_errors() -> None:
    report = validate([make_entry("a"), make_entry("b")], DEPARTMENTS, CATEGORIES)
    assert report.errors == []


def test_missing_required_fields() -> None:
    assert ("a", "") in errors([make_entry("a", name=""), make_entry("b")])
    assert any("必填字段 department" in p.message
               for p in validate([make_entry("a", department=" ")], DEPARTMENTS).errors)


def test_duplicate_names_among_active_entries() -> None:
    dupes = [make_entry("a", name="居住证办理"), make_entry("b", name="居住证办理")]
    assert errors(dupes) == [("a", "name"), ("b", "name")]
    dupes[1].status = "retired"
    assert errors(dupes) == []


def test_bad_phone() -> None:
    assert errors([make_entry("a", phone="0510-123")]) == [("a", "phone")]


def test_unknown_department_and_category() -> None:
    assert errors([make_entry("a", department="江阴市不存在局")]) == [("a", "department")]
    assert errors([make_entry("a", category="奇怪分类")]) == [("a", "category")]
    # Kinds without listed categories, and absent lists, are not checked.
    assert errors([make_entry("a", kind="convenience", category="家政")]) == []
    assert errors([make_entry("a", department="别处")], departments=None) == []


def test_bad_kind_status_and_url() -> None:
    assert ("a", "") in errors([make_entry("a", kind="shop")])
    assert ("a", "") in errors([make_entry("a", status="gone")])
    assert errors([make_entry("a", online_url="www.example.com")]) == [("a", "online_url")]


def test_warnings_are_separate() -> None:
    report = validate([make_entry("a", description="", phone="", materials=[])], DEPARTMENTS, CATEGORIES)
    assert report.errors == []
    assert {p.field for p in report.warnings} >= {"description", "phone", "materials"}


def test_government_category_count_warning() -> None:
    report = validate([make_entry("a")], DEPARTMENTS)
    assert any("应为 13 个" in p.message for p in report.warnings)


def test_lists_from_csv(tmp_path) -> None:
    (tmp_path / "departments.csv").write_text("name,kind\n江阴市公安局,government\n", encoding="utf-8")
    (tmp_path / "categories.csv").write_text("name,kind\n户籍证件,government\n", encoding="utf-8")
    assert load_departments(tmp_path / "departments.csv") == ["江阴市公安局"]
    assert load_categories(tmp_path / "categories.csv") == {"government": {"户籍证件"}}
    assert load_departments(tmp_path / "missing.csv") is None
