"""The action server's client for the routing endpoints of the life-service API."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

from actions.api_client import TIMEOUT, ApiUnavailable, token_header
from actions.config import settings


class ApiRefused(Exception):
    """The API answered 4xx: ``code`` and a Chinese ``message`` to pass on to the resident."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


async def _call(method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    url = settings().api_base_url + path
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            async with session.request(method, url, headers=token_header(), **kwargs) as response:
                if response.status >= 500:
                    raise ApiUnavailable(f"{url}: HTTP {response.status}")
                body = await response.json()
                if response.status >= 400:
                    error = body.get("error", {})
                    raise ApiRefused(response.status, error.get("code", ""), error.get("message", ""))
                return body
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        raise ApiUnavailable(f"{url}: {exc}") from exc


async def route(text: str) -> dict[str, Any]:
    return await _call("POST", "/api/route", json={"text": text})


async def address(text: str) -> dict[str, Any]:
    return await _call("GET", "/api/address", params={"q": text})


async def create_ticket(body: dict[str, Any]) -> dict[str, Any]:
    return await _call("POST", "/api/tickets", json=body)


async def ticket(number: str, phone: str) -> dict[str, Any]:
    return await _call("GET", f"/api/tickets/{number}", params={"phone": phone})
