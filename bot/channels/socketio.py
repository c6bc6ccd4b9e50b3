"""Rasa's socketio channel, with custom payloads delivered as ``{"custom": {...}}``.

Rasa 3.6's SocketIOOutput.send_custom_json passes the payload as keyword arguments to
``AsyncServer.emit`` (``emit("bot_uttered", **payload)``), so a payload such as
``{"type": "service_card", "service": {...}}`` raises TypeError and the reply is lost. This channel
keeps everything else of Rasa's (events, session persistence, the name ``socketio``) and sends a
custom payload the way the REST channel does: one ``bot_uttered`` event ``{"custom": payload}``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput as RasaSocketIOOutput
from sanic import Blueprint

from bot.channels.limits import guard

log = logging.getLogger(__name__)


class SocketIOOutput(RasaSocketIOOutput):
    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


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

        # Replaces Rasa's handler for the same event: identical, except for the output channel.
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
            await on_new_message(UserMessage(text, SocketIOOutput(sio, self.bot_message_evt),
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
