"""Ticket statuses, the moves allowed between them, SLA due times and out-of-hours callbacks."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from catalog import hours as opening_hours

RECEIVED, DISPATCHED, IN_PROGRESS, RESOLVED, CLOSED = "received", "dispatched", "in_progress", "resolved", "closed"
LABELS = {RECEIVED: "已受理", DISPATCHED: "已派单", IN_PROGRESS: "处理中", RESOLVED: "已办结", CLOSED: "已关闭"}
# Where a ticket may go next: a department may hand a wrongly routed ticket back to the desk
# (dispatched -> received), and a resident may reopen a resolved one (resolved -> in_progress).
MOVES = {
    RECEIVED: (DISPATCHED, CLOSED),
    DISPATCHED: (IN_PROGRESS, RECEIVED),
    IN_PROGRESS: (RESOLVED,),
    RESOLVED: (CLOSED, IN_PROGRESS),
    CLOSED: (),
}
# When the 12345 desk is staffed; out of these hours a callback time is promised.
DESK_HOURS = "周一至周五 8:30-12:00，13:30-17:00"
CALLBACK_AFTER_OPENING = timedelta(hours=2)
NUMBER = re.compile(r"^20\d{10}$")


def due_at(created: datetime, sla_hours: int) -> datetime:
    return created + timedelta(hours=sla_hours)


# Not yet resolved: a ticket in one of these statuses is overdue once its due time has passed.
OPEN = (RECEIVED, DISPATCHED, IN_PROGRESS)


def overdue(status: str, due: str, now: datetime) -> bool:
    return status in OPEN and datetime.fromisoformat(due) < now


def callback_by(created: datetime) -> datetime | None:
    """None in desk hours (a person picks the ticket up now); else two hours after the desk opens."""
    state = opening_hours.opening(opening_hours.parse(DESK_HOURS), created)
    if state.open_now:
        return None
    opens = state.next_open or created + timedelta(days=1)
    return opens + CALLBACK_AFTER_OPENING


def when_text(moment: datetime, now: datetime) -> str:
    """'明天（周六）10:30' style, as the bot and the hand-over say it."""
    return opening_hours.when_text(moment, now)
