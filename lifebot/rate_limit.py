"""Token buckets by key: how often one client may ask, in the API (per address) and the chat channels
(per conversation).

A key may send ``per_minute`` requests a minute on average and up to ``burst`` at once; a refused
request spends nothing. ``TokenBuckets`` live in the process's memory; the least recently used are
forgotten beyond ``max_keys`` (a forgotten key starts again with a full bucket, so memory stays bounded
under a flood of new keys). ``SharedTokenBuckets`` keep the same buckets in Redis, so that several
processes (the scaled layout's API workers) count one client once; an idle bucket expires once it
would be full again.
"""

from __future__ import annotations

import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

log = logging.getLogger(__name__)


def rate_and_burst(per_minute: float, burst: int | None) -> tuple[float, float]:
    """(tokens a second, bucket size): ``burst`` defaults to a minute's worth."""
    if per_minute <= 0:
        raise ValueError("per_minute must be positive")
    return per_minute / 60.0, float(burst if burst is not None else max(1, round(per_minute)))


class TokenBuckets:
    def __init__(self, per_minute: float, burst: int | None = None, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 100_000):
        self.rate, self.burst = rate_and_burst(per_minute, burst)
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


# KEYS[1]: the bucket; ARGV: tokens a second, burst, seconds an idle bucket is kept. Redis's own clock,
# so every process sees one time; the wait is returned as a string (Lua numbers become integers).
_TAKE = """
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1000000
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(state[1]), tonumber(state[2])
if tokens == nil or at == nil then tokens, at = burst, now end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('EXPIRE', KEYS[1], ARGV[3])
return tostring(wait)
"""


class SharedTokenBuckets:
    """TokenBuckets in Redis under ``prefix``: every process using the same Redis and prefix shares them.

    ``client`` is a ``redis.asyncio.Redis``. When Redis cannot be reached the request is let through
    (logged at most once a minute): a limit that stops every resident would be worse than none.
    """

    def __init__(self, client: Any, prefix: str, per_minute: float, burst: int | None = None):
        from redis.exceptions import RedisError

        self.client, self.prefix = client, prefix
        self.rate, self.burst = rate_and_burst(per_minute, burst)
        self.unreachable = (RedisError, OSError)
        self.keep_seconds = math.ceil(self.burst / self.rate) + 1
        self._script = client.register_script(_TAKE)
        self._warned_at = -math.inf

    async def take(self, key: str) -> float:
        """Spend one request of ``key``: 0.0 when allowed, else the seconds until it would be."""
        try:
            wait = await self._script(keys=[f"{self.prefix}:{key}"], args=[self.rate, self.burst, self.keep_seconds])
        except self.unreachable as error:
            if time.monotonic() - self._warned_at > 60:
                self._warned_at = time.monotonic()
                log.warning("rate limit store unreachable, requests are not limited: %s", error)
            return 0.0
        return float(wait)


def redis_client(url: str) -> Any:
    """An asyncio Redis client for SharedTokenBuckets; it connects on first use, and gives up fast."""
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
    client.auto_close_connection_pool = True  # close() ends its connections too (redis-py 4 leaves them open)
    return client
