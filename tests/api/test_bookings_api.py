"""The booking URLs over real HTTP: exact JSON, and every error as {"error": {"code", "message"}}."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from booking.dates import JIANGYIN
from catalog.entry import Entry, Location

HOURS = "周一至周五 8:30-12:00，13:30-17:00；周六 9:00-12:00（部分窗口）"
PASSPORT = Entry(id="gov-passport-test", name="普通护照签发", kind="government", category="户籍证件",
                 department="江阴市公安局", appointment=True,
                 locations=[Location("江阴市民中心（公安局窗口）", "江阴市澄江中路159号", HOURS)])


@pytest.fixture
async def booking_client(seeded_store, client):
    seeded_store.put_many([PASSPORT], author="test", reason="booking")
    for _ in range(100):  # the running API follows the catalog within catalog_poll_seconds
        if (await client.get(f"/api/services/{PASSPORT.id}")).status == 200:
            return client
        await asyncio.sleep(0.1)
    raise AssertionError("the API never saw the new entry")


async def open_day(client) -> tuple[str, str]:
    day = datetime.now(JIANGYIN).date()  # the service's today, whatever the machine's zone
    for _ in range(14):
        day += timedelta(days=1)
        response = await client.get("/api/slots", params={"service_id": PASSPORT.id, "date": day.isoformat(),
                                                          "hall": "江阴市民中心"})
        slots = (await response.json())["slots"]
        if slots:
            return day.isoformat(), slots[0]["slot"]
    raise AssertionError("no open day")


async def test_slots_book_check_reschedule_cancel(booking_client):
    client = booking_client
    day, slot = await open_day(client)
    response = await client.get("/api/slots", params={"service_id": PASSPORT.id, "date": day})
    body = await response.json()
    assert response.status == 200 and set(body) == {"service_id", "date", "slots", "halls"}
    assert body["slots"][0] == {"hall": "江阴市民中心", "slot": slot, "capacity": 3, "remaining": 3}
    assert body["halls"] == ["江阴市民中心"]

    request = {"service_id": PASSPORT.id, "hall": "江阴市民中心", "date": day, "slot": slot, "name": "张三",
               "phone": "13912345678", "id_number": "320281198506123017"}
    response = await client.post("/api/bookings", json=request)
    booked = await response.json()
    assert response.status == 201
    assert booked == {"code": booked["code"], "service_id": PASSPORT.id, "service_name": "普通护照签发",
                      "hall": "江阴市民中心", "date": day, "slot": slot, "name": "张*", "phone": "139****5678",
                      "address": "", "town": "", "status": "booked"}
    code = booked["code"]

    response = await client.get(f"/api/bookings/{code}", params={"phone": "13912345678"})
    assert response.status == 200 and (await response.json())["code"] == code
    response = await client.get(f"/api/bookings/{code}", params={"phone": "13800000000"})
    assert response.status == 404 and (await response.json())["error"]["code"] == "booking_not_found"

    later = (await client.get("/api/slots", params={"service_id": PASSPORT.id, "date": day}))
    other = [s["slot"] for s in (await later.json())["slots"] if s["slot"] != slot][0]
    response = await client.patch(f"/api/bookings/{code}", params={"phone": "13912345678"},
                                  json={"date": day, "slot": other})
    assert response.status == 200 and (await response.json())["slot"] == other

    response = await client.delete(f"/api/bookings/{code}", params={"phone": "13912345678"})
    assert response.status == 200 and (await response.json())["status"] == "cancelled"
    response = await client.delete(f"/api/bookings/{code}", params={"phone": "13912345678"})
    assert response.status == 409 and (await response.json())["error"]["code"] == "booking_cancelled"


@pytest.mark.parametrize(("change", "status", "code"), [
    ({"phone": "12345"}, 400, "invalid_phone"),
    ({"name": ""}, 400, "missing_field"),
    ({"date": "明天"}, 400, "invalid_date"),
    ({"slot": "25:00-25:30"}, 400, "invalid_slot"),
    ({"hall": "华士镇政务服务中心"}, 400, "hall_not_serving"),
    ({"service_id": "no-such-service"}, 404, "unknown_service"),
    ({"id_number": "320281198506123018"}, 400, "invalid_id_number"),
    ({"name": ["张三"]}, 400, "bad_field"),
])
async def test_bad_bookings_get_a_clear_chinese_error(booking_client, change, status, code):
    day, slot = await open_day(booking_client)
    request = {"service_id": PASSPORT.id, "hall": "江阴市民中心", "date": day, "slot": slot, "name": "张三",
               "phone": "13912345678", **change}
    response = await booking_client.post("/api/bookings", json=request)
    body = await response.json()
    assert response.status == status and body["error"]["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["error"]["message"])
    slots = await (await booking_client.get("/api/slots", params={"service_id": PASSPORT.id, "date": day})).json()
    assert all(s["remaining"] == 3 for s in slots["slots"])  # nothing was taken


async def test_malformed_requests(booking_client):
    response = await booking_client.post("/api/bookings", data="not json")
    assert response.status == 400 and (await response.json())["error"]["code"] == "bad_json"
    response = await booking_client.get("/api/slots", params={"service_id": PASSPORT.id})
    assert response.status == 400 and (await response.json())["error"]["code"] == "missing_parameter"
    response = await booking_client.get("/api/bookings/ABC234")
    assert response.status == 400 and (await response.json())["error"]["code"] == "missing_parameter"


async def test_a_closed_day_offers_the_next_free_days(booking_client):
    day = datetime.now(JIANGYIN).date() + timedelta(days=1)
    while day.weekday() != 6:  # a Sunday: the city hall is closed
        day += timedelta(days=1)
    response = await booking_client.get("/api/slots", params={"service_id": PASSPORT.id, "date": day.isoformat(),
                                                              "hall": "江阴市民中心"})
    body = await response.json()
    assert response.status == 200 and body["slots"] == []
    assert len(body["next_free_days"]) == 3 and all(d > day.isoformat() for d in body["next_free_days"])
