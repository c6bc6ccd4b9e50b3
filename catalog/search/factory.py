"""Build the engine from a Settings object (duck-typed: catalog does not import lifebot)."""

from __future__ import annotations

from typing import Any

from catalog.search.config import SearchConfig
from catalog.search.embedding_cache import CachedEncoder
from catalog.search.engine import SearchEngine, Store
from catalog.search.model_choice import choose_encoder
from catalog.search.synonyms import Synonyms


def engine_from_settings(settings: Any, store: Store | None = None, progress: bool = False,
                         rebuild: bool = False) -> SearchEngine:
    """Open (or build) ``settings.index_dir`` for the catalog at ``settings.db_url``.

    The engine's own tokenizer learns the catalog's names and aliases from the entries it indexes;
    Rasa's dictionary file is written by `lifebot setup` from the seed files only. The encoder is the
    tuned model when it is built for this catalog, the stock one otherwise (``model_choice``)."""
    if store is None:
        from catalog.store import CatalogStore

        store = CatalogStore(settings.db_url)
    instance = store.instance() if hasattr(store, "instance") else 0
    encoder, choice = choose_encoder(settings, store.version(), instance)
    cache_dir = getattr(settings, "embedding_cache_dir", None)
    if cache_dir is not None:
        encoder = CachedEncoder(encoder, cache_dir)
    # the serving model's own thresholds; what settings.search sets explicitly still wins
    config = SearchConfig.from_mapping({**choice.search, **(settings.search or {})})
    synonyms = Synonyms.load()
    if rebuild:
        import shutil

        shutil.rmtree(settings.index_dir, ignore_errors=True)
    engine = SearchEngine.load_or_build(settings.index_dir, store, encoder, progress=progress,
                                        config=config, synonyms=synonyms)
    engine.model = choice.as_dict()
    return engine
