"""Which databases a backup holds, and what a backup says about a database (versions, row counts)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from lifebot.backup.errors import BackupError
from lifebot.settings import Settings

VERSION_TABLE = "catalog_alembic_version"  # catalog/migrations/env.py


@dataclass(frozen=True)
class Database:
    role: str  # "catalog" or "tracker": the manifest key
    label: str  # what an operator reads
    url: str

    @property
    def kind(self) -> str:
        backend = sa.engine.make_url(self.url).get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise BackupError("unsupported_database", f"{self.label}使用 {backend}，只支持 SQLite 和 PostgreSQL")
        return backend

    @property
    def sqlite_path(self) -> Path:
        return Path(sa.engine.make_url(self.url).database or "")

    def file_name(self) -> str:
        return f"{self.role}.sqlite3" if self.kind == "sqlite" else f"{self.role}.pgdump"


def databases(settings: Settings, tracker_url: str | None) -> list[Database]:
    """The catalog database (settings.db_url) and the tracker store: ``tracker_url`` when given, else
    the one Rasa uses (settings.tracker_store_url: the settings' tracker_url, as in the scaled layout's
    PostgreSQL tracker store, or SQLite settings.tracker_db)."""
    return [
        Database("catalog", "目录数据库", settings.db_url),
        Database("tracker", "对话记录库（Rasa tracker store）", tracker_url or settings.tracker_store_url),
    ]


def describe(cursor: Any, kind: str) -> dict[str, Any]:
    """Versions and row counts read through a DB-API cursor, inside the snapshot being backed up."""
    if kind == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    else:
        cursor.execute("SELECT table_name FROM information_schema.tables "
                       "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")
    tables = sorted(row[0] for row in cursor.fetchall())
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    info: dict[str, Any] = {"tables": counts}
    if VERSION_TABLE in tables:
        cursor.execute(f"SELECT version_num FROM {VERSION_TABLE}")
        info["alembic_revision"] = cursor.fetchone()[0]
    if "catalog_meta" in tables:
        cursor.execute("SELECT key, value FROM catalog_meta WHERE key IN ('version', 'instance')")
        meta = dict(cursor.fetchall())
        info["catalog_version"] = int(meta.get("version") or 0)
        info["catalog_instance"] = int(meta["instance"]) if "instance" in meta else None
    return info
