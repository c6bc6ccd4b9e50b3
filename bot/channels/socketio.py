"""Rasa's socketio channel, with custom payloads delivered as ``{"custom": {...}}``.

Rasa 3.6's SocketIOOutput.send_custom_json passes the payload as keyword arguments to
``AsyncServer.emit`` (``emit("bot_uttered", **payload)``), so a payload such as
``{"type": "service_card", "service": {...}}`` raises TypeError and the reply is lost. This channel
keeps everything else of Rasa's (events, session persistence, the name ``socketio``) and sends a
custom payload the way the REST channel does: one ``bot_uttered`` event ``{"custom": payload}``.
A turn that fails is answered with BUSY (bot/channels/busy.py) rather than silence.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput as RasaSocketIOOutput
from sanic import Blueprint

from bot.channels import busy
from bot.channels.limits import guard

log = logging.getLogger(__name__)


class SocketIOOutput(RasaSocketIOOutput):
    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


def share_sessions(sio: Any) -> None:
    """With several Rasa servers (docs/scaling.md), LIFEBOT_SOCKETIO_REDIS_URL names a Redis that
    carries every emit to all of them, so a message for a resident (an operator's reply executed on
    any server) reaches the server holding the resident's connection. Set before the first client."""
    url = os.environ.get("LIFEBOT_SOCKETIO_REDIS_URL")
    if url:
        import socketio

        sio.manager = socketio.AsyncRedisManager(url)
        sio.manager.set_server(sio)


class SocketIOInput(RasaSocketIOInput):
    """Served at the same socket.io path and under the same channel name as Rasa's own."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def get_output_channel(self) -> OutputChannel | None:
        if self.sio is None:
            return None
        return SocketIOOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = guard(on_new_message)
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        share_sessions(sio)

        # Replaces Rasa's handler for the same event: identical, except for the output channel and BUSY.
        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any = None) -> None:
            if not isinstance(data, dict):
                log.warning("socketio message that is not an object ignored")
                return
            if self.session_persistence:
                if not data.get("session_id"):
                    log.warning("socketio message without a session_id ignored (send session_request first)")
                    return
                sender_id = data["session_id"]
            else:
                sender_id = sid
            metadata = _metadata(data.get(self.metadata_key))
            text = data.get("message") if isinstance(data.get("message"), str) else ""
            await busy.handle(on_new_message, UserMessage(text, SocketIOOutput(sio, self.bot_message_evt),
                                                          sender_id, input_channel=self.name(), metadata=metadata))

        return blueprint


def _metadata(value: Any) -> dict[str, Any]:
    """The client's metadata: an object, or JSON text of one; anything else is dropped."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}
