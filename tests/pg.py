"""A throwaway PostgreSQL server for tests: initdb + pg_ctl into a temporary directory, free port.

Reusable by any test package, in its conftest.py::

    from tests.pg import postgres_fixtures, pytest_terminal_summary  # noqa: F401 (the loud summary)
    postgres_server, postgres_url = postgres_fixtures()

and mark the tests ``@pytest.mark.postgres``. ``PostgresServer`` can also be used directly.

``postgres_url`` gives each test a fresh database. Where no PostgreSQL binaries are installed the
tests skip with a loud reason, except under CI (``CI=true``), where they fail: CI installs Debian's
``postgresql`` package (.ci/system-packages.txt), so a missing binary there is a broken set-up.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lifebot.scaled.postgres import INSTALL_HINT, Cluster, find_bin_dir

SKIPPED: list[str] = []


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """A running server owned by the test session; ``create_database()`` returns a fresh URL."""

    def __init__(self, bin_dir: Path):
        self.root = Path(tempfile.mkdtemp(prefix="lifebot-pg-"))
        try:
            self.cluster = Cluster(bin_dir, self.root, free_port())
        except LookupError:
            shutil.rmtree(self.root, ignore_errors=True)
            raise
        self.port, self.data, self.user = self.cluster.port, self.cluster.data, self.cluster.user

    def start(self) -> None:
        self.cluster.init()
        self.start_again()

    def start_again(self) -> None:
        """Start the (initialised) server, after ``crash()`` too: same data, same port."""
        self.cluster.start("fsync=off")

    def crash(self) -> None:
        """Stop the way a crash does: "immediate" mode, no checkpoint; every connection is cut."""
        self.cluster.stop("immediate")

    def stop(self) -> None:
        try:
            if self.cluster.initialised:
                self.cluster.stop("immediate")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return self.cluster.url(database)

    def create_database(self, prefix: str = "test") -> str:
        return self.cluster.create_database(f"{prefix}_{uuid.uuid4().hex[:12]}")


def unavailable(reason: str) -> None:
    """Skip loudly, or fail under CI."""
    message = f"PostgreSQL tests cannot run: {reason}. Install it: {INSTALL_HINT}."
    if in_ci():
        pytest.fail(f"{message} CI=true, so this is a failure, not a skip.", pytrace=False)
    if message not in SKIPPED:
        SKIPPED.append(message)
    pytest.skip(f"!!! {message}")


def postgres_fixtures() -> tuple[Any, Any]:
    """(session fixture ``postgres_server``, function fixture ``postgres_url``) for a conftest."""

    @pytest.fixture(scope="session")
    def postgres_server() -> Iterator[PostgresServer]:
        bin_dir = find_bin_dir()
        if bin_dir is None:
            unavailable("no initdb/pg_ctl on PATH or in /usr/lib/postgresql/*/bin")
        if os.geteuid() == 0 and shutil.which("runuser") is None:
            unavailable("running as root and runuser is missing")
        try:
            server = PostgresServer(bin_dir)
        except LookupError:
            unavailable("running as root and there is no postgres user to run the server as")
        try:
            server.start()
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            server.stop()
            unavailable(f"the server did not start ({exc})")
        yield server
        server.stop()

    @pytest.fixture
    def postgres_url(postgres_server: PostgresServer) -> str:
        return postgres_server.create_database()

    return postgres_server, postgres_url


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Re-export this hook from a conftest so a skipped PostgreSQL run is impossible to miss."""
    messages = list(dict.fromkeys(SKIPPED))
    SKIPPED.clear()  # several conftests may re-export the hook: say it once
    for message in messages:
        terminalreporter.write_sep("!", "PostgreSQL tests SKIPPED", red=True, bold=True)
        terminalreporter.write_line(message, red=True, bold=True)
