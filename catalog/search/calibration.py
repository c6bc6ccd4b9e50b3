"""Fusion weights and confidence thresholds chosen for one embedding model.

A fine-tuned model's cosines sit on another scale than stock multilingual-e5-small's: with the
thresholds chosen for the stock model (config.py) the model tuned by `make model` reached
"confident" on no query at all. So every model gets its own numbers, chosen as the stock ones were:
``bench.tune`` on the golden set's tune half and the out-of-scope questions' tune half (the test
halves only report). `lifebot model install` stores them in the model card's ``search``;
model_choice.py applies them when that model serves, and `lifebot bench search --models` uses them.

Fine-tuning also moved out-of-scope questions nearer to the catalog: no threshold of the tuned model
rejected them as well as the stock model does without losing in-scope confidence (docs/model.md). So
the calibration compares the two on the same tune halves, and when the tuned model's own decision
rejects fewer out-of-scope questions than the stock model's, it sets ``confidence_gate: stock``: the
tuned model ranks, the stock model decides whether the catalog covers the question at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from catalog.entry import Entry
from catalog.search import bench as b
from catalog.search.config import SearchConfig
from catalog.search.encoder import Encoder
from catalog.search.engine import SearchEngine, with_config
from catalog.search.jieba_tokenizer import dictionary_words, make_jieba_tokenizer
from catalog.search.synonyms import Synonyms

KEYS = ("passage_weight", "dense_weight", "lexical_saturation", "dense_synonyms", "confidence",
        "confidence_feature", "confidence_dense", "confidence_bm25", "confidence_gate")


def search_settings_for(encoder: Encoder, catalog: Sequence[Entry], queries: Sequence[b.GoldenQuery],
                        oos: Sequence[b.GoldenQuery], cache_dir: Path | None = None,
                        stock: Encoder | None = None) -> dict[str, Any]:
    """The KEYS of SearchConfig chosen for ``encoder`` on the tune halves of ``queries`` and ``oos``;
    with the ``stock`` encoder, also whether the stock model should decide confidence."""
    synonyms = Synonyms.load()
    tokenizer = make_jieba_tokenizer(words=dictionary_words(catalog, synonyms.terms()))
    tune_q = [q for q in queries if q.split == "tune"]
    tune_oos = [q for q in oos if q.split == "tune"]

    def built(model: Encoder) -> SearchEngine:
        return b.memory_engine(model, catalog, SearchConfig(), synonyms, tokenizer, cache_dir)

    def runs(engine: SearchEngine) -> tuple[list[b.QueryRun], list[b.QueryRun]]:
        return b.collect(engine, tune_q), b.collect(engine, tune_oos)

    # With and without the official wording of matched colloquialisms appended to the dense query:
    # a model tuned on those synonyms may do better on the resident's words alone. Best tune-half
    # fusion (MRR, then hit@1) wins; a tie keeps the default.
    engine = built(encoder)

    def tuned(dense_synonyms: bool) -> tuple[tuple, SearchConfig, tuple[list[b.QueryRun], list[b.QueryRun]]]:
        own_runs = runs(with_config(engine, dense_synonyms=dense_synonyms))
        chosen, grid = b.tune(*own_runs, replace(SearchConfig(), dense_synonyms=dense_synonyms))
        return grid[0][:2], chosen, own_runs

    default = SearchConfig().dense_synonyms
    kept, other = tuned(default), tuned(not default)
    _, chosen, own_runs = other if other[0] > kept[0] else kept
    if stock is not None:
        own = b.evaluate(*own_runs, "hybrid", chosen)
        gate = b.evaluate(*runs(built(stock)), "hybrid", SearchConfig())
        chosen = replace(chosen, confidence_gate="stock" if own.rejected < gate.rejected else "own")
    return {key: getattr(chosen, key) for key in KEYS}
