"""Rasa's socketio channel, able to carry the shared json_message payloads (cards) to the web chat.

Rasa 3.6's SocketIOOutput.send_custom_json calls ``sio.emit(event, **json_message)``: it expects
payloads shaped as emit() arguments ({"data": ...}), so a card such as
``{"type": "booking_confirmation", "booking": {...}}`` raises TypeError and never arrives. This
channel (same name, same /socket.io path) wraps the server's emit so that such a payload is sent
as the event's data, which is what chat.js renders.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.socketio import SocketIOInput

from bot.channels.emit import payload_as_data


class CardSocketIOInput(SocketIOInput):
    def blueprint(self, on_new_message: Callable[[Any], Awaitable[Any]]) -> Any:
        blueprint = super().blueprint(on_new_message)
        self.sio.emit = payload_as_data(self.sio.emit)
        return blueprint
