"""The socketio channel sends the shared card payloads as the event's data."""

from __future__ import annotations

from bot.channels.emit import payload_as_data


async def test_a_card_payload_becomes_the_event_data_and_plain_emits_are_untouched():
    sent: list[tuple] = []

    async def emit(event, data=None, **kwargs):
        sent.append((event, data, kwargs))

    wrapped = payload_as_data(emit)
    card = {"type": "booking_confirmation", "booking": {"code": "K7M2QX"}}
    await wrapped("bot_uttered", **card, room="session-1")  # how Rasa's send_custom_json calls it
    await wrapped("bot_uttered", {"text": "您好"}, room="session-1")
    await wrapped("session_confirm", "session-1", room="sid")
    assert sent == [("bot_uttered", card, {"room": "session-1"}),
                    ("bot_uttered", {"text": "您好"}, {"room": "session-1"}),
                    ("session_confirm", "session-1", {"room": "sid"})]
