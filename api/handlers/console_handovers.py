"""Hotline operators' console: the queue of conversations the bot handed over.

An operator claims a waiting conversation (atomically: of two claims, one gets 409
``already_claimed``), reads it, answers in the resident's own channel, and releases it to the bot.
The action server queues hand-overs through the internal URL (shared token, see api/auth.py).
"""

from __future__ import annotations

from aiohttp import web

from api.auth import actor, blocking, internal, staff
from api.errors import ApiError
from api.handlers.staff_io import json_body, text_of
from api.rasa_client import Rasa
from api.typedefs import http_key, settings_key, staff_key
from lifebot.privacy import masked
from lifebot.rasa_auth import rasa_token

MAX_REPLY = 1000


def _rasa(request: web.Request) -> Rasa:
    settings = request.app[settings_key]
    return Rasa(request.app[http_key], settings.rasa_api_base_url, rasa_token(settings))


def _id(request: web.Request) -> int:
    """A database id: ASCII digits within SQLite's and PostgreSQL's integer range, else 404."""
    text = request.match_info["id"]
    if not (text.isascii() and text.isdigit() and 0 < int(text) < 2**63):
        raise ApiError(404, "not_found", "没有这个转人工会话")
    return int(text)


async def _queue_call(request: web.Request, func, *args):
    from accounts.errors import AccountError

    try:
        return await blocking(request, func, *args)
    except AccountError as exc:
        raise ApiError(404 if exc.code == "not_found" else 409, exc.code, exc.message) from None


@internal
async def record(request: web.Request) -> web.Response:
    body = await json_body(request)
    conversation_id = text_of(body, "conversation_id", "会话编号", 128)
    channel = body.get("channel") if isinstance(body.get("channel"), str) else ""
    message = body.get("text") if isinstance(body.get("text"), str) else ""
    handover, created = await blocking(request, request.app[staff_key].handovers.open, conversation_id,
                                       channel[:40], message)
    return web.json_response(handover.to_dict(), status=201 if created else 200)


@staff("operator")
async def queue(request: web.Request) -> web.Response:
    items = await blocking(request, request.app[staff_key].handovers.open_items)
    me = actor(request)
    return web.json_response({"items": [dict(h.to_dict(), mine=h.operator == me) for h in items]})


@staff("operator")
async def claim(request: web.Request) -> web.Response:
    queue_db = request.app[staff_key].handovers
    handover = await _queue_call(request, queue_db.claim, _id(request), actor(request))
    await blocking(request, request.app[staff_key].audit.record, actor(request), "handover_claim",
                   handover.conversation_id, {"handover": handover.id})
    return web.json_response(handover.to_dict())


@staff("operator")
async def messages(request: web.Request) -> web.Response:
    handover = await _queue_call(request, request.app[staff_key].handovers.require, _id(request))
    transcript = await _rasa(request).transcript(handover.conversation_id)
    return web.json_response({"handover": handover.to_dict(), "messages": transcript})


@staff("operator")
async def reply(request: web.Request) -> web.Response:
    body = await json_body(request)
    text = text_of(body, "text", "回复内容", MAX_REPLY)
    handover = await _queue_call(request, request.app[staff_key].handovers.owned, _id(request), actor(request))
    await _rasa(request).say(handover.conversation_id, text)
    await blocking(request, request.app[staff_key].audit.record, actor(request), "handover_reply",
                   handover.conversation_id, {"handover": handover.id, "text": masked(text)[:200]})
    return web.json_response({"sent": True})


@staff("operator")
async def release(request: web.Request) -> web.Response:
    queue_db = request.app[staff_key].handovers
    handover = await _queue_call(request, queue_db.owned, _id(request), actor(request))
    await _rasa(request).release(handover.conversation_id)
    handover = await _queue_call(request, queue_db.release, handover.id, actor(request))
    await blocking(request, request.app[staff_key].audit.record, actor(request), "handover_release",
                   handover.conversation_id, {"handover": handover.id})
    return web.json_response(handover.to_dict())
