"""Entries, a clock and checks shared by the booking tests (run on SQLite and PostgreSQL alike)."""

from __future__ import annotations

import threading
from datetime import date, datetime

import sqlalchemy as sa

from booking.dates import JIANGYIN
from booking.errors import Conflict
from booking.policy import Policy
from booking.schema import bookings, slots
from booking.store import BookingStore
from catalog.entry import Entry, Location

# Friday 27 November 2026, 11 p.m.: residents book for tomorrow (Saturday, the city hall opens 9-12).
NOW = datetime(2026, 11, 27, 23, 0, tzinfo=JIANGYIN)
SATURDAY = date(2026, 11, 28)
MONDAY = date(2026, 11, 30)
CITY_HALL_HOURS = "周一至周五 8:30-12:00，13:30-17:00；周六 9:00-12:00（部分窗口）"

PASSPORT = Entry(id="gov-passport", name="普通护照签发", kind="government", category="户籍证件",
                 department="江阴市公安局", appointment=True, phone="0510-86862110",
                 locations=[Location("江阴市民中心（公安局窗口）", "江阴市澄江中路159号", CITY_HALL_HOURS)])
TOWN_ITEM = Entry(id="gov-town", name="城乡居民医保参保登记", kind="government", category="社会保障",
                  department="江阴市医保局", appointment=True,
                  locations=[Location("各镇（街道、园区）政务服务中心", "", "周一至周五 8:30-12:00，13:30-17:00")])
CLEANING = Entry(id="conv-clean-daily", name="日常保洁（钟点工）", kind="convenience", category="家政保洁",
                 department="江阴市家庭服务业协会", appointment=True,
                 locations=[Location("上门服务", "江阴市全域（含各镇、街道）", "每天 8:00-20:00")])
WALK_IN = Entry(id="gov-walk-in", name="户口本遗失补领", kind="government", category="户籍证件",
                department="江阴市公安局", appointment=False, locations=PASSPORT.locations)
ENTRIES = {e.id: e for e in (PASSPORT, TOWN_ITEM, CLEANING, WALK_IN)}


def open_store(url: str, **policy: int) -> BookingStore:
    return BookingStore(url, ENTRIES.get, Policy(**policy))


def fifty_at_once(store: BookingStore) -> tuple[list[dict], list[Conflict]]:
    """50 residents (50 phones) book the same capacity-3 slot at the same instant."""
    barrier = threading.Barrier(50)
    done: list[dict] = []
    refused: list[Conflict] = []
    lock = threading.Lock()

    def one(n: int) -> None:
        barrier.wait()
        try:
            booked = store.book("gov-passport", "江阴市民中心", SATURDAY, "09:00-09:30", "张三",
                                f"139{n:08d}", NOW)
            with lock:
                done.append(booked)
        except Conflict as exc:
            with lock:
                refused.append(exc)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done, refused


def consistent(engine: sa.engine.Engine) -> list[tuple]:
    """Slots whose counter disagrees with the open bookings pointing at them (must be [])."""
    with engine.connect() as conn:
        counted = dict(conn.execute(sa.select(bookings.c.slot_id, sa.func.count()).where(
            bookings.c.status == "booked").group_by(bookings.c.slot_id)).all())
        rows = conn.execute(sa.select(slots.c.id, slots.c.booked, slots.c.capacity)).all()
    return [(r.id, r.booked, counted.get(r.id, 0)) for r in rows
            if r.booked != counted.get(r.id, 0) or r.booked > r.capacity]
