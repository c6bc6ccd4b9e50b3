"""Who is asking: staff sessions from the cookie, roles, CSRF, and the action server's internal token.

Every staff URL is wrapped in ``staff(*roles)``: no live session is 401 ``not_logged_in``; a request
from another origin, a state-changing request without the session's CSRF token in ``X-CSRF-Token``,
or a user without one of ``roles`` is 403.
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import ipaddress
from urllib.parse import urlsplit

from aiohttp import web

from api.errors import ApiError
from api.typedefs import executor_key, settings_key, staff_key

COOKIE = "lifebot_staff"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


async def blocking(request: web.Request, func, *args, **kwargs):
    """Run a database call off the event loop."""
    call = functools.partial(func, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(request.app[executor_key], call)


def secure_request(request: web.Request) -> bool:
    setting = request.app[settings_key].cookie_secure
    if setting in ("true", "false"):
        return setting == "true"
    return request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"


def check_origin(request: web.Request) -> None:
    """Browsers send Origin on cross-site and state-changing requests: it must be this site."""
    origin = request.headers.get("Origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.host:
        raise ApiError(403, "bad_origin", "请求来源不被允许")
    if origin == "null":
        raise ApiError(403, "bad_origin", "请求来源不被允许")


async def current_session(request: web.Request):
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    return await blocking(request, request.app[staff_key].sessions.get, token)


def staff(*roles: str):
    """Decorator for staff handlers; the session is in ``request["session"]``."""

    def wrap(handler):
        @functools.wraps(handler)
        async def guarded(request: web.Request) -> web.StreamResponse:
            session = await current_session(request)
            if session is None:
                raise ApiError(401, "not_logged_in", "请先登录")
            check_origin(request)
            if request.method not in SAFE_METHODS and not session.csrf_ok(request.headers.get(CSRF_HEADER)):
                raise ApiError(403, "csrf_failed", "页面已过期或来源不明，请刷新页面后重试")
            if roles and not session.user.has(*roles):
                raise ApiError(403, "forbidden", "您的账号没有这项权限")
            request["session"] = session
            return await handler(request)

        guarded.roles = roles  # the tests check every staff URL against this
        return guarded

    return wrap


def internal(handler):
    """Decorator for URLs only the action server calls, with the shared token in ``X-Lifebot-Token``."""

    @functools.wraps(handler)
    async def guarded(request: web.Request) -> web.StreamResponse:
        if not internal_caller(request):
            raise ApiError(401, "bad_token", "内部接口需要有效的令牌")
        return await handler(request)

    return guarded


def internal_caller(request: web.Request) -> bool:
    """The request carries the action server's shared token (constant-time compare)."""
    expected = request.app[settings_key].internal_token
    presented = request.headers.get("X-Lifebot-Token", "")
    return bool(expected) and hmac.compare_digest(presented.encode(), expected.encode())


def actor(request: web.Request) -> str:
    return request["session"].user.username


def client_address(request: web.Request) -> str:
    """The client's address: the connection's, or, when that is a trusted proxy (settings
    ``trusted_proxies``), the nearest X-Forwarded-For hop that is not one. Behind nginx every
    connection comes from nginx, and a limit per connection address would be one limit for everyone."""
    remote = request.remote or "unknown"
    proxies = networks(tuple(request.app[settings_key].trusted_proxies))
    if not _among(remote, proxies):
        return remote
    hops = [hop.strip() for value in request.headers.getall("X-Forwarded-For", []) for hop in value.split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _among(hop, proxies):
            return hop[:64]
    return remote


@functools.lru_cache(maxsize=8)
def networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies)


def _among(address: str, nets: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in nets)
