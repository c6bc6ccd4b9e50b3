"""The booking rules on a real SQLite database (the same checks run on PostgreSQL in test_postgres.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from booking.errors import Conflict, Invalid, NotFound
from booking.schema import bookings
from tests.booking.samples import MONDAY, NOW, SATURDAY, consistent, fifty_at_once, open_store


@pytest.fixture
def store(tmp_path):
    opened = open_store(f"sqlite:///{tmp_path / 'lifebot.db'}")
    yield opened
    opened.close()


def test_saturday_slots_follow_the_city_hall_hours(store):
    found = store.available("gov-passport", SATURDAY, NOW)
    assert [s["slot"] for s in found] == ["09:00-09:30", "09:30-10:00", "10:00-10:30", "10:30-11:00",
                                          "11:00-11:30", "11:30-12:00"]
    assert {(s["hall"], s["capacity"], s["remaining"]) for s in found} == {("江阴市民中心", 3, 3)}


def test_town_items_are_offered_at_every_town_hall_and_home_services_in_windows(store):
    halls = {s["hall"] for s in store.available("gov-town", MONDAY, NOW)}
    assert len(halls) == 21 and "江阴市民中心" not in halls and "华士镇政务服务中心" in halls
    home = store.available("conv-clean-daily", date(2026, 11, 29), NOW)  # a Sunday: home services work
    assert [s["slot"] for s in home] == ["08:00-10:00", "10:00-12:00", "12:00-14:00", "14:00-16:00",
                                         "16:00-18:00", "18:00-20:00"]


def test_book_check_cancel_frees_the_place(store):
    booked = store.book("gov-passport", "江阴市民中心", SATURDAY, "09:00-09:30", "张三", "13912345678", NOW,
                        id_number="320281198506123017")
    assert booked["status"] == "booked" and booked["name"] == "张*" and booked["phone"] == "139****5678"
    assert len(booked["code"]) == 6
    assert store.get(booked["code"].lower(), "13912345678")["slot"] == "09:00-09:30"
    with pytest.raises(NotFound):
        store.get(booked["code"], "13900000000")  # someone else's phone
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(bookings.c.id_number)).scalar() == "320281********3017"
    assert store.available("gov-passport", SATURDAY, NOW)[0]["remaining"] == 2
    assert store.cancel(booked["code"], "13912345678", NOW)["status"] == "cancelled"
    assert store.available("gov-passport", SATURDAY, NOW)[0]["remaining"] == 3
    with pytest.raises(Conflict) as cancelled_twice:
        store.cancel(booked["code"], "13912345678", NOW)
    assert cancelled_twice.value.code == "booking_cancelled"
    assert consistent(store.engine) == []


def test_full_width_phone_and_code_are_read_as_half_width(store):
    """Chinese input methods in full-width mode type "１３９…" and "Ｋ７Ｍ２ＱＸ": the same phone, the same code."""
    booked = store.book("gov-passport", "江阴市民中心", SATURDAY, "09:00-09:30", "张三", "１３９ １２３４ ５６７８", NOW)
    full_width_code = "".join(chr(ord(c) + 0xFEE0) for c in booked["code"])
    assert store.get(full_width_code, "１３９１２３４５６７８")["code"] == booked["code"]
    assert store.get(booked["code"], "13912345678")["phone"] == "139****5678"
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(bookings.c.phone)).scalar() == "13912345678"


def test_reschedule_moves_the_place(store):
    booked = store.book("gov-passport", "江阴市民中心", SATURDAY, "09:00-09:30", "张三", "13912345678", NOW)
    moved = store.reschedule(booked["code"], "13912345678", MONDAY, "14:00-14:30", NOW)
    assert (moved["date"], moved["slot"]) == ("2026-11-30", "14:00-14:30")
    assert store.available("gov-passport", SATURDAY, NOW)[0]["remaining"] == 3
    assert consistent(store.engine) == []


@pytest.mark.parametrize(("args", "code"), [
    (("gov-passport", "江阴市民中心", SATURDAY, "09:00-09:30", "张三", "1391234567"), "invalid_phone"),
    (("gov-passport", "江阴市民中心", SATURDAY, "09:00-09:30", "3", "13912345678"), "invalid_name"),
    (("gov-passport", "江阴市民中心", SATURDAY, "09:10-09:40", "张三", "13912345678"), "invalid_slot"),
    (("gov-passport", "华士镇政务服务中心", SATURDAY, "09:00-09:30", "张三", "13912345678"), "hall_not_serving"),
    (("gov-passport", "江阴市民中心", date(2026, 11, 26), "09:00-09:30", "张三", "13912345678"), "date_past"),
    (("gov-walk-in", "江阴市民中心", SATURDAY, "09:00-09:30", "张三", "13912345678"), "not_bookable"),
])
def test_bad_input_is_refused_with_a_reason(store, args, code):
    with pytest.raises(Invalid) as refused:
        store.book(*args, NOW)
    assert refused.value.code == code and refused.value.message


@pytest.mark.parametrize(("day", "slot", "code"), [
    (date(2026, 11, 29), "09:00-09:30", "hall_closed"),          # Sunday
    (date(2027, 1, 4), "09:00-09:30", "date_too_far"),
])
def test_rules_are_conflicts(store, day, slot, code):
    with pytest.raises(Conflict) as refused:
        store.book("gov-passport", "江阴市民中心", day, slot, "张三", "13912345678", NOW)
    assert refused.value.code == code


def test_holidays_close_the_hall_and_uncovered_years_get_a_clear_answer(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'x.db'}", horizon_days=60)
    new_year = NOW.replace(month=12, day=28)
    with pytest.raises(Conflict) as uncovered:
        store.available("gov-passport", date(2027, 1, 4), new_year)
    assert uncovered.value.code == "calendar_not_covered" and "2027" in uncovered.value.message
    store.close()


def test_bookings_close_at_the_lead_time(store):
    late = NOW.replace(day=28, hour=8, minute=30)
    assert [s["slot"] for s in store.available("gov-passport", SATURDAY, late)][0] == "09:30-10:00"
    with pytest.raises(Conflict) as closed:
        store.book("gov-passport", "江阴市民中心", SATURDAY, "09:00-09:30", "张三", "13912345678", late)
    assert closed.value.code == "booking_closed"


def test_one_person_cannot_be_in_two_places_or_hoard(store):
    phone = "13912345678"
    store.book("gov-passport", "江阴市民中心", SATURDAY, "09:00-09:30", "张三", phone, NOW)
    store.book("gov-town", "华士镇政务服务中心", MONDAY, "09:00-09:30", "张三", phone, NOW)
    with pytest.raises(Conflict) as twice:
        store.book("gov-passport", "江阴市民中心", MONDAY, "09:00-09:30", "张三", phone, NOW)
    assert twice.value.code == "overlapping_booking"
    store.book("gov-passport", "江阴市民中心", MONDAY, "10:00-10:30", "张三", phone, NOW)
    with pytest.raises(Conflict) as hoarding:
        store.book("gov-passport", "江阴市民中心", MONDAY, "11:00-11:30", "张三", phone, NOW)
    assert hoarding.value.code == "too_many_bookings"


def test_home_services_need_an_address_in_jiangyin(store):
    sunday = date(2026, 11, 29)
    with pytest.raises(Invalid) as elsewhere:
        store.book("conv-clean-daily", "上门服务", sunday, "08:00-10:00", "张三", "13912345678", NOW,
                   address="无锡市梁溪区中山路1号")
    assert elsewhere.value.code == "address_not_in_jiangyin"
    booked = store.book("conv-clean-daily", "上门服务", sunday, "08:00-10:00", "张三", "13912345678", NOW,
                        address="华士镇华西新村12号")
    assert booked["town"] == "华士镇"


def test_full_slot_and_next_free_days(store):
    for n in range(3):
        store.book("gov-passport", "江阴市民中心", SATURDAY, "09:00-09:30", "张三", f"1390000000{n}", NOW)
    with pytest.raises(Conflict) as full:
        store.book("gov-passport", "江阴市民中心", SATURDAY, "09:00-09:30", "李四", "13800000000", NOW)
    assert full.value.code == "slot_full"
    assert store.next_free_days("gov-passport", "江阴市民中心", SATURDAY, NOW) == [
        MONDAY, MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)]


def test_fifty_at_once_get_exactly_three_places(store):
    done, refused = fifty_at_once(store)
    assert len(done) == 3 and len(refused) == 47
    assert {exc.code for exc in refused} == {"slot_full"}
    assert consistent(store.engine) == []


def test_booking_schema_matches_migration_0003(tmp_path):
    from booking.schema import metadata
    from tests.catalog.samples import check_schema_matches_migrations

    check_schema_matches_migrations(f"sqlite:///{tmp_path / 'schema.db'}", metadata, "booking")
