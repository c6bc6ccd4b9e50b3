"""SearchEngine.gate: another engine decides "confident" (issue 10: the tuned model ranks, the stock
model says whether the catalog covers the question); calibration.py decides when to use it."""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np
import pytest

from catalog.search import SearchEngine
from catalog.search.config import SearchConfig

from .conftest import MemoryStore, fixture_entries

QUERIES = ["孩子要上户口", "房子过户去哪里办", "马桶堵了", "今天天气怎么样", "推荐一部电影", "办证", "登记"]
FILTERS = [{}, {"kind": "welfare"}, {"category": "不动产"}, {"online": True, "bookable": True}]


def always_confident(encoder, tokenizer, store, path) -> SearchEngine:
    return SearchEngine.load_or_build(path, store, encoder, tokenizer=tokenizer,
                                      config=SearchConfig(confidence=-1.0))


def test_the_gate_decides_confidence_and_the_ranking_stays_the_engines_own(engine, encoder, tokenizer, tmp_path):
    gated = always_confident(encoder, tokenizer, MemoryStore(fixture_entries()), tmp_path / "index")
    alone = {q: gated.search(q, top=5) for q in QUERIES}
    assert all(out["confident"] for out in alone.values())
    gated.gate = engine
    for q in QUERIES:
        for filters in FILTERS:
            out = gated.search(q, top=5, **filters)
            assert out["confident"] is engine.search(q, **filters)["confident"], (q, filters)
        assert gated.search(q, top=5)["results"] == alone[q]["results"]
    assert gated.search("今天天气怎么样")["confident"] is False
    assert gated.search("孩子要上户口")["confident"] is True
    assert gated.search("马桶堵了", mode="dense")["confident"] is True  # only hybrid is gated


def test_refresh_brings_the_gate_up_to_date(encoder, tokenizer, tmp_path):
    store = MemoryStore(fixture_entries())
    gated = always_confident(encoder, tokenizer, store, tmp_path / "index")
    gated.gate = SearchEngine.load_or_build(tmp_path / "index-stock", store, encoder, tokenizer=tokenizer)
    first = fixture_entries()[0]
    store.put(dataclasses.replace(first, id="new-001", name="宠物狗办理养犬登记证", aliases=("狗证怎么办",)))
    gated.refresh(store)
    assert gated.catalog_version == gated.gate.catalog_version == store.version()
    assert gated.gate.entry("new-001") is not None


class Crowded:
    """An encoder that cannot tell texts apart: every text lands next to one point, each a hair off in
    a direction of its own, so every question looks near every entry. (Not all on the very same point:
    entries that match a question equally are a choice, never a confident answer.)"""

    name, dim = "crowded", 384

    def query(self, texts):
        vectors = []
        for text in texts:
            rng = np.random.default_rng(int.from_bytes(hashlib.sha1(text.encode("utf-8")).digest()[:8], "little"))
            v = np.eye(1, self.dim, dtype=np.float32)[0] + 0.01 * rng.standard_normal(self.dim).astype(np.float32)
            vectors.append(v / np.linalg.norm(v))
        return np.stack(vectors)

    passage = query


def test_calibration_gates_a_model_that_rejects_less_than_stock(encoder):
    from catalog.search.bench import GoldenQuery
    from catalog.search.calibration import search_settings_for

    catalog = fixture_entries()
    queries = [GoldenQuery(q, (e,), "tune") for q, e in
               [("孩子要上户口", "gov-ga-001"), ("房子过户去哪里办", "gov-bdc-001"), ("公积金取钱", "gov-gjj-001"),
                ("马桶堵了", "con-002"), ("两口子过不下去了", "gov-mz-002")]]
    oos = [GoldenQuery(q, (), "tune") for q in ("今天天气怎么样", "推荐一部电影", "中午吃什么好呢")]
    blind = search_settings_for(Crowded(), catalog, queries, oos, stock=encoder)
    assert blind["confidence_gate"] == "stock"
    itself = search_settings_for(encoder, catalog, queries, oos, stock=encoder)
    assert itself["confidence_gate"] == "own"
    assert "confidence_gate" not in {k for k, v in search_settings_for(encoder, catalog, queries, oos).items()
                                     if v != SearchConfig().confidence_gate}


def test_confidence_gate_setting_is_checked():
    with pytest.raises(ValueError, match="confidence_gate"):
        SearchConfig.from_mapping({"confidence_gate": "tuned"})


class OneHot:
    """A perfect two-entry model: 邻里 texts and the resident's question point one way, everything
    else the other; ``confused_by_expansion`` sends a question carrying appended official wording
    ("…（…）", what ``dense_synonyms`` adds) the wrong way."""

    name, dim = "one-hot", 384

    def __init__(self, confused_by_expansion: bool):
        self.confused = confused_by_expansion

    def _vector(self, right: bool) -> np.ndarray:
        return np.eye(1, self.dim, 0 if right else 1, dtype=np.float32)[0]

    def query(self, texts):
        return np.stack([self._vector(not (self.confused and t.endswith("）"))) for t in texts])

    def passage(self, texts):
        return np.stack([self._vector("邻里" in t) for t in texts])


def test_calibration_drops_the_dense_synonym_expansion_when_it_hurts_the_model():
    from catalog.entry import Entry
    from catalog.search.bench import GoldenQuery
    from catalog.search.calibration import search_settings_for

    # no word of the questions or of their expansion (评理 -> 人民调解, synonyms.csv) is in either entry,
    # so BM25 is silent and only the dense ranking decides
    catalog = [Entry(id="a", name="邻里纠纷化解", kind="public", category="c", department="d"),
               Entry(id="b", name="法律援助申请", kind="public", category="c", department="d")]
    queries = [GoldenQuery(q, ("a",), "tune") for q in ("找人评理", "想找个地方评理")]
    oos = [GoldenQuery("今天天气怎么样", (), "tune")]
    assert search_settings_for(OneHot(confused_by_expansion=True), catalog, queries, oos)["dense_synonyms"] is False
    assert search_settings_for(OneHot(confused_by_expansion=False), catalog, queries, oos)["dense_synonyms"] is True
