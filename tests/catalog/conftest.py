"""Fixtures for the catalog tests: a fresh SQLite store, sample entries, the PostgreSQL server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from catalog.entry import Entry
from catalog.store import CatalogStore
from tests.catalog.samples import make_entry
from tests.pg import postgres_fixtures, pytest_terminal_summary  # noqa: F401  (hook re-exported)

postgres_server, postgres_url = postgres_fixtures()


@pytest.fixture
def entry_factory() -> Callable[..., Entry]:
    return make_entry


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'catalog.db'}"


@pytest.fixture
def store(db_url: str) -> Iterator[CatalogStore]:
    catalog_store = CatalogStore(db_url)
    yield catalog_store
    catalog_store.close()
