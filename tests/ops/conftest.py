"""Backup and restore on real SQLite files and a real PostgreSQL server (tests/pg.py); no Rasa."""

from __future__ import annotations

from tests.pg import postgres_fixtures, pytest_terminal_summary  # noqa: F401  (hook re-exported)

postgres_server, postgres_url = postgres_fixtures()
