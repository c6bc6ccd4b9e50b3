"""The catalog's system of record: SQLite by default, PostgreSQL by URL.

Entries are JSON documents with a version per entry; every version is kept with its author and
reason; a catalog-wide version increases with every committed change, so readers (the API, the
search index) can ask what changed since the version they last saw.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import StaticPool

from catalog.entry import Entry
from catalog.errors import CatalogError, NotFound
from catalog.fields import NOT_EDITABLE, entry_from_document
from catalog.store import migrate
from catalog.store.schema import entries, entry_versions, meta
from catalog.store.writer import Writer


@dataclass
class Version:
    """One stored version of an entry."""

    entry_id: str
    version: int
    catalog_version: int
    author: str
    reason: str
    created_at: str
    entry: Entry


def create_engine(url: str) -> sa.engine.Engine:
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, future=True, pool_pre_ping=True)
    if parsed.database in (None, "", ":memory:"):
        return sa.create_engine(url, future=True, poolclass=StaticPool,
                                connect_args={"check_same_thread": False})
    Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, future=True, connect_args={"timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _wal(dbapi_conn: Any, _record: Any) -> None:
        # Readers (the API) never block a maintainer's write, nor the other way round.
        dbapi_conn.execute("PRAGMA journal_mode=WAL")

    return engine


class CatalogStore:
    def __init__(self, url: str):
        self.url = url
        self.engine = create_engine(url)
        migrate.upgrade(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # -- reading ---------------------------------------------------------------------------------

    def version(self) -> int:
        with self.engine.connect() as conn:
            value = conn.execute(sa.select(meta.c.value).where(meta.c.key == "version")).scalar()
        return int(value or 0)

    def instance(self) -> int:
        """A random number fixed when this database was created: versions restart in a new one."""
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(meta.c.value).where(meta.c.key == "instance")).scalar())

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

    def require(self, entry_id: str) -> Entry:
        entry = self.get(entry_id)
        if entry is None:
            raise NotFound(f"没有编号为 {entry_id} 的条目")
        return entry

    def changed_since(self, catalog_version: int) -> list[str]:
        """Ids of entries written after ``catalog_version`` (retired ones included)."""
        query = (sa.select(entries.c.id).where(entries.c.catalog_version > catalog_version)
                 .order_by(entries.c.id))
        with self.engine.connect() as conn:
            return [row.id for row in conn.execute(query)]

    def history(self, entry_id: str) -> list[Version]:
        """Every version of an entry, oldest first."""
        query = (sa.select(entry_versions).where(entry_versions.c.entry_id == entry_id)
                 .order_by(entry_versions.c.version))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        if not rows:
            raise NotFound(f"没有编号为 {entry_id} 的条目")
        return [Version(r.entry_id, r.version, r.catalog_version, r.author, r.reason, r.created_at,
                        Entry.from_dict(json.loads(r.data))) for r in rows]

    # -- writing ---------------------------------------------------------------------------------

    @contextmanager
    def write(self, author: str, reason: str) -> Iterator[Writer]:
        """One transaction: every put in it commits together (one catalog version) or not at all."""
        if not author.strip():
            raise CatalogError("必须注明修改人（--author 或环境变量 LIFEBOT_AUTHOR）")
        if not reason.strip():
            raise CatalogError("必须注明修改原因（--reason）")
        with self.engine.connect() as conn:
            trans = conn.begin()
            try:
                writer = Writer(conn, author.strip(), reason.strip())
                yield writer
                writer.flush()
            except BaseException:
                trans.rollback()
                raise
            if writer.dirty:
                trans.commit()
            else:
                trans.rollback()

    def put_many(self, items: Iterable[Entry], author: str = "system", reason: str = "批量写入") -> int:
        """Insert or replace entries in one transaction; returns the new catalog version."""
        with self.write(author, reason) as writer:
            for entry in items:
                writer.put(entry, force=True)
        return self.version()

    # add/update/set_status/rollback return the entry as written (version and updated_at set).

    def add(self, entry: Entry, author: str, reason: str) -> Entry:
        with self.write(author, reason) as writer:
            writer.put(entry, expect="new")
        return entry

    def update(self, entry_id: str, changes: dict[str, Any], author: str, reason: str) -> Entry | None:
        """Apply field changes; returns the new entry, or None when nothing changed."""
        for name in changes:
            if name in NOT_EDITABLE:
                raise CatalogError(f"字段 {name} 不能用 edit 修改：{NOT_EDITABLE[name]}")
        with self.write(author, reason) as writer:
            entry = entry_from_document({**writer.require(entry_id).to_dict(), **changes})
            changed = writer.put(entry, expect="existing")
        return entry if changed else None

    def set_status(self, entry_id: str, status: str, author: str, reason: str) -> Entry:
        with self.write(author, reason) as writer:
            entry = writer.require(entry_id)
            if entry.status == status:
                raise CatalogError(f"条目 {entry_id} 已经是{'停用' if status == 'retired' else '启用'}状态")
            entry.status = status
            writer.put(entry, expect="existing")
        return entry

    def rollback(self, entry_id: str, version: int, author: str, reason: str) -> Entry | None:
        """Write a new version equal to ``version``; None when the entry already equals it."""
        if not reason.strip():
            raise CatalogError("必须注明修改原因（--reason）")
        old = {v.version: v for v in self.history(entry_id)}.get(version)
        if old is None:
            raise NotFound(f"条目 {entry_id} 没有第 {version} 版")
        with self.write(author, f"回滚到第 {version} 版：{reason.strip()}") as writer:
            changed = writer.put(old.entry, expect="existing")
        return old.entry if changed else None
