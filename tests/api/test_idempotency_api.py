"""Idempotency keys on POST /api/bookings and /api/tickets (docs/reliability.md): a repeat gets the
first booking or ticket back with 200 and creates nothing; every key misuse is a clear error."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa

from booking.schema import bookings
from routing.tickets.schema import tickets
from tests.api import test_bookings_api
from tests.api.test_bookings_api import PASSPORT, open_day

booking_client = test_bookings_api.booking_client  # the fixture: the API with the passport entry

REPORT = {"text": "楼下饭店油烟太大，晚上熏得开不了窗", "address": "澄江街道人民中路268号", "phone": "13812345678",
          "channel": "web", "conversation_id": "conv-1"}


def count(settings, table: sa.Table) -> int:
    engine = sa.create_engine(settings.db_url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
    finally:
        engine.dispose()


async def test_a_repeated_booking_key_gives_back_the_same_booking(booking_client, api_settings):
    day, slot = await open_day(booking_client)
    request = {"service_id": PASSPORT.id, "hall": "江阴市民中心", "date": day, "slot": slot, "name": "张三",
               "phone": "13912345678"}
    first = await booking_client.post("/api/bookings", json=request, headers={"Idempotency-Key": "conv-1:abc"})
    again = await booking_client.post("/api/bookings", json=request, headers={"Idempotency-Key": "conv-1:abc"})
    in_body = await booking_client.post("/api/bookings", json={**request, "idempotency_key": "conv-1:abc"})
    assert (first.status, again.status, in_body.status) == (201, 200, 200)
    booked = await first.json()
    assert await again.json() == booked and await in_body.json() == booked
    assert count(api_settings, bookings) == 1

    # Without a key the same request is a new booking, which the booking rules refuse here.
    response = await booking_client.post("/api/bookings", json=request)
    assert response.status == 409 and (await response.json())["error"]["code"] == "overlapping_booking"


async def test_concurrent_repeats_of_one_booking_key_make_one_booking(booking_client, api_settings):
    day, slot = await open_day(booking_client)
    request = {"service_id": PASSPORT.id, "hall": "江阴市民中心", "date": day, "slot": slot, "name": "李四",
               "phone": "13812345678", "idempotency_key": "conv-2:race"}
    answers = await asyncio.gather(*(booking_client.post("/api/bookings", json=request) for _ in range(5)))
    codes = {(await a.json())["code"] for a in answers}
    assert all(a.status in (200, 201) for a in answers) and len(codes) == 1
    assert count(api_settings, bookings) == 1


async def test_booking_key_misuse_is_a_clear_error(booking_client):
    day, slot = await open_day(booking_client)
    request = {"service_id": PASSPORT.id, "hall": "江阴市民中心", "date": day, "slot": slot, "name": "张三",
               "phone": "13912345678", "idempotency_key": "k-1"}
    assert (await booking_client.post("/api/bookings", json=request)).status == 201
    other_phone = await booking_client.post("/api/bookings", json={**request, "phone": "13700001111"})
    assert other_phone.status == 409
    assert (await other_phone.json())["error"]["code"] == "idempotency_key_reused"
    for bad in ("x" * 101, "有中文", "with space", 42):
        response = await booking_client.post("/api/bookings", json={**request, "idempotency_key": bad})
        error = (await response.json())["error"]
        assert response.status == 400 and error["code"] == "invalid_idempotency_key", bad
        assert "请求编号" in error["message"]


async def test_a_repeated_ticket_key_gives_back_the_same_ticket(client, api_settings):
    first = await client.post("/api/tickets", json=REPORT, headers={"Idempotency-Key": "conv-1:report"})
    again = await client.post("/api/tickets", json=REPORT, headers={"Idempotency-Key": "conv-1:report"})
    assert (first.status, again.status) == (201, 200)
    ticket = await first.json()
    assert (await again.json())["number"] == ticket["number"]
    assert count(api_settings, tickets) == 1
    other = await client.post("/api/tickets", json={**REPORT, "phone": "13700001111"},
                              headers={"Idempotency-Key": "conv-1:report"})
    assert other.status == 409 and (await other.json())["error"]["code"] == "idempotency_key_reused"
    fresh = await client.post("/api/tickets", json=REPORT)  # no key: a second report is a second ticket
    assert fresh.status == 201 and count(api_settings, tickets) == 2
