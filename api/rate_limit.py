"""How often one client address may call the residents' public URLs.

Each public URL belongs to a class with its own limit a minute (settings ``rate_limits``):

- ``search``: searching and reading the catalog, routing a text, an address, free slots;
- ``lookup``: a ticket or booking by its number and the phone given with it (what a guesser asks);
- ``write``: filing a ticket, booking, cancelling and moving a booking.

Over the limit is 429 ``rate_limited`` with ``Retry-After`` and a Chinese message; nothing is done.
Not limited: the staff URLs (their own log-in throttling, accounts/throttle.py), a logged-in staff
member calling a resident's URL (the operators' console routes each caller's words and files their
tickets, and a call centre's operators share one address), the action server (it presents the
internal token; residents reach it through the chat channels, limited there by
bot/channels/limits.py), health, the OpenAPI document and the pages. The buckets live in the process,
or with ``rate_limit_redis_url`` in Redis, shared by every API worker (the scaled layout sets it, so
nginx's round robin does not multiply a client's allowance). The address comes from
``client_address``, which trusts X-Forwarded-For only from ``trusted_proxies``.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import web

from api.auth import client_address, current_session, internal_caller
from api.errors import json_error
from api.typedefs import rate_limits_key
from lifebot.rate_limit import SharedTokenBuckets, TokenBuckets, redis_client

DEFAULT_PER_MINUTE = {"search": 120, "lookup": 20, "write": 10}

URL_CLASSES = {
    ("GET", "/api/search"): "search",
    ("GET", "/api/services/{id}"): "search",
    ("POST", "/api/route"): "search",
    ("GET", "/api/address"): "search",
    ("GET", "/api/slots"): "search",
    ("GET", "/api/tickets/{no}"): "lookup",
    ("GET", "/api/bookings/{code}"): "lookup",
    ("POST", "/api/tickets"): "write",
    ("POST", "/api/bookings"): "write",
    ("DELETE", "/api/bookings/{code}"): "write",
    ("PATCH", "/api/bookings/{code}"): "write",
}


Take = Callable[[str], Awaitable[float]]  # spend one request of an address: seconds to wait, 0.0 if allowed


def limits_from(limits: Mapping[str, Any], redis_url: str = "") -> tuple[dict[str, Take], Any]:
    """(class -> its bucket's ``take``, for each class whose limit is above 0; the Redis client to close
    at shutdown, or None). Unknown classes are a settings error."""
    unknown = set(limits) - set(DEFAULT_PER_MINUTE)
    if unknown:
        raise ValueError(f"unknown rate limit classes: {', '.join(sorted(unknown))}")
    per_minute = {**DEFAULT_PER_MINUTE, **{k: float(v) for k, v in limits.items()}}
    per_minute = {name: n for name, n in per_minute.items() if n > 0}
    if not redis_url:
        return {name: _in_process(TokenBuckets(n)) for name, n in per_minute.items()}, None
    client = redis_client(redis_url)
    return {name: SharedTokenBuckets(client, f"lifebot:rate:{name}", n).take for name, n in per_minute.items()}, client


def _in_process(buckets: TokenBuckets) -> Take:
    async def take(key: str) -> float:
        return buckets.take(key)

    return take


def url_class(request: web.Request) -> str | None:
    resource = request.match_info.route.resource
    return URL_CLASSES.get((request.method, resource.canonical)) if resource is not None else None


@web.middleware
async def rate_limit_middleware(request: web.Request, handler):
    name = url_class(request)
    take = request.app[rate_limits_key].get(name) if name else None
    if take is not None and not internal_caller(request) and await current_session(request) is None:
        wait = await take(client_address(request))
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            response = json_error(429, "rate_limited", f"请求太频繁，请 {seconds} 秒后再试")
            response.headers["Retry-After"] = str(seconds)
            return response
    return await handler(request)
