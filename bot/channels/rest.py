"""Rasa's REST channel (same name ``rest``, same URL /webhooks/rest/webhook), answering BUSY when a
turn fails instead of an empty list (bot/channels/busy.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint

from bot.channels import busy


class RestInput(RasaRestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def guarded(message: UserMessage) -> None:
            await busy.handle(on_new_message, message)

        return super().blueprint(guarded)
