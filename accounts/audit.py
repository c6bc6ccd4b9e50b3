"""The audit log: who changed what, when. Written by the API and the CLI, read in the admin."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from accounts.db import now_iso
from accounts.schema import audit


class AuditLog:
    def __init__(self, engine: sa.engine.Engine):
        self.engine = engine

    def record(self, actor: str, action: str, target: str, detail: dict[str, Any] | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(audit.insert().values(at=now_iso(), actor=actor[:64], action=action[:40],
                                               target=target[:200],
                                               detail=json.dumps(detail or {}, ensure_ascii=False)))

    def recent(self, limit: int = 100, actor: str | None = None, action: str | None = None,
               before: int | None = None) -> list[dict[str, Any]]:
        """Newest first; ``before`` (a record id) pages back."""
        query = sa.select(audit).order_by(audit.c.pk.desc()).limit(limit)
        if actor:
            query = query.where(audit.c.actor == actor)
        if action:
            query = query.where(audit.c.action == action)
        if before:
            query = query.where(audit.c.pk < before)
        with self.engine.connect() as conn:
            return [{"id": r.pk, "at": r.at, "actor": r.actor, "action": r.action, "target": r.target,
                     "detail": json.loads(r.detail)} for r in conn.execute(query)]
