"""The booking database connection: one transaction per operation, serialised where it must be.

SQLite: every transaction is ``BEGIN IMMEDIATE`` (the write lock is taken up front, so two bookings
can never both read the old count); PostgreSQL: the slot counter's conditional UPDATE takes a row
lock, and the per-person rules run under an advisory lock on the phone number.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from catalog.store import migrate
from catalog.store.core import create_engine as catalog_engine


def create_engine(url: str) -> sa.engine.Engine:
    """Migrate the database to the newest schema, then open an engine for booking transactions."""
    migrator = catalog_engine(url)
    try:
        migrate.upgrade(migrator)
    finally:
        migrator.dispose()
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, future=True, pool_pre_ping=True, pool_size=10, max_overflow=10)
    if parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, future=True, connect_args={"timeout": 60, "check_same_thread": False})

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # pysqlite must not issue its own (deferred) BEGIN
        dbapi_conn.execute("PRAGMA journal_mode=WAL")
        dbapi_conn.execute("PRAGMA foreign_keys=ON")

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.engine.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@contextmanager
def transaction(engine: sa.engine.Engine, phone: str | None = None) -> Iterator[sa.engine.Connection]:
    """One transaction; with ``phone``, no other transaction for that phone runs at the same time."""
    with engine.begin() as conn:
        if phone and conn.dialect.name == "postgresql":
            key = int.from_bytes(hashlib.sha256(phone.encode()).digest()[:8], "big", signed=True)
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        yield conn


def insert_ignoring_duplicates(conn: sa.engine.Connection, table: sa.Table, values: dict[str, Any],
                               keys: list[str]) -> None:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(table).values(**values).on_conflict_do_nothing(index_elements=keys))
