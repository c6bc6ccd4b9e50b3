"""The staff tables live in the catalog's database: one engine, migrated by the catalog's alembic tree."""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa


def open_engine(url: str) -> sa.engine.Engine:
    from catalog.store import migrate
    from catalog.store.core import create_engine

    engine = create_engine(url)
    migrate.upgrade(engine)
    return engine


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
