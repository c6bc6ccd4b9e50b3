"""Rasa's REST channel (same name and URL, /webhooks/rest/webhook) behind the input limits, answering
BUSY when a turn fails instead of an empty list (bot/channels/busy.py).

Rasa's own reads ``request.json.get(...)``: an empty body, a JSON list or a number answered 500, and
a non-text ``message`` failed inside Rasa. Here a body that is not a JSON object is a 400 with a
Chinese message, and a message that is not text counts as empty (answered by the limits).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from bot.channels import busy
from bot.channels.limits import guard

NOT_AN_OBJECT = '请求内容应为 JSON 对象，如 {"sender": "会话编号", "message": "居住证怎么办"}'


def _body(request: Request) -> dict[str, Any]:
    body = request.json
    if not isinstance(body, dict):
        raise InvalidUsage(NOT_AN_OBJECT)
    return body


class RestInput(RasaRestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def guarded(message: UserMessage) -> None:
            await busy.handle(on_new_message, message)

        return super().blueprint(guard(guarded))

    async def _extract_sender(self, req: Request) -> str | None:
        sender = _body(req).get("sender")
        if sender is not None and not isinstance(sender, (str, int)):
            raise InvalidUsage("sender 应为文字（会话编号）")
        return None if sender is None else str(sender)[:255]

    def _extract_message(self, req: Request) -> str:
        message = _body(req).get("message")
        return message if isinstance(message, str) else ""

    def _extract_input_channel(self, req: Request) -> str:
        channel = _body(req).get("input_channel")
        return channel if isinstance(channel, str) and channel else self.name()
