"""Issue 10, step 2: training pairs come from the catalog, never from the golden set."""

from __future__ import annotations

from collections import Counter

import pytest

from catalog.entry import Entry
from catalog.search.bench import load_catalog_files
from lifebot.settings import ROOT
from training.pairs import build_pairs, golden_overlap, hard_negatives, load_synonyms
from training.pipeline import golden_texts


@pytest.fixture(scope="module")
def catalog_pairs():
    entries = load_catalog_files()
    synonyms = load_synonyms(ROOT / "catalog" / "data" / "synonyms.csv")
    return entries, build_pairs(entries, golden_texts(), synonyms)


def _entry(id_, name, **kw):
    return Entry(id=id_, name=name, kind="government", category=kw.pop("category", "户籍证件"),
                 department="江阴市公安局", **kw)


def test_no_golden_query_is_a_training_anchor(catalog_pairs):
    _, rows = catalog_pairs
    assert rows and golden_overlap(rows, golden_texts()) == []


def test_golden_queries_are_dropped_even_when_the_catalog_holds_them():
    entry = _entry("a", "户口迁入", aliases=["孩子上户口去哪里", "迁户口进来"])
    rows = build_pairs([entry], ["孩子上户口去哪里"], [])
    anchors = {r["anchor"] for r in rows}
    assert "迁户口进来" in anchors and "孩子上户口去哪里" not in anchors


def test_every_source_contributes_and_most_rows_have_a_hard_negative(catalog_pairs):
    _, rows = catalog_pairs
    sources = Counter(r["source"] for r in rows)
    assert set(sources) == {"alias", "name", "description", "conditions", "material", "subitem", "synonym"}
    assert sum(1 for r in rows if r["negative"]) > 0.9 * len(rows)


def test_confusable_entries_are_each_others_hard_negative():
    entries = [_entry("in", "户口迁入登记"), _entry("out", "户口迁出登记"),
               _entry("first", "不动产首次登记", category="住房不动产"),
               _entry("move", "不动产转移登记", category="住房不动产"),
               _entry("other", "居住证办理")]
    neg = hard_negatives(entries)
    assert (neg["in"].id, neg["out"].id, neg["first"].id, neg["move"].id) == ("out", "in", "move", "first")


def test_boilerplate_shared_by_many_entries_is_not_an_anchor():
    same = "公共服务事项。全程网办，无需到现场。"
    entries = [_entry(f"e{i}", f"事项{i}", description=same) for i in range(5)]
    assert all(r["anchor"] != same for r in build_pairs(entries, [], []))


def test_an_alias_is_paired_with_the_passage_without_it():
    entry = _entry("a", "户口迁入登记", aliases=["迁户口进来", "落户江阴"], description="外地户口迁入本市。")
    passages = {r["anchor"]: r["positive"] for r in build_pairs([entry], [], []) if r["positive"] != entry.name}
    assert "迁户口进来" not in passages["迁户口进来"] and "落户江阴" in passages["迁户口进来"]
    assert passages["迁户口进来"].startswith("户口迁入登记") and "外地户口迁入本市" in passages["迁户口进来"]


def test_the_pairs_record_which_catalog_content_they_came_from(tmp_path):
    """The fingerprint in pairs.meta.json goes into the model card, where the API matches it against the
    catalog it serves (model_choice.tuned_status)."""
    import json

    from catalog.fields import content_fingerprint
    from catalog.store import CatalogStore
    from training.pipeline import make_pairs

    store = CatalogStore(f"sqlite:///{tmp_path / 'catalog.db'}")
    store.put_many([_entry("in", "户口迁入登记", aliases=["迁户口进来"]), _entry("out", "户口迁出登记")])
    meta = make_pairs(store, tmp_path, echo=lambda _: None)
    assert json.loads((tmp_path / "pairs.meta.json").read_text(encoding="utf-8")) == meta
    assert meta["fingerprint"] == content_fingerprint(store.entries()) and meta["entries"] == 2
    store.update("out", {"aliases": ["把户口迁走"]}, author="维护员", reason="加别名")
    assert content_fingerprint(store.entries()) != meta["fingerprint"]
