"""A real SQLite database with every migration applied, per test; a real PostgreSQL server for test_postgres."""

from __future__ import annotations

import pytest

from accounts.staff import Staff
from tests.pg import postgres_fixtures, pytest_terminal_summary  # noqa: F401  (hook re-exported)

postgres_server, postgres_url = postgres_fixtures()

PASSWORD = "Jiangyin-2026-secret"


@pytest.fixture
def staff(tmp_path):
    opened = Staff(f"sqlite:///{tmp_path / 'staff.db'}", session_idle_seconds=60, session_max_seconds=600,
                   login_max_failures=3, login_window_seconds=300)
    yield opened
    opened.close()
