"""Writes inside one catalog transaction: each put records a version with its author and reason."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa

from catalog.entry import Entry
from catalog.errors import CatalogError, InvalidEntry, NotFound
from catalog.fields import check_value, content
from catalog.store.schema import entries, entry_versions, meta

REQUIRED = ("id", "name", "kind", "category", "department")
_KEEP = object()


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def check_entry(entry: Entry) -> list[str]:
    """Problems that stop an entry from being stored at all (types, allowed values, required)."""
    problems = [p for name, value in entry.to_dict().items() for p in check_value(name, value)]
    problems += [f"必填字段 {name} 不能为空" for name in REQUIRED
                 if isinstance(getattr(entry, name), str) and not getattr(entry, name).strip()]
    return problems


class Writer:
    def __init__(self, conn: sa.engine.Connection, author: str, reason: str):
        self.conn = conn
        self.author = author
        self.reason = reason
        self.time = now()
        self.changed: list[str] = []
        self.dirty = False
        # The first statement takes the write lock (SQLite) / the meta row lock (PostgreSQL), so
        # writers queue up and catalog versions are committed in order.
        updated = conn.execute(meta.update().where(meta.c.key == "version")
                               .values(value=meta.c.value + 1)).rowcount
        if not updated:
            conn.execute(meta.insert().values(key="version", value=1))
        self.catalog_version = int(conn.execute(
            sa.select(meta.c.value).where(meta.c.key == "version")).scalar_one())

    def get(self, entry_id: str) -> Entry | None:
        """The entry as this transaction sees it (after the lock: no lost updates)."""
        row = self.current(entry_id)
        return Entry.from_dict(json.loads(row.data)) if row is not None else None

    def require(self, entry_id: str) -> Entry:
        entry = self.get(entry_id)
        if entry is None:
            raise NotFound(f"没有编号为 {entry_id} 的条目")
        return entry

    def seed_documents(self) -> dict[str, dict[str, Any]]:
        """{id: {"seed": last seed document or None, "author": current author, "content": current}}."""
        query = sa.select(entries.c.id, entries.c.seed_data, entries.c.author, entries.c.data)
        return {r.id: {"seed": json.loads(r.seed_data) if r.seed_data else None, "author": r.author,
                       "content": content(Entry.from_dict(json.loads(r.data)))}
                for r in self.conn.execute(query)}

    def current(self, entry_id: str) -> Any:
        query = sa.select(entries.c.version, entries.c.data, entries.c.seed_data).where(entries.c.id == entry_id)
        return self.conn.execute(query).first()

    def put(self, entry: Entry, *, expect: str | None = None, author: str | None = None,
            reason: str | None = None, seed_data: Any = _KEEP, force: bool = False) -> bool:
        """Store ``entry`` as its next version; False when its content is unchanged (nothing written).

        ``expect`` is "new" (the id must not exist) or "existing" (it must). Sets ``entry.version``
        and ``entry.updated_at``. ``seed_data`` records the seed document this write applies.
        """
        problems = check_entry(entry)
        if problems:
            raise InvalidEntry([f"{entry.id}: {p}" for p in problems])
        row = self.current(entry.id)
        if expect == "new" and row is not None:
            raise CatalogError(f"编号 {entry.id} 已存在，不能重复添加")
        if expect == "existing" and row is None:
            raise NotFound(f"没有编号为 {entry.id} 的条目")
        seed_text = _KEEP if seed_data is _KEEP else (None if seed_data is None else dumps(seed_data))
        if row is not None and not force:
            old = content(Entry.from_dict(json.loads(row.data)))
            if old == content(entry):
                if seed_text is not _KEEP and seed_text != row.seed_data:
                    self.conn.execute(entries.update().where(entries.c.id == entry.id)
                                      .values(seed_data=seed_text))
                    self.dirty = True
                return False
        entry.version = (row.version if row is not None else 0) + 1
        entry.updated_at = self.time
        data = json.dumps(entry.to_dict(), ensure_ascii=False)
        author = author or self.author
        values: dict[str, Any] = dict(
            name=entry.name, kind=entry.kind, status=entry.status, version=entry.version,
            catalog_version=self.catalog_version, updated_at=entry.updated_at, data=data, author=author)
        if seed_text is not _KEEP:
            values["seed_data"] = seed_text
        if row is None:
            self.conn.execute(entries.insert().values(id=entry.id, **values))
        else:
            self.conn.execute(entries.update().where(entries.c.id == entry.id).values(**values))
        self.conn.execute(entry_versions.insert().values(
            entry_id=entry.id, version=entry.version, catalog_version=self.catalog_version,
            author=author, reason=reason or self.reason, created_at=self.time, data=data))
        self.changed.append(entry.id)
        self.dirty = True
        return True
