"""Latency of the operators' live suggestions: one logged-in operator "types" golden-set queries and
GET /api/console/suggest is asked for each growing prefix (what the debounced page sends), against
the real API process.
"""

from __future__ import annotations

import secrets
import statistics
import time
from dataclasses import dataclass

import aiohttp


@dataclass
class SuggestLoad:
    requests: int
    errors: int
    latencies_ms: list[float]

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    def row(self) -> str:
        return (f"| {self.requests} | {self.errors} | {statistics.median(self.latencies_ms):.0f} / "
                f"{self.percentile(95):.0f} / {self.percentile(99):.0f} | {max(self.latencies_ms):.0f} |")


def bench_account(staff) -> tuple[str, str]:
    """A throw-away operator account (disabled again by the caller)."""
    username, password = f"bench-{secrets.token_hex(4)}", secrets.token_urlsafe(16)
    staff.users.create(username, password, ["operator"], "基准测试")
    return username, password


def prefixes(query: str, step: int = 3) -> list[str]:
    """What a debounced page sends while the query is typed: every few characters, then the whole."""
    cuts = list(range(step, len(query), step)) + [len(query)]
    return [query[:cut] for cut in cuts]


async def load(base_url: str, username: str, password: str, queries: list[str]) -> SuggestLoad:
    latencies: list[float] = []
    errors = 0
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60),
                                     cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.post(f"{base_url}/api/auth/login",
                                json={"username": username, "password": password}) as response:
            response.raise_for_status()
        for query in queries:
            for text in prefixes(query):
                started = time.perf_counter()
                async with session.get(f"{base_url}/api/console/suggest", params={"q": text}) as response:
                    await response.read()
                    errors += response.status != 200
                latencies.append((time.perf_counter() - started) * 1000)
    return SuggestLoad(len(latencies), errors, latencies)
