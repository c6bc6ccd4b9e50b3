"""`lifebot bench search --models`: each built model with its card's settings; a gated model is
measured as it serves (its ranking, the stock model's "confident", both costs in its latency)."""

from __future__ import annotations

import json

from catalog.search.bench import GoldenQuery
from catalog.search.config import SearchConfig
from tests.search.conftest import fixture_entries
from tests.training.test_model_choice import _install_fake_tuned

QUERIES = [GoldenQuery(q, (e,), s) for q, e, s in [
    ("孩子要上户口", "gov-ga-001", "tune"), ("房子过户去哪里办", "gov-bdc-001", "test"),
    ("公积金取钱", "gov-gjj-001", "test"), ("马桶堵了", "con-002", "tune")]]
OOS = [GoldenQuery(q, (), s) for q, s in [("今天天气怎么样", "test"), ("推荐一部电影", "tune")]]


def test_a_gated_model_is_measured_as_it_serves(converted, tmp_path, test_settings):
    from catalog.search.jieba_tokenizer import dictionary_words, make_jieba_tokenizer
    from catalog.search.model_bench import compare, render_table
    from catalog.search.synonyms import Synonyms

    tuned = _install_fake_tuned(converted, tmp_path, version=1, instance=0)
    card = json.loads((tuned / "model_card.json").read_text(encoding="utf-8"))
    card["search"] = {"confidence": -1.0, "confidence_dense": -1.0, "confidence_gate": "stock"}  # alone: always confident
    (tuned / "model_card.json").write_text(json.dumps(card), encoding="utf-8")
    synonyms = Synonyms.load()
    catalog = fixture_entries()
    tokenizer = make_jieba_tokenizer(words=dictionary_words(catalog, synonyms.terms()))
    lines: list[str] = []
    rows = compare(["tuned", "stock", "converted"], tmp_path, test_settings.embedding_cache_dir, catalog,
                   tokenizer, QUERIES, OOS, SearchConfig(), synonyms, echo=lines.append)
    by_model = {row["model"]: row for row in rows}
    assert set(by_model) == {"tuned", "stock"}  # converted is not built here: skipped, and said so
    assert any("converted：模型未构建" in line for line in lines)
    gated, stock = by_model["tuned"], by_model["stock"]
    assert gated["confidence_gate"] == "stock" and stock["confidence_gate"] == "own"
    for split in ("all", "test"):
        assert gated["quality"][f"hybrid/{split}"]["rejected"] == stock["quality"][f"hybrid/{split}"]["rejected"]
        assert gated["quality"][f"hybrid/{split}"]["confident"] == stock["quality"][f"hybrid/{split}"]["confident"]
    assert gated["quality"]["dense/all"]["rejected"] == 0.0  # not gated: its own threshold of -1
    assert stock["quality"]["hybrid/all"]["rejected"] == 1.0
    assert all(len(row["query_ms"]) == 3 and len(row["search_ms"]) == 3 for row in rows)
    table = render_table(rows)
    assert "| tuned（把握由 stock 判断） | 混合 | all |" in table and "| tuned | 仅向量 | all |" in table
