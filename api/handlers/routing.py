"""Routing and tickets: POST /api/route, GET /api/address, POST /api/tickets, GET /api/tickets/{no}."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from aiohttp import web

from api.errors import ApiError, readable
from api.idempotency import key_of
from api.typedefs import executor_key, router_key, tickets_key
from lifebot.privacy import masked

log = logging.getLogger(__name__)
JIANGYIN = ZoneInfo("Asia/Shanghai")
MAX_TEXT = 500


async def _body(request: web.Request) -> dict:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ApiError(400, "invalid_json", "请求内容不是有效的 JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_body", "请求内容应为 JSON 对象")
    return readable(body)


def _text(value, name: str = "text") -> str:
    if not isinstance(value, str) or not value.strip():
        raise ApiError(400, f"missing_{name}", "请说明要反映的问题" if name == "text" else "请说明地点")
    if len(value) > MAX_TEXT:
        raise ApiError(400, f"{name}_too_long", f"内容不能超过 {MAX_TEXT} 个字")
    return value.strip()


async def _run(request: web.Request, call, *args, **kwargs):
    from routing.tickets.validate import TicketError

    try:
        return await asyncio.get_running_loop().run_in_executor(
            request.app[executor_key], functools.partial(call, *args, **kwargs))
    except TicketError as exc:
        raise ApiError(exc.status, exc.code, exc.message) from None


async def route(request: web.Request) -> web.Response:
    """Where a request would go; creates nothing."""
    text = _text((await _body(request)).get("text"))
    result = await _run(request, request.app[router_key].route, text)
    return web.json_response(result.to_dict(), dumps=_dumps)


async def address(request: web.Request) -> web.Response:
    """Town, village/community and grid of a place, or the question to ask."""
    text = _text(request.query.get("q"), "address")
    return web.json_response(request.app[router_key].addresses.resolve(text).to_dict(), dumps=_dumps)


async def create_ticket(request: web.Request) -> web.Response:
    from routing.classify.taxonomy import CALLBACK
    from routing.tickets.validate import TicketError, new_ticket

    body = await _body(request)
    try:
        new = new_ticket(body)
    except TicketError as exc:
        raise ApiError(exc.status, exc.code, exc.message) from None
    new.idempotency_key = key_of(request, body)
    if new.idempotency_key and (earlier := await _run(request, request.app[tickets_key].by_key,
                                                      new.idempotency_key, new.phone)) is not None:
        return web.json_response(earlier.to_dict(), dumps=_dumps)  # a repeat: 200, nothing new filed
    routed = await _run(request, request.app[router_key].route, new.text, new.address)
    category = CALLBACK if new.kind == "callback" else None
    ticket = await _run(request, request.app[tickets_key].create, new, routed, datetime.now(JIANGYIN), category)
    log.info("ticket %s -> %s: %s", ticket.number, ticket.row["team"] or ticket.row["department"], masked(new.text))
    return web.json_response(ticket.to_dict(), status=201, dumps=_dumps)


async def get_ticket(request: web.Request) -> web.Response:
    phone = request.query.get("phone")
    if not phone:
        raise ApiError(400, "missing_phone", "请提供登记工单时留的手机号")
    ticket = await _run(request, request.app[tickets_key].find, request.match_info["no"], phone)
    return web.json_response(ticket.to_dict(), dumps=_dumps)


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)
