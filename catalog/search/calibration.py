"""Fusion weights and confidence thresholds chosen for one embedding model.

A fine-tuned model's cosines sit on another scale than stock multilingual-e5-small's: with the
thresholds chosen for the stock model (config.py) the model tuned by `make model` reached
"confident" on no query at all. So every model gets its own numbers, chosen as the stock ones were:
``bench.tune`` on the golden set's tune half and the out-of-scope questions' tune half (the test
halves only report). `lifebot model install` stores them in the model card's ``search``;
model_choice.py applies them when that model serves, and `lifebot bench search --models` uses them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from catalog.entry import Entry
from catalog.search import bench as b
from catalog.search.config import SearchConfig
from catalog.search.embedding_cache import CachedEncoder
from catalog.search.encoder import Encoder
from catalog.search.engine import SearchEngine
from catalog.search.jieba_tokenizer import dictionary_words, make_jieba_tokenizer
from catalog.search.synonyms import Synonyms

KEYS = ("passage_weight", "dense_weight", "lexical_saturation", "confidence", "confidence_feature",
        "confidence_dense", "confidence_bm25")


def search_settings_for(encoder: Encoder, catalog: Sequence[Entry], queries: Sequence[b.GoldenQuery],
                        oos: Sequence[b.GoldenQuery], cache_dir: Path | None = None) -> dict[str, Any]:
    """The KEYS of SearchConfig chosen for ``encoder`` on the tune halves of ``queries`` and ``oos``."""
    synonyms = Synonyms.load()
    tokenizer = make_jieba_tokenizer(words=dictionary_words(catalog, synonyms.terms()))
    cfg = SearchConfig()
    engine = SearchEngine(CachedEncoder(encoder, cache_dir) if cache_dir else encoder, tokenizer, cfg, synonyms)
    engine.build(list(catalog), 1)
    tune_q = [q for q in queries if q.split == "tune"]
    tune_oos = [q for q in oos if q.split == "tune"]
    chosen, _ = b.tune(b.collect(engine, tune_q), b.collect(engine, tune_oos), cfg)
    return {key: getattr(chosen, key) for key in KEYS}
