"""The hand-over queue: conversations the bot handed to a human, claimed by one operator at a time.

waiting -> claimed (one operator, atomically) -> released (back to the bot). A conversation has at
most one open (waiting or claimed) hand-over; handing it over again while open changes nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa

from accounts.db import now_iso
from accounts.errors import AccountError
from accounts.schema import handovers

OPEN = ("waiting", "claimed")


@dataclass(frozen=True)
class Handover:
    id: int
    conversation_id: str
    channel: str
    status: str
    first_message: str
    operator: str | None
    created_at: str
    claimed_at: str | None
    released_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _handover(row) -> Handover:
    return Handover(row.id, row.conversation_id, row.channel, row.status, row.first_message, row.operator,
                    row.created_at, row.claimed_at, row.released_at)


class HandoverQueue:
    def __init__(self, engine: sa.engine.Engine):
        self.engine = engine

    def open(self, conversation_id: str, channel: str, message: str) -> tuple[Handover, bool]:
        """Queue a conversation (or return its open hand-over); True when newly queued."""
        with self.engine.begin() as conn:
            row = conn.execute(sa.select(handovers).where(handovers.c.conversation_id == conversation_id,
                                                          handovers.c.status.in_(OPEN))).first()
            if row is not None:
                return _handover(row), False
            pk = conn.execute(handovers.insert().values(
                conversation_id=conversation_id, channel=channel or "", status="waiting",
                first_message=message[:1000], created_at=now_iso())).inserted_primary_key[0]
        return self.require(pk), True

    def get(self, handover_id: int) -> Handover | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(handovers).where(handovers.c.id == handover_id)).first()
        return _handover(row) if row else None

    def require(self, handover_id: int) -> Handover:
        found = self.get(handover_id)
        if found is None:
            raise AccountError("not_found", "没有这个转人工会话")
        return found

    def open_items(self) -> list[Handover]:
        """Waiting and claimed hand-overs, oldest first."""
        query = sa.select(handovers).where(handovers.c.status.in_(OPEN)).order_by(handovers.c.id)
        with self.engine.connect() as conn:
            return [_handover(r) for r in conn.execute(query)]

    def claim(self, handover_id: int, operator: str) -> Handover:
        """Atomic: of two operators claiming at once, exactly one wins; the other gets already_claimed."""
        with self.engine.begin() as conn:
            won = conn.execute(handovers.update()
                               .where(handovers.c.id == handover_id, handovers.c.status == "waiting")
                               .values(status="claimed", operator=operator, claimed_at=now_iso())).rowcount
        if not won:
            current = self.require(handover_id)
            who = f"已被 {current.operator} 接手" if current.status == "claimed" else "已结束"
            raise AccountError("already_claimed", f"这个会话{who}")
        return self.require(handover_id)

    def owned(self, handover_id: int, operator: str) -> Handover:
        """The hand-over if ``operator`` holds it now, else AccountError."""
        current = self.require(handover_id)
        if current.status != "claimed" or current.operator != operator:
            raise AccountError("not_claimed", "请先接手这个会话")
        return current

    def release(self, handover_id: int, operator: str) -> Handover:
        with self.engine.begin() as conn:
            done = conn.execute(handovers.update()
                                .where(handovers.c.id == handover_id, handovers.c.status == "claimed",
                                       handovers.c.operator == operator)
                                .values(status="released", released_at=now_iso())).rowcount
        if not done:
            self.owned(handover_id, operator)  # raises the precise reason
        return self.require(handover_id)
