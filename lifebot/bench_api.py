"""Load on the real API: N concurrent clients sending golden-set queries to GET /api/search.

The API is started the way `lifebot run` starts it (its own process, its test-variant ports), and
the clients run in this process on loopback; the run is bounded by a request count.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass

import aiohttp


@dataclass
class ApiLoad:
    clients: int
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def qps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    def row(self) -> str:
        return (f"| {self.clients} | {self.requests} | {self.errors} | {self.qps:.1f} | "
                f"{statistics.median(self.latencies_ms):.0f} / {self.percentile(95):.0f} / "
                f"{self.percentile(99):.0f} |")


async def load(base_url: str, queries: list[str], clients: int, total: int,
               headers: dict[str, str] | None = None) -> ApiLoad:
    """``headers``: the internal token, so the per-address limit (api/rate_limit.py) does not count the bench."""
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))

    async def client(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        for n in counter:
            started = time.perf_counter()
            async with session.get(f"{base_url}/api/search", params={"q": queries[n % len(queries)]}) as resp:
                await resp.read()
                errors += resp.status != 200
            latencies.append((time.perf_counter() - started) * 1000)

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60), headers=headers) as session:
        started = time.perf_counter()
        await asyncio.gather(*(client(session) for _ in range(clients)))
        seconds = time.perf_counter() - started
    return ApiLoad(clients, total, errors, seconds, latencies)
