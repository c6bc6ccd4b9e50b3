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

import glob
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

INSTALL_HINT = "apt-get install postgresql (Debian), or put initdb and pg_ctl on PATH"
SKIPPED: list[str] = []


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def find_bin_dir() -> Path | None:
    """The directory holding initdb and pg_ctl: PATH first, then Debian's /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb"), shutil.which("pg_ctl")
    if all(found):
        return Path(os.path.realpath(found[0])).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    for directory in reversed(candidates):
        if (Path(directory) / "initdb").exists() and (Path(directory) / "pg_ctl").exists():
            return Path(directory)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """A running server owned by the test session; ``create_database()`` returns a fresh URL."""

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="lifebot-pg-"))
        self.data = self.root / "data"
        self.user = "postgres"
        # initdb refuses to run as root: run the server as the postgres user, in a dir it owns.
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        else:
            self.user = os.environ.get("USER") or "postgres"

    def _run(self, *args: str) -> None:
        result = subprocess.run([*self.run_as, *args], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")

    def start(self) -> None:
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")
        self.start_again()

    def start_again(self) -> None:
        """Start the (initialised) server, after ``crash()`` too: same data, same port."""
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options,
                  "-l", str(self.root / "server.log"), "-w", "-t", "60", "start")

    def crash(self) -> None:
        """Stop the way a crash does: "immediate" mode, no checkpoint; every connection is cut."""
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def stop(self) -> None:
        try:
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg2://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "test") -> str:
        import psycopg2

        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user=self.user, dbname="postgres")
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()
        return self.url(name)


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
