"""Fixtures shared by every test folder: the test settings variant."""

from __future__ import annotations

import os

import pytest

from lifebot.settings import ROOT, Settings, load_settings

TEST_SETTINGS = ROOT / "settings" / "test.yaml"


@pytest.fixture(scope="session")
def test_settings() -> Settings:
    """settings/test.yaml: its own var dir and ports, so tests never touch a running assistant."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIFEBOT_")}
    return load_settings(TEST_SETTINGS, env=env)
