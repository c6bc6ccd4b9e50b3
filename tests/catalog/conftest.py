"""Fixtures for the catalog tests: a fresh SQLite store, sample entries, the PostgreSQL server."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `pytest` (not `python -m pytest`) puts only this directory on sys.path
    sys.path.insert(0, str(ROOT))

from catalog.entry import Entry  # noqa: E402
from catalog.store import CatalogStore  # noqa: E402
from tests.catalog.samples import make_entry  # noqa: E402
from tests.pg import postgres_fixtures, pytest_terminal_summary  # noqa: E402,F401

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
