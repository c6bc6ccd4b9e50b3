"""A test run stopped with SIGTERM still stops the servers its fixtures started (tests/sigterm.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from lifebot.settings import ROOT

SESSION = '''
import time
import pytest

@pytest.fixture(scope="session")
def server(tmp_path_factory):
    yield
    open({stopped!r}, "w").write("stopped")

def test_long(server):
    open({started!r}, "w").write("started")
    time.sleep(120)
'''


def test_sigterm_tears_the_session_fixtures_down(tmp_path):
    started, stopped = tmp_path / "started", tmp_path / "stopped"
    (tmp_path / "test_long.py").write_text(SESSION.format(started=str(started), stopped=str(stopped)))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    run = subprocess.Popen([sys.executable, "-m", "pytest", "-q", "-p", "tests.sigterm", "-p", "no:cacheprovider",
                            "-c", str(tmp_path / "pytest.ini"), str(tmp_path / "test_long.py")],
                           cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not started.exists():
            assert run.poll() is None and time.monotonic() < deadline, run.stdout.read().decode()
            time.sleep(0.1)
        run.send_signal(signal.SIGTERM)
        output = run.communicate(timeout=60)[0].decode()
    finally:
        run.kill()
    assert stopped.read_text() == "stopped", output
    assert run.returncode != 0 and "KeyboardInterrupt" in output
