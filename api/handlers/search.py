"""Catalog search and entry look-up for the bot, the console and residents."""

from __future__ import annotations

import asyncio
import functools
import json

from aiohttp import web

from api.errors import ApiError
from api.typedefs import engine_key, executor_key, search_log_key

MAX_TOP = 50
MAX_BUFFERED = 10_000
FILTERS = ("kind", "category", "department")
FLAGS = ("online", "bookable")


def _flag(value: str | None, name: str) -> bool | None:
    if value is None or value == "":
        return None
    if value.lower() in ("1", "true", "yes"):
        return True
    if value.lower() in ("0", "false", "no"):
        return False
    raise ApiError(400, "bad_parameter", f"参数 {name} 只能是 true 或 false")


def _top(value: str | None) -> int:
    try:
        top = int(value) if value else 5
    except ValueError:
        raise ApiError(400, "bad_parameter", "参数 top 必须是 1 到 50 之间的整数") from None
    if not 1 <= top <= MAX_TOP:
        raise ApiError(400, "bad_parameter", "参数 top 必须是 1 到 50 之间的整数")
    return top


async def search(request: web.Request) -> web.Response:
    from catalog.search import QueryError, validate_query

    params = request.query
    try:
        query = validate_query(params.get("q", ""))
    except QueryError as exc:
        raise ApiError(400, exc.code, str(exc)) from None
    options = {name: params.get(name) or None for name in FILTERS}
    options.update({name: _flag(params.get(name), name) for name in FLAGS})
    options["explain"] = bool(_flag(params.get("explain"), "explain"))
    call = functools.partial(request.app[engine_key].search, query, top=_top(params.get("top")), **options)
    result = await asyncio.get_running_loop().run_in_executor(request.app[executor_key], call)
    log_search(request, query, result, params.get("source") or "web")
    return web.json_response(result, dumps=_dumps)


def log_search(request: web.Request, query: str, result: dict, source: str) -> None:
    """Queue the search for the search log (masked; written in the background, see api/staff_ctx.py)."""
    from accounts.db import now_iso
    from accounts.searchlog import searched

    buffer = request.app[search_log_key]
    if len(buffer) < MAX_BUFFERED:  # the database is away: drop log records, never answers
        buffer.append(searched(query, result, source, now_iso()))


async def service(request: web.Request) -> web.Response:
    entry = request.app[engine_key].entry(request.match_info["id"])
    if entry is None:
        raise ApiError(404, "not_found", "没有找到这项服务")
    return web.json_response(entry.to_dict(), dumps=_dumps)


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)
