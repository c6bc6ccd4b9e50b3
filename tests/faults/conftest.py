"""One real stack per test module for the fault tests: API, action server and Rasa, supervised, with
the catalog, bookings, tickets AND Rasa's tracker store on a throwaway PostgreSQL (tests/pg.py).

Its ports are the test settings' plus 100, so it never collides with the session's `stack` fixture
(tests/conftest.py), which may still be running. WeChat is switched on with a test token, and the
passive-reply wait is long enough that a BUSY answer comes back in the reply itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from lifebot.settings import ROOT, load_settings
from tests.conftest import LIFEBOT, TEST_SETTINGS, _env_without_lifebot_overrides
from tests.pg import postgres_fixtures, pytest_terminal_summary  # noqa: F401 (the loud summary)

postgres_server, postgres_url = postgres_fixtures()

WECHAT_TOKEN = "faults-token"
# The restart delay the tests ask of the supervisor: long enough to talk to the stack while the
# killed process is down (a real run starts with 1 s: lifebot.processes.BACKOFF).
DOWN_SECONDS = 10.0


@pytest.fixture(scope="module")
def faults_stack(postgres_server, test_settings):
    from lifebot.processes import Stack

    env = _env_without_lifebot_overrides()
    var_dir = ROOT / "var" / "test-faults"
    env.update({
        "LIFEBOT_VAR_DIR": str(var_dir),
        "LIFEBOT_DATABASE_URL": postgres_server.create_database("catalog"),
        "LIFEBOT_TRACKER_URL": postgres_server.create_database("tracker"),
        "LIFEBOT_API_PORT": str(test_settings.api_port + 100),
        "LIFEBOT_RASA_PORT": str(test_settings.rasa_port + 100),
        "LIFEBOT_ACTIONS_PORT": str(test_settings.actions_port + 100),
        "LIFEBOT_WECHAT_TOKEN": WECHAT_TOKEN,
        "LIFEBOT_WECHAT_REPLY_TIMEOUT": "60",
    })
    settings = load_settings(TEST_SETTINGS, env=env)
    shutil.rmtree(var_dir, ignore_errors=True)
    subprocess.run([str(LIFEBOT), "--settings", str(TEST_SETTINGS), "setup"], check=True, cwd=ROOT, env=env,
                   stdout=subprocess.DEVNULL)
    lines: list[str] = []
    running = Stack(settings, str(TEST_SETTINGS), echo=lines.append, base_env=env)
    running.lines = lines
    running.postgres = postgres_server
    running.start()
    running.supervise(poll=0.2, backoff=(DOWN_SECONDS,))
    yield running
    running.stop()
    if os.environ.get("CI", "").lower() not in ("true", "1", "yes"):
        shutil.rmtree(var_dir, ignore_errors=True)
