"""Fixtures shared by every test folder: the test settings variant and the running stack."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lifebot.settings import ROOT, Settings, load_settings

pytest_plugins = ["tests.redis_server"]  # the redis_port fixture

# LIFEBOT_TEST_SETTINGS names another test variant (say, other ports while a second checkout's tests run).
TEST_SETTINGS = Path(os.environ.get("LIFEBOT_TEST_SETTINGS") or ROOT / "settings" / "test.yaml")
LIFEBOT = Path(sys.executable).parent / "lifebot"


def _env_without_lifebot_overrides() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("LIFEBOT_")}


@pytest.fixture(scope="session")
def test_settings() -> Settings:
    """settings/test.yaml: its own var dir and ports, so tests never touch a running assistant."""
    return load_settings(TEST_SETTINGS, env=_env_without_lifebot_overrides())


@pytest.fixture(scope="session")
def stack(test_settings):
    """The real API, action server and Rasa, started once per test session.

    A fresh test database each session, seeded from the same files as a normal run; the Rasa model
    (var/models) and the passage-vector cache are shared with `make run`, so nothing is retrained.
    """
    from lifebot.processes import Stack

    env = _env_without_lifebot_overrides()
    shutil.rmtree(test_settings.var_dir, ignore_errors=True)
    subprocess.run([str(LIFEBOT), "--settings", str(TEST_SETTINGS), "setup"], check=True, cwd=ROOT, env=env)
    running = Stack(test_settings, str(TEST_SETTINGS), echo=lambda _: None, base_env=env)
    running.start()
    yield running
    running.stop()
