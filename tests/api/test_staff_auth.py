"""Every staff URL is behind log-in: 401 without a session, 403 for a wrong role, a missing CSRF token
or a foreign origin; log-in sets a hardened cookie and is throttled."""

from __future__ import annotations

import dataclasses

import pytest
from aiohttp.test_utils import TestClient, TestServer

from api.main import create_app

from .staff_helpers import PASSWORD, create_accounts, login

TOKEN = "internal-test-token"


@pytest.fixture
async def staff_client(api_settings, seeded_store):
    settings = dataclasses.replace(api_settings, internal_token=TOKEN, login_max_failures=3)
    create_accounts(settings.db_url)
    async with TestClient(TestServer(create_app(settings))) as client:
        yield client


def staff_routes(app) -> list[tuple[str, str, tuple[str, ...]]]:
    """(method, path, roles) of every URL guarded by api.auth.staff: new URLs are checked too."""
    found = []
    for route in app.router.routes():
        roles = getattr(route.handler, "roles", None)
        if roles is not None and route.method != "HEAD":
            path = route.resource.canonical.replace("{id}", "1").replace("{token}", "0" * 32)
            found.append((route.method, path, roles))
    return found


async def test_every_staff_url_needs_a_session(staff_client):
    routes = staff_routes(staff_client.app)
    assert len(routes) >= 15
    for method, path, _ in routes:
        response = await staff_client.request(method, path, json={})
        assert response.status == 401, (method, path)
        assert await response.json() == {"error": {"code": "not_logged_in", "message": "请先登录"}}


async def test_wrong_role_is_403_on_every_url_it_may_not_use(staff_client):
    routes = staff_routes(staff_client.app)
    for username, roles in (("wang", {"operator"}), ("li", {"maintainer"}), ("chen", {"reviewer"})):
        staff_client.session.cookie_jar.clear()
        headers = await login(staff_client, username)
        for method, path, allowed in routes:
            if allowed and not roles & set(allowed):
                response = await staff_client.request(method, path, json={}, headers=headers)
                assert response.status == 403, (username, method, path)
                assert (await response.json())["error"]["code"] == "forbidden"


async def test_state_changing_requests_need_the_csrf_token(staff_client):
    headers = await login(staff_client, "li")
    body = {"fields": {"aliases": "新别名"}, "reason": "测试"}
    entry_id = (await (await staff_client.get("/api/admin/services?limit=1")).json())["items"][0]["id"]
    for bad in ({}, {"X-CSRF-Token": "forged"}):
        response = await staff_client.patch(f"/api/admin/services/{entry_id}", json=body, headers=bad)
        assert response.status == 403
        assert (await response.json())["error"]["code"] == "csrf_failed"
    foreign = {**headers, "Origin": "https://evil.example"}
    response = await staff_client.patch(f"/api/admin/services/{entry_id}", json=body, headers=foreign)
    assert response.status == 403 and (await response.json())["error"]["code"] == "bad_origin"
    response = await staff_client.patch(f"/api/admin/services/{entry_id}", json=body, headers=headers)
    assert response.status == 200 and (await response.json())["changed"] is True


async def test_login_cookie_is_httponly_samesite_and_secure_behind_https(staff_client):
    response = await staff_client.post("/api/auth/login", json={"username": "wang", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http: a Secure cookie would never come back
    response = await staff_client.post("/api/auth/login", json={"username": "wang", "password": PASSWORD},
                                       headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in response.headers["Set-Cookie"]
    body = await response.json()
    assert body["user"] == {"username": "wang", "display_name": "wang", "roles": ["operator"]}
    assert "password" not in str(body)


@pytest.mark.parametrize(("setting", "secure"), [("true", True), ("false", False)])
async def test_cookie_secure_true_or_false_decides_the_flag_whatever_the_request_says(
        api_settings, seeded_store, setting, secure):
    settings = dataclasses.replace(api_settings, cookie_secure=setting)
    create_accounts(settings.db_url)
    async with TestClient(TestServer(create_app(settings))) as client:
        for headers in ({}, {"X-Forwarded-Proto": "https"}):
            response = await client.post("/api/auth/login", json={"username": "wang", "password": PASSWORD},
                                         headers=headers)
            assert response.status == 200
            assert ("Secure" in response.headers["Set-Cookie"]) is secure, headers


async def test_login_refuses_bad_credentials_forms_and_foreign_origins(staff_client):
    response = await staff_client.post("/api/auth/login", json={"username": "wang", "password": "wrong-password"})
    assert response.status == 401
    assert await response.json() == {"error": {"code": "bad_credentials", "message": "用户名或密码不正确"}}
    response = await staff_client.post("/api/auth/login", data={"username": "wang", "password": PASSWORD})
    assert response.status == 415 and (await response.json())["error"]["code"] == "json_required"
    response = await staff_client.post("/api/auth/login", json={"username": "wang", "password": PASSWORD},
                                       headers={"Origin": "http://evil.example"})
    assert response.status == 403
    response = await staff_client.post("/api/auth/login", json={"username": "", "password": ""})
    assert response.status == 400 and (await response.json())["error"]["code"] == "missing_credentials"
    assert "Set-Cookie" not in response.headers


async def test_login_is_throttled_after_repeated_failures(staff_client):
    for _ in range(3):
        response = await staff_client.post("/api/auth/login", json={"username": "wang", "password": "nope-nope"})
        assert response.status == 401
    response = await staff_client.post("/api/auth/login", json={"username": "wang", "password": PASSWORD})
    assert response.status == 429
    error = (await response.json())["error"]
    assert error["code"] == "too_many_attempts" and "分钟后再试" in error["message"]
    assert (await staff_client.post("/api/auth/login", json={"username": "li", "password": PASSWORD})).status == 200


async def test_logout_ends_the_session(staff_client):
    headers = await login(staff_client, "wang")
    assert (await staff_client.get("/api/auth/me")).status == 200
    assert (await staff_client.post("/api/auth/logout", headers=headers)).status == 200
    assert (await staff_client.get("/api/auth/me")).status == 401


async def test_internal_handover_url_needs_the_shared_token(staff_client):
    body = {"conversation_id": "conv-1", "channel": "socketio", "text": "转人工"}
    for headers in ({}, {"X-Lifebot-Token": "wrong"}):
        response = await staff_client.post("/api/internal/handovers", json=body, headers=headers)
        assert response.status == 401 and (await response.json())["error"]["code"] == "bad_token"
    response = await staff_client.post("/api/internal/handovers", json=body, headers={"X-Lifebot-Token": TOKEN})
    assert response.status == 201 and (await response.json())["status"] == "waiting"


async def test_staff_pages_are_served_with_hardening_headers(staff_client):
    for path in ("/admin", "/console"):
        response = await staff_client.get(path)
        assert response.status == 200
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Cache-Control"] == "no-store"
