"""Fixtures for the bot's tests: the real domain, a fake catalog API, a fixed clock.

The multi-turn webhook test uses the session's running ``stack`` (tests/conftest.py).
"""

from __future__ import annotations

import warnings
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import api_client, clock
from lifebot.settings import ROOT
from tests.bot.fakes import OPEN_HOURS, FakeApi


@pytest.fixture
def api(monkeypatch) -> FakeApi:
    fake = FakeApi()
    monkeypatch.setattr(api_client, "search", fake.search)
    monkeypatch.setattr(api_client, "service", fake.service)
    monkeypatch.setattr(api_client, "record_handover", fake.record_handover)
    return fake


@pytest.fixture
def at(monkeypatch):
    """at(moment) sets the actions' clock."""
    def set_clock(moment: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)
    set_clock(OPEN_HOURS)
    return set_clock


@pytest.fixture(scope="session")
def trained_model(test_settings) -> Path:
    """var/models/lifebot.tar.gz, trained now only when its inputs changed (as `lifebot setup` does)."""
    from lifebot.commands.setup import train_model

    if not test_settings.jieba_dict_dir.exists():
        pytest.fail("no jieba dictionary in var/jieba: run `.venv/bin/lifebot setup` (make test does)")
    train_model(test_settings, force=False)
    return test_settings.models_dir / "lifebot.tar.gz"


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    from rasa.shared.core.domain import Domain

    with warnings.catch_warnings():
        # Rasa's own notice about 2.x slot auto-fill, emitted for every domain it serialises.
        warnings.simplefilter("ignore", UserWarning)
        return Domain.load(str(ROOT / "bot" / "domain")).as_dict()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()
