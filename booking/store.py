"""Book, check, cancel and reschedule; list free slots. Capacity is enforced by the database.

``now`` is always passed in (Jiangyin time, naive or aware), so callers and tests decide the clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from booking import codes, db
from booking.dates import JIANGYIN
from booking.errors import Conflict, Invalid, NotFound
from booking.halls import HOME, Places
from booking.policy import Policy, clean_id_number, clean_name, clean_phone, mask_name
from booking.schema import bookings, slots
from booking.timetable import slot_start, slots_on
from catalog.entry import Entry
from lifebot.privacy import mask_phone

log = logging.getLogger(__name__)
Lookup = Callable[[str], "Entry | None"]


def local(now: datetime) -> datetime:
    """Naive Jiangyin wall-clock time."""
    return now.astimezone(JIANGYIN).replace(tzinfo=None) if now.tzinfo else now


def parse_day(value: Any) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise Invalid("invalid_date", "日期格式不对，请用 2026-12-03 这样的格式。") from None


def public(row: Any) -> dict[str, Any]:
    """A booking as the API and the bot show it (name and phone masked)."""
    return {"code": row.code, "service_id": row.service_id, "service_name": row.service_name,
            "hall": row.hall, "date": row.day, "slot": row.slot, "name": mask_name(row.name),
            "phone": mask_phone(row.phone), "address": row.address, "town": row.town, "status": row.status}


def _overlaps(a: str, b: str) -> bool:
    return a[:5] < b[6:] and b[:5] < a[6:]


class BookingStore:
    def __init__(self, url: str, lookup: Lookup, policy: Policy | None = None, places: Places | None = None):
        self.engine = db.create_engine(url)
        self.lookup, self.policy, self.places = lookup, policy or Policy(), places or Places()

    def close(self) -> None:
        self.engine.dispose()

    # -- what can be booked ------------------------------------------------------------------------

    def service(self, service_id: str) -> tuple[Entry, list[str]]:
        entry = self.lookup(service_id) if service_id else None
        if entry is None or entry.status != "active":
            raise NotFound("unknown_service", "没有找到这项服务，请确认服务编号。")
        halls = self.places.serving(entry)
        if not entry.appointment:
            raise Invalid("not_bookable", f"【{entry.name}】不用预约，办公时间直接去办理就行。")
        if not halls:
            how = f"，请拨打 {entry.phone} 预约" if entry.phone else ""
            raise Invalid("not_bookable", f"【{entry.name}】不能在这里预约{how}。")
        return entry, halls

    def _capacity(self, hall: str) -> int:
        return self.policy.home_capacity if hall == HOME else self.policy.capacity

    def _timetable(self, hall: str, day: date) -> list[str]:
        minutes = self.policy.home_slot_minutes if hall == HOME else self.policy.slot_minutes
        return slots_on(self.places.hours(hall), day, minutes)

    def _check_day(self, day: date, now: datetime) -> None:
        today = local(now).date()
        if day < today:
            raise Invalid("date_past", "这一天已经过去了，请选今天以后的日期。")
        if day > today + timedelta(days=self.policy.horizon_days):
            raise Conflict("date_too_far", f"只能预约 {self.policy.horizon_days} 天以内的日期。")

    def available(self, service_id: str, day: date, now: datetime, hall: str | None = None) -> list[dict[str, Any]]:
        """Open slots of a service on a day: [{"hall", "slot", "capacity", "remaining"}]."""
        entry, halls = self.service(service_id)
        if hall is not None:
            halls = [self._serving_hall(entry, halls, hall)]
        self._check_day(day, now)
        closes = local(now) + timedelta(minutes=self.policy.lead_minutes)
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(slots.c.hall, slots.c.slot, slots.c.capacity, slots.c.booked).where(
                slots.c.service_id == entry.id, slots.c.day == day.isoformat(), slots.c.hall.in_(halls))).all()
        taken = {(r.hall, r.slot): (r.capacity, r.booked) for r in rows}
        found = []
        for name in halls:
            for slot in self._timetable(name, day):
                if slot_start(day, slot) < closes:
                    continue
                capacity, booked = taken.get((name, slot), (self._capacity(name), 0))
                found.append({"hall": name, "slot": slot, "capacity": capacity, "remaining": max(capacity - booked, 0)})
        return found

    def next_free_days(self, service_id: str, hall: str, after: date, now: datetime, count: int = 3) -> list[date]:
        """The next days (after ``after``) with a free slot at ``hall``, within the booking horizon."""
        found: list[date] = []
        day = max(after + timedelta(days=1), local(now).date())
        while len(found) < count and day <= local(now).date() + timedelta(days=self.policy.horizon_days):
            try:
                if any(s["remaining"] for s in self.available(service_id, day, now, hall)):
                    found.append(day)
            except Conflict:  # a year the holiday calendar does not cover: stop looking
                break
            day += timedelta(days=1)
        return found

    def _serving_hall(self, entry: Entry, halls: list[str], hall: str) -> str:
        if hall not in halls:
            where = "、".join(halls[:3]) + ("等" if len(halls) > 3 else "")
            raise Invalid("hall_not_serving", f"{hall}不受理【{entry.name}】的预约，可以预约的地点：{where}。")
        return hall

    def _check_slot(self, hall: str, day: date, slot: str, now: datetime) -> datetime:
        self._check_day(day, now)
        timetable = self._timetable(hall, day)
        if not timetable:
            raise Conflict("hall_closed", f"{hall} {day.month}月{day.day}日不办公（周末或法定节假日），请换一天。")
        if slot not in timetable:
            raise Invalid("invalid_slot", f"没有 {slot} 这个时段，可选时段如 {timetable[0]}。")
        starts = slot_start(day, slot)
        if starts < local(now) + timedelta(minutes=self.policy.lead_minutes):
            raise Conflict("booking_closed", f"这个时段已经截止预约（需提前 {self.policy.lead_minutes} 分钟），请选晚一点的时段。")
        return starts

    # -- booking -----------------------------------------------------------------------------------

    def _person_rules(self, conn: sa.engine.Connection, phone: str, day: date, slot: str, now: datetime,
                      exclude: str = "") -> None:
        rows = conn.execute(sa.select(bookings.c.code, bookings.c.day, bookings.c.slot).where(
            bookings.c.phone == phone, bookings.c.status == "booked", bookings.c.code != exclude)).all()
        upcoming = [r for r in rows if slot_start(date.fromisoformat(r.day), r.slot) > local(now)]
        if any(r.day == day.isoformat() and _overlaps(r.slot, slot) for r in upcoming):
            raise Conflict("overlapping_booking", "您在这个时间已经有一个预约了，同一时间不能约两项，请换个时段。")
        if len(upcoming) >= self.policy.max_open:
            raise Conflict("too_many_bookings",
                           f"这个手机号已经有 {len(upcoming)} 个未完成的预约，最多 {self.policy.max_open} 个；可以先取消不用的预约。")

    def _take(self, conn: sa.engine.Connection, service_id: str, hall: str, day: date, slot: str) -> int:
        key = {"service_id": service_id, "hall": hall, "day": day.isoformat(), "slot": slot}
        db.insert_ignoring_duplicates(conn, slots, {**key, "capacity": self._capacity(hall), "booked": 0}, list(key))
        slot_id = conn.execute(sa.select(slots.c.id).where(*(slots.c[k] == v for k, v in key.items()))).scalar_one()
        taken = conn.execute(sa.update(slots).where(slots.c.id == slot_id, slots.c.booked < slots.c.capacity)
                             .values(booked=slots.c.booked + 1))
        if taken.rowcount != 1:
            raise Conflict("slot_full", "这个时段已经约满了，请换个时段或日期。")
        return slot_id

    def by_key(self, idempotency_key: str, phone: str) -> dict[str, Any] | None:
        """The booking an earlier request with this idempotency key made, if any (docs/reliability.md)."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(bookings).where(bookings.c.idempotency_key == idempotency_key)).first()
        if row is None:
            return None
        if row.phone != clean_phone(phone):
            raise Conflict("idempotency_key_reused", "这个请求编号（Idempotency-Key）已用于另一个预约，请换一个。")
        return public(row)

    def book(self, service_id: str, hall: str, day: date, slot: str, name: str, phone: str, now: datetime,
             id_number: str = "", address: str = "", channel: str = "", idempotency_key: str = "") -> dict[str, Any]:
        """Book a slot; with ``idempotency_key``, a repeat of the request gives back the first booking."""
        if idempotency_key and (earlier := self.by_key(idempotency_key, phone)) is not None:
            return earlier
        entry, halls = self.service(service_id)
        name, phone, id_masked = clean_name(name), clean_phone(phone), clean_id_number(id_number)
        hall = self._serving_hall(entry, halls, hall)
        town = ""
        if hall == HOME:
            place = self.places.in_jiangyin(address or "")
            if not (address or "").strip():
                raise Invalid("address_required", "上门服务需要填写服务地址（镇/街道、小区、门牌号）。")
            if place is None:
                raise Invalid("address_not_in_jiangyin", "这个地址不在江阴市范围内（或写得不够具体），上门服务只覆盖江阴市。")
            town = place.town
        self._check_slot(hall, day, slot, now)
        row = self._insert(entry, hall, day, slot, name, phone, now, id_masked, address, town, channel,
                           idempotency_key)
        log.info("booked %s: %s %s %s %s for %s", row.code, entry.id, hall, day, slot, mask_phone(phone))
        return public(row)

    def _insert(self, entry: Entry, hall: str, day: date, slot: str, name: str, phone: str, now: datetime,
                id_masked: str, address: str, town: str, channel: str, idempotency_key: str) -> Any:
        stamp, code = local(now).isoformat(timespec="seconds"), codes.new_code()
        with db.transaction(self.engine, phone) as conn:
            if idempotency_key:  # a concurrent repeat got here first (same phone: serialised by the lock)
                earlier = conn.execute(sa.select(bookings).where(bookings.c.idempotency_key == idempotency_key)).first()
                if earlier is not None:
                    return earlier
            self._person_rules(conn, phone, day, slot, now)
            slot_id = self._take(conn, entry.id, hall, day, slot)
            conn.execute(bookings.insert().values(
                code=code, slot_id=slot_id, service_id=entry.id, service_name=entry.name, hall=hall,
                day=day.isoformat(), slot=slot, name=name, phone=phone, id_number=id_masked,
                address=(address or "").strip()[:200], town=town, channel=channel[:20], status="booked",
                created_at=stamp, updated_at=stamp, idempotency_key=idempotency_key or None))
            return conn.execute(sa.select(bookings).where(bookings.c.code == code)).one()

    def _own(self, conn: sa.engine.Connection, code: str, phone: str) -> Any:
        normalised = codes.normalise(code)
        row = conn.execute(sa.select(bookings).where(bookings.c.code == normalised)).first() if normalised else None
        if row is None or row.phone != clean_phone(phone):  # a wrong phone looks the same as no booking
            raise NotFound("booking_not_found", "没有找到这个预约：请核对预约码和预约时留的手机号。")
        return row

    def get(self, code: str, phone: str) -> dict[str, Any]:
        with self.engine.connect() as conn:
            return public(self._own(conn, code, phone))

    def _open(self, row: Any, now: datetime) -> None:
        if row.status != "booked":
            raise Conflict("booking_cancelled", "这个预约已经取消了。")
        if slot_start(date.fromisoformat(row.day), row.slot) <= local(now):
            raise Conflict("booking_past", "这个预约的时间已经过了，不能再修改或取消。")

    def cancel(self, code: str, phone: str, now: datetime) -> dict[str, Any]:
        with db.transaction(self.engine, clean_phone(phone)) as conn:
            row = self._own(conn, code, phone)
            self._open(row, now)
            conn.execute(sa.update(slots).where(slots.c.id == row.slot_id).values(booked=slots.c.booked - 1))
            conn.execute(sa.update(bookings).where(bookings.c.code == row.code).values(
                status="cancelled", updated_at=local(now).isoformat(timespec="seconds")))
            row = conn.execute(sa.select(bookings).where(bookings.c.code == row.code)).one()
        log.info("cancelled %s for %s", row.code, mask_phone(row.phone))
        return public(row)

    def reschedule(self, code: str, phone: str, day: date, slot: str, now: datetime,
                   hall: str | None = None) -> dict[str, Any]:
        current = self.get(code, phone)
        entry, halls = self.service(current["service_id"])
        hall = self._serving_hall(entry, halls, hall or current["hall"])
        self._check_slot(hall, day, slot, now)
        with db.transaction(self.engine, clean_phone(phone)) as conn:
            row = self._own(conn, code, phone)
            self._open(row, now)
            if (row.hall, row.day, row.slot) == (hall, day.isoformat(), slot):
                return public(row)
            self._person_rules(conn, row.phone, day, slot, now, exclude=row.code)
            slot_id = self._take(conn, row.service_id, hall, day, slot)
            conn.execute(sa.update(slots).where(slots.c.id == row.slot_id).values(booked=slots.c.booked - 1))
            conn.execute(sa.update(bookings).where(bookings.c.code == row.code).values(
                slot_id=slot_id, hall=hall, day=day.isoformat(), slot=slot,
                updated_at=local(now).isoformat(timespec="seconds")))
            row = conn.execute(sa.select(bookings).where(bookings.c.code == row.code)).one()
        log.info("rescheduled %s to %s %s %s", row.code, hall, day, slot)
        return public(row)

    # -- staff -------------------------------------------------------------------------------------

    def day_list(self, hall: str, day: date, include_cancelled: bool = False) -> list[Any]:
        """A hall's bookings on a day, by slot (full rows: staff see names and phones)."""
        query = sa.select(bookings).where(bookings.c.hall == hall, bookings.c.day == day.isoformat())
        if not include_cancelled:
            query = query.where(bookings.c.status == "booked")
        with self.engine.connect() as conn:
            return conn.execute(query.order_by(bookings.c.slot, bookings.c.created_at)).all()
