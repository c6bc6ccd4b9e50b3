"""Staff accounts and logged-in clients for the API tests."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

PASSWORD = "Jiangyin-2026-secret"
ACCOUNTS = {"wang": ["operator"], "zhao": ["operator"], "li": ["maintainer"], "chen": ["reviewer"]}


def create_accounts(db_url: str) -> None:
    from accounts.staff import Staff

    staff = Staff(db_url)
    for username, roles in ACCOUNTS.items():
        staff.users.create(username, PASSWORD, roles)
    staff.close()


async def login(client: TestClient, username: str) -> dict[str, str]:
    """Logs the client in; returns the headers a state-changing request needs (the CSRF token)."""
    response = await client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status == 200, await response.text()
    return {"X-CSRF-Token": (await response.json())["csrf_token"]}
