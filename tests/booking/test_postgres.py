"""The booking guarantees on a real PostgreSQL server (tests/pg.py)."""

from __future__ import annotations

import pytest

from booking.errors import Conflict
from tests.booking.samples import NOW, SATURDAY, consistent, fifty_at_once, open_store

pytestmark = pytest.mark.postgres
SLOTS = ["09:00-09:30", "09:30-10:00", "10:00-10:30", "10:30-11:00", "11:00-11:30", "11:30-12:00"]


@pytest.fixture
def pg_store(postgres_url):
    store = open_store(postgres_url)
    assert store.engine.dialect.name == "postgresql"
    yield store
    store.close()


def test_fifty_at_once_get_exactly_three_places(pg_store):
    done, refused = fifty_at_once(pg_store)
    assert len(done) == 3 and len(refused) == 47
    assert {exc.code for exc in refused} == {"slot_full"}
    assert consistent(pg_store.engine) == []


def test_one_phone_racing_itself_gets_one_booking_per_time(pg_store):
    import threading

    results: list[str] = []
    barrier = threading.Barrier(10)

    def one(n: int) -> None:
        barrier.wait()
        try:
            pg_store.book("gov-passport", "江阴市民中心", SATURDAY, SLOTS[n % len(SLOTS)], "张三", "13912345678", NOW)
            results.append("ok")
        except Conflict as exc:
            results.append(exc.code)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 3  # max_open: three open bookings per phone, however fast it asks
    assert set(results) <= {"ok", "too_many_bookings", "overlapping_booking"}
    assert consistent(pg_store.engine) == []


def test_cancel_and_reschedule(pg_store):
    booked = pg_store.book("gov-passport", "江阴市民中心", SATURDAY, "09:00-09:30", "张三", "13912345678", NOW)
    moved = pg_store.reschedule(booked["code"], "13912345678", SATURDAY, "10:00-10:30", NOW)
    assert moved["slot"] == "10:00-10:30"
    assert pg_store.cancel(booked["code"], "13912345678", NOW)["status"] == "cancelled"
    assert consistent(pg_store.engine) == []
