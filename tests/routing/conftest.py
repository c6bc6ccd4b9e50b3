"""Fixtures for routing: the classifier fitted once per session (real e5 encoder), stores, PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pg import postgres_fixtures, pytest_terminal_summary  # noqa: F401  (hook re-exported)

postgres_server, postgres_url = postgres_fixtures()


@pytest.fixture(scope="session")
def encoder(test_settings):
    from catalog.search.encoder import make_encoder
    from routing.classify.cached import CachedEncoder

    return CachedEncoder(make_encoder(test_settings.encoder, test_settings.encoder_model_dir))


@pytest.fixture(scope="session")
def classifier(encoder):
    from routing.classify.model import RequestClassifier

    return RequestClassifier.trained(encoder)


@pytest.fixture(scope="session")
def router(classifier):
    from routing.router import Router

    return Router(classifier)


@pytest.fixture
def ticket_store(tmp_path: Path) -> Iterator:
    from routing.tickets.store import TicketStore

    store = TicketStore(f"sqlite:///{tmp_path / 'tickets.db'}")
    yield store
    store.close()
