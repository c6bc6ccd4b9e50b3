"""The ticket store, in the catalog's database (SQLite or PostgreSQL; migration 0004).

Numbers are the date and a four-digit daily sequence (202611270031), the form 12345 hotlines
read out; a ticket keeps every status change with who made it, when and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from catalog.store import migrate
from catalog.store.core import create_engine
from lifebot.privacy import mask_phone
from routing.classify.taxonomy import DESK_DEPARTMENT, categories
from routing.router import Route
from routing.tickets import lifecycle
from routing.tickets.schema import events, tickets
from routing.tickets.validate import (
    BadTransition,
    Busy,
    KeyReused,
    NewTicket,
    TicketError,
    TicketNotFound,
    normalise_phone,
)

SYSTEM = "系统"


@dataclass
class Ticket:
    row: dict[str, Any]
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def number(self) -> str:
        return self.row["number"]

    @property
    def status(self) -> str:
        return self.row["status"]

    def to_dict(self, full_contact: bool = False) -> dict[str, Any]:
        """What the API returns; the phone is masked unless staff ask for the full contact."""
        r = self.row
        phone = r["phone"] if full_contact else mask_phone(r["phone"])
        name = r["name"] if full_contact or not r["name"] else r["name"][0] + "*" * (len(r["name"]) - 1)
        return {
            "number": r["number"], "text": r["text"], "category": r["category"], "department": r["department"],
            "team": r["team"], "grid": r["grid"], "town": r["town"], "village": r["village"],
            "address": r["address"], "contact": {"name": name, "phone": phone}, "channel": r["channel"],
            "urgent": bool(r["urgent"]), "confidence": r["confidence"], "status": r["status"],
            "status_label": lifecycle.LABELS[r["status"]], "created_at": r["created_at"], "due_at": r["due_at"],
            "callback_by": r["callback_by"],
            "history": [{**h, "label": lifecycle.LABELS[h["status"]]} for h in self.history],
        }


class TicketStore:
    def __init__(self, url: str, grids: Any = None):
        from routing.grids.gridmap import grid_map

        self.engine = create_engine(url)
        migrate.upgrade(self.engine)
        self.grids = grids or grid_map()

    def close(self) -> None:
        self.engine.dispose()

    def by_key(self, idempotency_key: str, phone: str) -> Ticket | None:
        """The ticket an earlier request with this idempotency key filed, if any (docs/reliability.md)."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(tickets.c.number, tickets.c.phone)
                               .where(tickets.c.idempotency_key == idempotency_key)).first()
        if row is None:
            return None
        if row.phone != normalise_phone(phone):
            raise KeyReused("idempotency_key_reused", "这个请求编号（Idempotency-Key）已用于另一张工单，请换一个")
        return self.get(row.number)

    def create(self, new: NewTicket, route: Route, now: datetime, category: str | None = None) -> Ticket:
        """File a ticket; a confidently routed one is dispatched at once, the rest wait for the desk.
        With ``new.idempotency_key``, a repeat of the request gives back the first ticket."""
        if new.idempotency_key and (earlier := self.by_key(new.idempotency_key, new.phone)) is not None:
            return earlier
        cat = categories()[category or route.category]
        department, team = (route.department, route.team) if category is None else (cat.department, cat.team)
        place = route.place
        row = {
            "text": new.text, "category": cat.name, "department": department, "team": team,
            "grid_code": place.grid.code if place.grid else None, "town": place.town, "village": place.unit,
            "address": new.address, "name": new.name, "phone": new.phone, "channel": new.channel,
            "conversation_id": new.conversation_id, "confidence": round(route.confidence, 3),
            "urgent": route.urgent, "status": lifecycle.RECEIVED, "created_at": now.isoformat(),
            "due_at": lifecycle.due_at(now, 1 if route.urgent else cat.sla_hours).isoformat(),
            "callback_by": _iso(lifecycle.callback_by(now)), "updated_at": now.isoformat(),
            "idempotency_key": new.idempotency_key,
        }
        dispatch = category is None and cat.department != DESK_DEPARTMENT
        for _attempt in range(5):
            try:
                with self.engine.begin() as conn:
                    row["number"] = self._next_number(conn, now)
                    conn.execute(tickets.insert().values(**row))
                    self._event(conn, row["number"], lifecycle.RECEIVED, now, SYSTEM, "已受理")
                    if dispatch:
                        row["status"] = lifecycle.DISPATCHED
                        conn.execute(tickets.update().where(tickets.c.number == row["number"])
                                     .values(status=lifecycle.DISPATCHED))
                        self._event(conn, row["number"], lifecycle.DISPATCHED, now, SYSTEM,
                                    f"派至{team or department}" + (f"，{place.grid.name}" if place.grid else ""))
                break
            except sa.exc.IntegrityError:
                if new.idempotency_key and (earlier := self.by_key(new.idempotency_key, new.phone)) is not None:
                    return earlier  # a concurrent repeat of this request filed it
                continue  # another writer took the number: take the next one
        else:
            raise Busy("number_unavailable", "工单编号生成失败，请稍后再试")
        return self.get(row["number"])

    def get(self, number: str) -> Ticket:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(tickets).where(tickets.c.number == number)).mappings().first()
            if row is None:
                raise TicketNotFound("ticket_not_found", f"没有找到工单 {number}")
            history = conn.execute(sa.select(events.c.status, events.c.at, events.c.actor, events.c.note)
                                   .where(events.c.number == number).order_by(events.c.pk)).mappings().all()
        data = dict(row)
        grid = self.grids.get(data.pop("grid_code") or "")
        data["grid"] = grid.to_dict() if grid else None
        return Ticket(data, [dict(h) for h in history])

    def find(self, number: str, phone: str) -> Ticket:
        """A resident's look-up: the number and the phone it was filed with must both match."""
        if not lifecycle.NUMBER.match(number or ""):
            raise TicketError("invalid_number", "工单号是 12 位数字，例如 202611270031")
        ticket = self.get(number)
        if normalise_phone(phone) != ticket.row["phone"]:
            raise TicketNotFound("ticket_not_found", f"没有找到工单 {number}，请核对工单号和登记的手机号")
        return ticket

    def transition(self, number: str, status: str, actor: str, note: str = "", now: datetime | None = None) -> Ticket:
        """Move a ticket to ``status`` (staff: the console and `lifebot tickets`)."""
        if status not in lifecycle.LABELS:
            raise TicketError("invalid_status", f"状态只能是 {'、'.join(lifecycle.LABELS)} 之一")
        if not actor.strip():
            raise TicketError("missing_actor", "请注明操作人")
        now = now or datetime.now().astimezone()
        with self.engine.begin() as conn:
            current = conn.execute(sa.select(tickets.c.status).where(tickets.c.number == number)
                                   .with_for_update()).scalar()
            if current is None:
                raise TicketNotFound("ticket_not_found", f"没有找到工单 {number}")
            if status not in lifecycle.MOVES[current]:
                raise BadTransition("bad_transition", f"工单{lifecycle.LABELS[current]}，不能改为{lifecycle.LABELS[status]}")
            conn.execute(tickets.update().where(tickets.c.number == number)
                         .values(status=status, updated_at=now.isoformat()))
            self._event(conn, number, status, now, actor, note)
        return self.get(number)

    def list(self, status: str | None = None, department: str | None = None, limit: int = 50,
             overdue_at: datetime | None = None) -> list[Ticket]:
        """The newest tickets first; with ``overdue_at``, only those not resolved by their due time."""
        query = sa.select(tickets.c.number, tickets.c.status, tickets.c.due_at).order_by(tickets.c.created_at.desc())
        if status:
            query = query.where(tickets.c.status == status)
        if department:
            query = query.where(tickets.c.department == department)
        if overdue_at is None:
            query = query.limit(limit)
        else:
            query = query.where(tickets.c.status.in_(lifecycle.OPEN))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        if overdue_at is not None:
            rows = [r for r in rows if lifecycle.overdue(r.status, r.due_at, overdue_at)][:limit]
        return [self.get(r.number) for r in rows]

    def _next_number(self, conn: sa.engine.Connection, now: datetime) -> str:
        day = now.strftime("%Y%m%d")
        last = conn.execute(sa.select(sa.func.max(tickets.c.number)).where(tickets.c.number.like(f"{day}%"))).scalar()
        return f"{day}{int(last[8:]) + 1 if last else 1:04d}"

    def _event(self, conn: sa.engine.Connection, number: str, status: str, at: datetime, actor: str, note: str) -> None:
        conn.execute(events.insert().values(number=number, status=status, at=at.isoformat(), actor=actor, note=note))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
