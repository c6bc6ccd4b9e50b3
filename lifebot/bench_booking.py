"""Bookings per second through the real API: N concurrent clients, each booking a free place.

A fresh database in a temporary var dir is seeded with the real catalog; the API runs as its own
process (as `lifebot run` starts it) on a free port. Every request books a different place with a
different phone, so the figure measures the booking transaction itself (capacity check, counter,
row insert, commit), not refusals.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass
from datetime import date, timedelta

import aiohttp


@dataclass
class BookingLoad:
    clients: int
    requests: int
    booked: int
    refused: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.booked / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    def row(self) -> str:
        return (f"| {self.clients} | {self.requests} | {self.booked} | {self.refused} | {self.per_second:.1f} | "
                f"{statistics.median(self.latencies_ms):.0f} / {self.percentile(95):.0f} / "
                f"{self.percentile(99):.0f} |")


async def places(base_url: str, service_id: str, needed: int, headers: dict[str, str] | None = None) -> list[dict]:
    """Free (hall, date, slot) places from tomorrow on, each repeated by its remaining capacity."""
    found: list[dict] = []
    day = date.today()
    async with aiohttp.ClientSession(headers=headers) as session:
        for _ in range(14):
            day += timedelta(days=1)
            async with session.get(f"{base_url}/api/slots", params={"service_id": service_id,
                                                                    "date": day.isoformat()}) as response:
                body = await response.json()
            for slot in body.get("slots", []):
                found.extend({"service_id": service_id, "hall": slot["hall"], "date": day.isoformat(),
                              "slot": slot["slot"]} for _ in range(slot["remaining"]))
            if len(found) >= needed:
                break
    return found[:needed]


async def load(base_url: str, todo: list[dict], clients: int, first_phone: int,
               headers: dict[str, str] | None = None) -> BookingLoad:
    """``headers``: the internal token, so the per-address limit (api/rate_limit.py) does not count the bench."""
    latencies: list[float] = []
    booked = refused = 0
    counter = iter(range(len(todo)))

    async def client(session: aiohttp.ClientSession) -> None:
        nonlocal booked, refused
        for n in counter:
            body = {**todo[n], "name": "测试", "phone": f"139{first_phone + n:08d}"}
            started = time.perf_counter()
            async with session.post(f"{base_url}/api/bookings", json=body) as response:
                await response.read()
                booked += response.status == 201
                refused += response.status != 201
            latencies.append((time.perf_counter() - started) * 1000)

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60), headers=headers) as session:
        started = time.perf_counter()
        await asyncio.gather(*(client(session) for _ in range(clients)))
        seconds = time.perf_counter() - started
    return BookingLoad(clients, len(todo), booked, refused, seconds, latencies)
