"""Token buckets by key: how often one client may ask, in the API (per address) and the chat channels
(per conversation).

A key may send ``per_minute`` requests a minute on average and up to ``burst`` at once. Buckets live in
the process's memory; the least recently used are forgotten beyond ``max_keys`` (a forgotten key starts
again with a full bucket, so memory stays bounded under a flood of new keys).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable


class TokenBuckets:
    def __init__(self, per_minute: float, burst: int | None = None, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 100_000):
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.rate = per_minute / 60.0
        self.burst = float(burst if burst is not None else max(1, round(per_minute)))
        self.clock, self.max_keys = clock, max_keys
        self._buckets: OrderedDict[Hashable, tuple[float, float]] = OrderedDict()

    def take(self, key: Hashable) -> float:
        """Spend one request of ``key``: 0.0 when allowed, else the seconds until it would be."""
        now = self.clock()
        tokens, last = self._buckets.pop(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / self.rate
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return wait

    def __len__(self) -> int:
        return len(self._buckets)
