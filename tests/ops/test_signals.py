"""A launcher stopped with SIGTERM (systemd, `kill`) or with SIGINT while in the background stops
what it started: lifebot/signals.py turns both into the KeyboardInterrupt its cleanup handles."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from lifebot.settings import ROOT

LAUNCHER = """
import sys, time
from lifebot.signals import stop_on_signals
stop_on_signals()
print("ready", flush=True)
try:
    time.sleep(60)
except KeyboardInterrupt:
    print("cleaned up", flush=True)
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_background_sigint_reach_the_cleanup(signum):
    # started the way a shell starts a background job: SIGINT ignored
    process = subprocess.Popen([sys.executable, "-c", LAUNCHER], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        assert process.stdout.readline().strip() == "ready"
        time.sleep(0.2)
        process.send_signal(signum)
        out, _ = process.communicate(timeout=20)
    finally:
        process.kill()
    assert out.strip() == "cleaned up"


def test_both_launchers_install_the_handlers():
    from lifebot.commands import run, run_scaled

    assert run.stop_on_signals is run_scaled.stop_on_signals
