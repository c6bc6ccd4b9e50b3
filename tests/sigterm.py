"""A pytest plugin (pyproject: ``addopts = -p tests.sigterm``): SIGTERM ends a test run as Ctrl-C does.

A CI time-out, ``timeout`` or a killed job sends SIGTERM. Python's default is to die at once, and the
servers a session started in their own process sessions (PostgreSQL through pg_ctl, Rasa and the
action server, Redis) keep running. Raised as KeyboardInterrupt instead, it lets pytest tear its
fixtures down, and they stop what they started. A second SIGTERM kills at once.
"""

from __future__ import annotations

import signal


def _interrupt(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    raise KeyboardInterrupt(f"signal {signum}: stopping the test run and its servers")


def pytest_configure(config: object) -> None:
    signal.signal(signal.SIGTERM, _interrupt)
