"""A small client for the life-service API, used by every action that needs the catalog."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

from actions.config import settings

TIMEOUT = aiohttp.ClientTimeout(total=5)


class ApiUnavailable(Exception):
    """The API could not be reached, timed out or answered with a server error.

    ``asyncio.TimeoutError`` is not the built-in ``TimeoutError`` before Python 3.11: catch that one.
    Every action answers this with lifebot.messages.BUSY (and what else the resident can do).
    """


def token_header() -> dict[str, str]:
    """The shared internal token, sent on every call: the API's hand-over URL requires it, and the
    residents' URLs do not count the action server against the per-address limit (api/rate_limit.py)."""
    token = settings().internal_token
    return {"X-Lifebot-Token": token} if token else {}


async def _get(path: str, params: dict[str, Any] | None = None) -> dict[str, Any] | None:
    url = settings().api_base_url + path
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            async with session.get(url, params=params, headers=token_header()) as response:
                if response.status == 404:
                    return None
                if response.status >= 500:
                    raise ApiUnavailable(f"{url}: HTTP {response.status}")
                return await response.json()
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        raise ApiUnavailable(f"{url}: {exc}") from exc


async def search(query: str, top: int = 3) -> dict[str, Any]:
    result = await _get("/api/search", {"q": query, "top": top, "source": "bot"})
    if result is None or "results" not in result:
        raise ApiUnavailable("search answered without results")
    return result


async def service(entry_id: str) -> dict[str, Any] | None:
    return await _get(f"/api/services/{entry_id}")


async def record_handover(conversation_id: str, channel: str | None, text: str | None) -> None:
    """Put the conversation in the operators' queue (internal URL, shared token from the settings)."""
    url = settings().api_base_url + "/api/internal/handovers"
    body = {"conversation_id": conversation_id, "channel": channel or "", "text": text or ""}
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            async with session.post(url, json=body, headers=token_header()) as response:
                if response.status >= 400:
                    raise ApiUnavailable(f"{url}: HTTP {response.status}")
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        raise ApiUnavailable(f"{url}: {exc}") from exc
