"""The real API app over a real SQLite catalog (a slice of the seed data) and a real index."""

from __future__ import annotations

import dataclasses
import json

import pytest
from aiohttp.test_utils import TestClient, TestServer

from api.main import create_app
from catalog.entry import Entry
from lifebot.settings import ROOT

SEED = ROOT / "catalog" / "data" / "services" / "government_authored.jsonl"


def seed_entries(limit: int = 60) -> list[Entry]:
    lines = SEED.read_text(encoding="utf-8").splitlines()[:limit]
    return [Entry.from_dict(json.loads(line)) for line in lines]


@pytest.fixture
def api_settings(test_settings, tmp_path):
    return dataclasses.replace(test_settings, var_dir=tmp_path, catalog_poll_seconds=0.2)


@pytest.fixture
def seeded_store(api_settings):
    from catalog.store import CatalogStore

    store = CatalogStore(api_settings.db_url)
    store.put_many(seed_entries(), author="test", reason="fixture")
    yield store
    store.close()


@pytest.fixture
async def client(api_settings, seeded_store):
    app = create_app(api_settings)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client
