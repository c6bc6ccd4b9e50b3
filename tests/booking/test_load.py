"""Through the real API process: 50 residents at a capacity-3 slot, and an API killed mid-run."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
import sqlalchemy as sa

from booking.db import create_engine
from booking.schema import bookings
from tests.booking.live import LiveApi, first_open_day
from tests.booking.samples import consistent

HALL = "江阴市民中心"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'lifebot.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def live(db_url, tmp_path):
    api = LiveApi(db_url, tmp_path)
    yield api
    api.stop()


def booking(day, slot: str, n: int) -> dict:
    return {"service_id": "gov-passport", "hall": HALL, "date": day.isoformat(), "slot": slot,
            "name": "张三", "phone": f"139{n:08d}"}


async def test_fifty_concurrent_requests_get_three_bookings_and_47_clear_409s(live):
    async with aiohttp.ClientSession() as session:
        day, free = await first_open_day(session, live.url, "gov-passport", HALL)
        slot = free[0]["slot"]

        async def one(n: int) -> tuple[int, dict]:
            async with session.post(f"{live.url}/api/bookings", json=booking(day, slot, n)) as response:
                return response.status, await response.json()

        results = await asyncio.gather(*(one(n) for n in range(50)))
        statuses = sorted(status for status, _ in results)
        assert statuses == [201] * 3 + [409] * 47
        assert {body["error"]["code"] for status, body in results if status == 409} == {"slot_full"}
        assert all("约满" in body["error"]["message"] for status, body in results if status == 409)
        params = {"service_id": "gov-passport", "date": day.isoformat(), "hall": HALL}
        async with session.get(f"{live.url}/api/slots", params=params) as response:
            left = {s["slot"]: s["remaining"] for s in (await response.json())["slots"]}
        assert left[slot] == 0


async def test_killing_the_api_mid_run_leaves_no_half_written_booking(live, db_url):
    confirmed: list[str] = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        day, free = await first_open_day(session, live.url, "gov-passport", HALL)
        slots = [s["slot"] for s in free]

        async def client(k: int) -> None:
            for n in range(200):
                body = booking(day, slots[(k + n) % len(slots)], k * 1000 + n)
                try:
                    async with session.post(f"{live.url}/api/bookings", json=body) as response:
                        if response.status == 201:
                            confirmed.append((await response.json())["code"])
                except aiohttp.ClientError:
                    return  # the API is gone

        clients = [asyncio.create_task(client(k)) for k in range(8)]
        while len(confirmed) < 5:
            await asyncio.sleep(0.01)
        live.kill()  # SIGKILL: no clean shutdown, transactions in flight are cut off
        await asyncio.gather(*clients)
    engine = create_engine(db_url)
    try:
        assert consistent(engine) == []  # every counter equals the bookings that hold it
        with engine.connect() as conn:
            stored = set(conn.execute(sa.select(bookings.c.code)).scalars())
        assert set(confirmed) <= stored  # nothing confirmed to a resident was lost
    finally:
        engine.dispose()
