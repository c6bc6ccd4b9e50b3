"""Bring a catalog database up to the newest schema with alembic (no alembic.ini needed)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

SCRIPT_LOCATION = "catalog:migrations"
# Any constant; serialises concurrent first opens of one PostgreSQL database.
_PG_LOCK_KEY = 0x11FEB07


def alembic_config(connection: sa.engine.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["connection"] = connection
    return config


def upgrade(engine: sa.engine.Engine, revision: str = "head") -> None:
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        command.upgrade(alembic_config(conn), revision)


def downgrade(engine: sa.engine.Engine, revision: str) -> None:
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), revision)
