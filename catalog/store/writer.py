"""Writes inside one catalog transaction: each put records a version with its author and reason."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa

from catalog.entry import Entry
from catalog.errors import CatalogError, InvalidEntry, NotFound
from catalog.fields import MANAGED_FIELDS, check_value, content
from catalog.store.schema import entries, entry_versions, meta

REQUIRED = ("id", "name", "kind", "category", "department")
_KEEP = object()


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def check_document(doc: dict[str, Any]) -> list[str]:
    """Problems that stop an entry (as a dict) from being stored at all: types, values, required."""
    problems = [p for name, value in doc.items() for p in check_value(name, value)]
    problems += [f"必填字段 {name} 不能为空" for name in REQUIRED
                 if isinstance(doc.get(name), str) and not doc[name].strip()]
    return problems


def check_entry(entry: Entry) -> list[str]:
    return check_document(entry.to_dict())


def _strip(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in MANAGED_FIELDS}


# Batched update of current rows (executemany); b_id avoids clashing with the "id" column name.
_UPDATE = entries.update().where(entries.c.id == sa.bindparam("b_id"))


class Writer:
    def __init__(self, conn: sa.engine.Connection, author: str, reason: str):
        self.conn = conn
        self.author = author
        self.reason = reason
        self.time = now()
        self.changed: list[str] = []
        self.dirty = False
        self._inserts: list[dict[str, Any]] = []
        self._updates: list[dict[str, Any]] = []
        self._versions: list[dict[str, Any]] = []
        self._pending_ids: set[str] = set()
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
        if entry_id in self._pending_ids:
            self.flush()
        query = sa.select(entries.c.version, entries.c.data, entries.c.seed_data).where(entries.c.id == entry_id)
        return self.conn.execute(query).first()

    def flush(self) -> None:
        """Send the buffered writes (batched: one executemany per table)."""
        if self._inserts:
            self.conn.execute(entries.insert(), self._inserts)
        if self._updates:
            self.conn.execute(_UPDATE, self._updates)
        if self._versions:
            self.conn.execute(entry_versions.insert(), self._versions)
        self._inserts, self._updates, self._versions = [], [], []
        self._pending_ids.clear()

    def put(self, entry: Entry, *, expect: str | None = None, author: str | None = None,
            reason: str | None = None, seed_data: Any = _KEEP, force: bool = False) -> bool:
        """Store ``entry`` as its next version; False when its content is unchanged (nothing written).

        ``expect`` is "new" (the id must not exist) or "existing" (it must). Sets ``entry.version``
        and ``entry.updated_at``. ``seed_data`` records the seed document this write applies.
        """
        doc = entry.to_dict()
        problems = check_document(doc)
        if problems:
            raise InvalidEntry([f"{entry.id}: {p}" for p in problems])
        row = self.current(entry.id)
        if expect == "new" and row is not None:
            raise CatalogError(f"编号 {entry.id} 已存在，不能重复添加")
        if expect == "existing" and row is None:
            raise NotFound(f"没有编号为 {entry.id} 的条目")
        seed_text = _KEEP if seed_data is _KEEP else (None if seed_data is None else dumps(seed_data))
        if seed_text is _KEEP:
            seed_text = row.seed_data if row is not None else None
        if row is not None and not force:
            if content(Entry.from_dict(json.loads(row.data))) == _strip(doc):
                if seed_text != row.seed_data:
                    self.conn.execute(entries.update().where(entries.c.id == entry.id)
                                      .values(seed_data=seed_text))
                    self.dirty = True
                return False
        entry.version = doc["version"] = (row.version if row is not None else 0) + 1
        entry.updated_at = doc["updated_at"] = self.time
        data = json.dumps(doc, ensure_ascii=False)
        author = author or self.author
        values: dict[str, Any] = dict(
            name=entry.name, kind=entry.kind, status=entry.status, version=entry.version,
            catalog_version=self.catalog_version, updated_at=entry.updated_at, data=data, author=author,
            seed_data=seed_text)
        if row is None:
            self._inserts.append(dict(values, id=entry.id))
        else:
            self._updates.append(dict(values, b_id=entry.id))
        self._versions.append(dict(
            entry_id=entry.id, version=entry.version, catalog_version=self.catalog_version,
            author=author, reason=reason or self.reason, created_at=self.time, data=data))
        self._pending_ids.add(entry.id)
        self.changed.append(entry.id)
        self.dirty = True
        return True
