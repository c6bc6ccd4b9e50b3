"""A small client for the booking URLs of the life-service API (issue 6)."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

from actions.api_client import TIMEOUT, ApiUnavailable, token_header
from actions.config import settings


class Refused(Exception):
    """The API said no (4xx): ``code`` is machine-readable, ``message`` is for the resident."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


async def _call(method: str, path: str, params: dict[str, Any] | None = None,
                body: dict[str, Any] | None = None) -> dict[str, Any]:
    url = settings().api_base_url + path
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            async with session.request(method, url, params=params, json=body, headers=token_header()) as response:
                if response.status >= 500:
                    raise ApiUnavailable(f"{method} {url}: HTTP {response.status}")
                data = await response.json()
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        raise ApiUnavailable(f"{method} {url}: {exc}") from exc
    if response.status >= 400:
        error = data.get("error", {})
        raise Refused(response.status, error.get("code", "error"), error.get("message", "请求没有成功"))
    return data


async def slots(service_id: str, day: str, hall: str | None = None) -> dict[str, Any]:
    params = {"service_id": service_id, "date": day, **({"hall": hall} if hall else {})}
    return await _call("GET", "/api/slots", params=params)


async def book(request: dict[str, Any]) -> dict[str, Any]:
    return await _call("POST", "/api/bookings", body=request)


async def show(code: str, phone: str) -> dict[str, Any]:
    return await _call("GET", f"/api/bookings/{code}", params={"phone": phone})


async def cancel(code: str, phone: str) -> dict[str, Any]:
    return await _call("DELETE", f"/api/bookings/{code}", params={"phone": phone})
