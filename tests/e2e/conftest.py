"""The real stack (API, action server, Rasa) started once for the end-to-end tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lifebot.processes import Stack
from lifebot.settings import ROOT

from ..conftest import TEST_SETTINGS

LIFEBOT = Path(sys.executable).parent / "lifebot"


@pytest.fixture(scope="session")
def stack(test_settings):
    """Seed the test catalog, build its index, reuse (or train) the Rasa model, start everything."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIFEBOT_")}
    # A fresh test database each session: seeded from the same files as a normal run, so the
    # generated jieba dictionary (and so the trained model) is shared with `make run`.
    shutil.rmtree(test_settings.var_dir, ignore_errors=True)
    subprocess.run([str(LIFEBOT), "--settings", str(TEST_SETTINGS), "setup"], check=True, cwd=ROOT, env=env)
    running = Stack(test_settings, str(TEST_SETTINGS), echo=lambda _: None, base_env=env)
    running.start()
    yield running
    running.stop()
