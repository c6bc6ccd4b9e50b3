"""A small client for the life-service API, used by every action that needs the catalog."""

from __future__ import annotations

from typing import Any

import aiohttp

from actions.config import settings

TIMEOUT = aiohttp.ClientTimeout(total=5)


class ApiUnavailable(Exception):
    """The API could not be reached or answered with a server error."""


async def _get(path: str, params: dict[str, Any] | None = None) -> dict[str, Any] | None:
    url = settings().api_base_url + path
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            async with session.get(url, params=params) as response:
                if response.status == 404:
                    return None
                if response.status >= 500:
                    raise ApiUnavailable(f"{url}: HTTP {response.status}")
                return await response.json()
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise ApiUnavailable(f"{url}: {exc}") from exc


async def search(query: str, top: int = 3) -> dict[str, Any]:
    result = await _get("/api/search", {"q": query, "top": top})
    if result is None or "results" not in result:
        raise ApiUnavailable("search answered without results")
    return result


async def service(entry_id: str) -> dict[str, Any] | None:
    return await _get(f"/api/services/{entry_id}")
