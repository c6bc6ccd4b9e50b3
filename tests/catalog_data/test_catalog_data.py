"""The catalog's source data files: schema, uniqueness, counts, references, and a reproducible derivation."""

from __future__ import annotations

import csv
import filecmp
import hashlib
import json
import os
from collections import Counter
from pathlib import Path

import pytest

from catalog.entry import KINDS, Entry
from catalog.fields import ID_PATTERN
from catalog.sources.derive import OUTPUT_NAME
from catalog.sources.derive import main as derive_main
from catalog.validate import validate

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "catalog" / "data"
SERVICES = DATA / "services"
# The issue's counts of active entries per kind.
MINIMUM = {"government": 1841, "public": 30, "convenience": 95, "welfare": 7, "information": 5}
FILE_KIND = {"government_authored.jsonl": "government", "government_derived.jsonl": "government",
             "public.jsonl": "public", "convenience.jsonl": "convenience", "welfare.jsonl": "welfare",
             "information.jsonl": "information"}
NAMED_DEPARTMENTS = ("江阴市行政审批局", "江阴市公安局", "江阴市人力资源和社会保障局", "江阴市民政局",
                     "无锡市住房公积金管理中心江阴分中心", "江阴市医疗保障局", "江阴市自然资源和规划局")


def shared_sources() -> Path:
    env = os.environ.get("LIFEBOT_SHARED_SOURCES")
    return Path(env) if env else REPO.parent / "shared" / "data" / "sources"


def need_shared() -> Path:
    path = shared_sources()
    if not path.is_dir():
        message = (f"SOURCE LISTS NOT FOUND at {path}: the derivation cannot be checked. "
                   "Put ../shared beside the clone or set LIFEBOT_SHARED_SOURCES.")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="module")
def docs() -> dict[str, list[dict]]:
    return {path.name: load(path) for path in sorted(SERVICES.glob("*.jsonl"))}


@pytest.fixture(scope="module")
def entries(docs) -> list[Entry]:
    return [Entry.from_dict(doc) for file_docs in docs.values() for doc in file_docs]


def test_every_service_file_is_known_and_every_line_is_an_entry(docs):
    assert set(docs) == set(FILE_KIND), "a service file was added or removed: update FILE_KIND"
    for name, file_docs in docs.items():
        for doc in file_docs:
            entry = Entry.from_dict(doc)
            assert entry.kind == FILE_KIND[name], (name, entry.id)
            assert "version" not in doc and "updated_at" not in doc, f"{entry.id}: store-managed field"
            assert entry.status == "active", entry.id
            assert ID_PATTERN.match(entry.id), entry.id
            assert isinstance(entry.materials, list) and isinstance(entry.aliases, list), entry.id
            assert entry.name.strip() and entry.description.strip() and entry.phone.strip(), entry.id
            assert entry.locations or entry.kind == "information", entry.id


def test_ids_and_names_are_unique_across_all_files(entries):
    for field in ("id", "name"):
        counts = Counter(getattr(e, field) for e in entries)
        assert [v for v, n in counts.items() if n > 1] == []


def test_counts_per_kind_meet_the_issue(entries):
    counts = Counter(e.kind for e in entries if e.status == "active")
    assert set(counts) == set(KINDS)
    for kind, minimum in MINIMUM.items():
        assert counts[kind] >= minimum, (kind, counts[kind])


def test_exactly_13_government_categories_and_every_category_known(entries):
    categories = read_csv("categories.csv")
    government = [c["name"] for c in categories if c["kind"] == "government"]
    assert len(government) == len(set(government)) == 13
    assert all(c["description"].strip() for c in categories)
    known = {(c["kind"], c["name"]) for c in categories}
    unknown = {(e.kind, e.category) for e in entries} - known
    assert unknown == set()
    assert {e.category for e in entries if e.kind == "government"} == set(government)


def test_departments(entries):
    departments = read_csv("departments.csv")
    names = [d["name"] for d in departments]
    assert len(names) == len(set(names))
    assert sum(d["kind"] == "government" for d in departments) >= 30
    assert set(NAMED_DEPARTMENTS) <= set(names)
    assert {d["kind"] for d in departments} <= {"government", "public", "social", "enterprise"}
    assert {e.department for e in entries} - set(names) == set()


def test_halls_one_per_township_plus_the_citizen_centre():
    halls = read_csv("halls.csv")
    townships = [r for r in read_csv("jiangyin_divisions.csv") if r["level"] == "township"]
    assert len(townships) == 21
    assert [h["division_code"] for h in halls] == ["320281"] + [t["code"] for t in townships]
    assert halls[0]["name"] == "江阴市民中心"
    assert all(h["address"].startswith("江阴市") and h["hours"] and int(h["windows"]) > 0 for h in halls)


def test_the_halls_entry_lists_every_hall_as_halls_csv_has_it(entries):
    """“市民中心周六上班吗” is answered from info-halls: its places are the halls themselves, not “线上查询,
    24小时” (which read “周六可以办：0:00-23:59”)."""
    halls = [{"name": h["name"], "address": h["address"], "hours": h["hours"]} for h in read_csv("halls.csv")]
    (entry,) = [e for e in entries if e.id == "info-halls"]
    assert [{"name": p.name, "address": p.address, "hours": p.hours} for p in entry.locations] == halls


def test_the_catalog_passes_the_maintainers_validate(entries):
    departments = [d["name"] for d in read_csv("departments.csv")]
    categories: dict[str, list[str]] = {}
    for row in read_csv("categories.csv"):
        categories.setdefault(row["kind"], []).append(row["name"])
    report = validate(entries, departments, categories)
    assert [str(p) for p in report.errors] == []


def test_sources_and_stable_ids(docs):
    for doc in docs["government_authored.jsonl"] + [d for n, v in docs.items() if "government" not in n for d in v]:
        assert doc["source"] == {"list": "authored", "code": ""}, doc["id"]
        assert 3 <= len(doc["aliases"]) <= 8, doc["id"]
    codes = Counter()
    for doc in docs[OUTPUT_NAME]:
        source = doc["source"]
        codes[source["code"]] += 1
        if source["list"] == "guangan":
            digest = hashlib.sha1(source["code"].encode("utf-8")).hexdigest()[:10]
            assert doc["id"].startswith(f"gov-ga-{digest}"), doc["id"]
        else:
            assert source["list"] == "gd" and doc["id"].startswith("gov-gd-"), doc["id"]
    assert max(codes.values()) == 1


def test_divisions_copy_matches_the_shared_list():
    assert filecmp.cmp(need_shared() / "jiangyin_divisions.csv", DATA / "jiangyin_divisions.csv", shallow=False)


def test_derivation_is_reproducible_and_committed(tmp_path):
    shared = need_shared()
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert derive_main(["--shared", str(shared), "--out", str(first)]) == 0
    assert derive_main(["--shared", str(shared), "--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == (SERVICES / OUTPUT_NAME).read_bytes(), (
        "government_derived.jsonl is stale: run python -m catalog.sources.derive")


def test_superseded_items_point_at_authored_entries(docs):
    from catalog.sources.rules import SUPERSEDED

    ids = {d["id"] for name, file_docs in docs.items() if name != OUTPUT_NAME for d in file_docs}
    assert set(SUPERSEDED.values()) <= ids
    assert not {d["name"] for d in docs[OUTPUT_NAME]} & set(SUPERSEDED)
