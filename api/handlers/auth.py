"""Staff log-in and log-out: /api/auth/login, /api/auth/logout, /api/auth/me.

Log-in is a JSON POST (a cross-site form cannot send one without a CORS preflight, which this API
never grants) from this site's origin; failures are throttled per user name and per address.
"""

from __future__ import annotations

import math

from aiohttp import web

from api.auth import COOKIE, blocking, check_origin, client_address, current_session, secure_request, staff
from api.errors import ApiError
from api.handlers.staff_io import json_body
from api.typedefs import settings_key, staff_key


def _me(session) -> dict:
    return {"user": session.user.to_dict(), "csrf_token": session.csrf_token, "expires_at": session.expires_at}


async def _credentials(request: web.Request) -> tuple[str, str]:
    body = await json_body(request)
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or not username.strip() or not password:
        raise ApiError(400, "missing_credentials", "请输入用户名和密码")
    if len(username) > 64 or len(password) > 256:
        raise ApiError(400, "bad_credentials", "用户名或密码不正确")
    return username.strip().lower(), password


async def login(request: web.Request) -> web.Response:
    check_origin(request)
    username, password = await _credentials(request)
    staff_db, address = request.app[staff_key], client_address(request)
    wait = await blocking(request, staff_db.throttle.retry_after, username, address)
    if wait > 0:
        minutes = max(1, math.ceil(wait / 60))
        raise ApiError(429, "too_many_attempts", f"登录失败次数过多，请 {minutes} 分钟后再试")
    user = await blocking(request, staff_db.users.authenticate, username, password)
    if user is None:
        await blocking(request, staff_db.throttle.failed, username, address)
        await blocking(request, staff_db.audit.record, username, "login_failed", address)
        raise ApiError(401, "bad_credentials", "用户名或密码不正确")
    await blocking(request, staff_db.throttle.succeeded, username)
    session = await blocking(request, staff_db.sessions.start, user)
    await blocking(request, staff_db.audit.record, username, "login", address)
    response = web.json_response(_me(session))
    settings = request.app[settings_key]
    response.set_cookie(COOKIE, session.token, httponly=True, samesite="Strict", path="/",
                        secure=secure_request(request), max_age=settings.staff_session_max_hours * 3600)
    return response


async def logout(request: web.Request) -> web.Response:
    check_origin(request)
    session = await current_session(request)
    response = web.json_response({"ok": True})
    if session is not None:
        if not session.csrf_ok(request.headers.get("X-CSRF-Token")):
            raise ApiError(403, "csrf_failed", "页面已过期或来源不明，请刷新页面后重试")
        await blocking(request, request.app[staff_key].sessions.end, session.token)
        await blocking(request, request.app[staff_key].audit.record, session.user.username, "logout", "")
    response.del_cookie(COOKIE, path="/")
    return response


@staff()
async def me(request: web.Request) -> web.Response:
    return web.json_response(_me(request["session"]))
