"""The catalog's system of record: SQLite by default, PostgreSQL by URL.

Minimal first cut (foundation): entries as JSON documents with a version per entry and a
catalog-wide version that increases with every change.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone

import sqlalchemy as sa

from catalog.entry import Entry

metadata = sa.MetaData()

entries = sa.Table(
    "catalog_entries",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("catalog_version", sa.Integer, nullable=False, index=True),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("data", sa.Text, nullable=False),
)

meta = sa.Table(
    "catalog_meta",
    metadata,
    sa.Column("key", sa.String(40), primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class CatalogStore:
    def __init__(self, url: str):
        self.url = url
        self.engine = sa.create_engine(url, future=True)
        metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def version(self) -> int:
        with self.engine.connect() as conn:
            value = conn.execute(sa.select(meta.c.value).where(meta.c.key == "version")).scalar()
        return int(value or 0)

    def entries(self, include_retired: bool = False) -> list[Entry]:
        query = sa.select(entries.c.data).order_by(entries.c.id)
        if not include_retired:
            query = query.where(entries.c.status == "active")
        with self.engine.connect() as conn:
            return [Entry.from_dict(json.loads(row.data)) for row in conn.execute(query)]

    def get(self, entry_id: str) -> Entry | None:
        with self.engine.connect() as conn:
            data = conn.execute(sa.select(entries.c.data).where(entries.c.id == entry_id)).scalar()
        return Entry.from_dict(json.loads(data)) if data else None

    def changed_since(self, catalog_version: int) -> list[str]:
        """Ids of entries written after ``catalog_version`` (retired ones included)."""
        query = sa.select(entries.c.id).where(entries.c.catalog_version > catalog_version)
        with self.engine.connect() as conn:
            return [row.id for row in conn.execute(query)]

    def put_many(self, items: Iterable[Entry]) -> int:
        """Insert or replace entries in one transaction; returns the new catalog version."""
        with self.engine.begin() as conn:
            current = conn.execute(sa.select(meta.c.value).where(meta.c.key == "version")).scalar()
            new_version = int(current or 0) + 1
            if current is None:
                conn.execute(meta.insert().values(key="version", value=new_version))
            else:
                conn.execute(meta.update().where(meta.c.key == "version").values(value=new_version))
            for entry in items:
                old = conn.execute(sa.select(entries.c.version).where(entries.c.id == entry.id)).scalar()
                entry.version = int(old or 0) + 1
                entry.updated_at = _now()
                row = dict(
                    id=entry.id, name=entry.name, kind=entry.kind, status=entry.status,
                    version=entry.version, catalog_version=new_version, updated_at=entry.updated_at,
                    data=json.dumps(entry.to_dict(), ensure_ascii=False),
                )
                if old is None:
                    conn.execute(entries.insert().values(**row))
                else:
                    conn.execute(entries.update().where(entries.c.id == entry.id).values(**row))
        return new_version
