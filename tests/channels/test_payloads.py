"""The service card reaches every channel after the text: socketio as {"custom": ...}, REST as "custom"."""

from __future__ import annotations

import asyncio

import pytest

from tests.e2e.test_conversation import say

pytestmark = pytest.mark.e2e


async def test_socketio_delivers_the_text_then_the_service_card(stack):
    import socketio

    client = socketio.AsyncClient()
    answered: asyncio.Queue = asyncio.Queue()
    confirmed = asyncio.Event()
    client.on("bot_uttered", answered.put_nowait)
    client.on("session_confirm", lambda *_: confirmed.set())
    await client.connect(stack.settings.rasa_base_url, transports=["websocket"])
    try:
        await client.emit("session_request", {"session_id": "channels-card"})
        await asyncio.wait_for(confirmed.wait(), 10)
        await client.emit("user_uttered", {"message": "居住证怎么办", "session_id": "channels-card"})
        text = await asyncio.wait_for(answered.get(), 60)
        card = await asyncio.wait_for(answered.get(), 30)
    finally:
        await client.disconnect()
    assert text["text"].startswith("【") and "居住证" in text["text"]
    service = card["custom"]["service"]
    assert card["custom"]["type"] == "service_card"
    assert text["text"].startswith(f"【{service['name']}】")
    assert set(service) == {"id", "name", "materials", "place", "hours", "fee", "online_url", "phone"}
    assert service["materials"] and service["place"] in text["text"]


def test_rest_delivers_the_card_as_custom(stack):
    replies = say(stack, "channels-card-rest", "孩子上户口去哪里")
    assert [("text" in r, "custom" in r) for r in replies] == [(True, False), (False, True)]
    assert replies[1]["custom"]["type"] == "service_card"
    assert replies[0]["text"].startswith(f"【{replies[1]['custom']['service']['name']}】")


async def test_a_message_pushed_through_rasas_api_reaches_the_open_web_chat(stack):
    """What the operators' console relies on: output_channel=latest finds the page's socket room."""
    import socketio

    from tests.e2e.test_conversation import post_json

    client = socketio.AsyncClient()
    answered: asyncio.Queue = asyncio.Queue()
    confirmed = asyncio.Event()
    client.on("bot_uttered", answered.put_nowait)
    client.on("session_confirm", lambda *_: confirmed.set())
    await client.connect(stack.settings.rasa_base_url, transports=["websocket"])
    try:
        await client.emit("session_request", {"session_id": "channels-push"})
        await asyncio.wait_for(confirmed.wait(), 10)
        await client.emit("user_uttered", {"message": "你好", "session_id": "channels-push"})
        await asyncio.wait_for(answered.get(), 60)
        url = f"{stack.settings.rasa_base_url}/conversations/channels-push/execute?output_channel=latest"
        await asyncio.get_running_loop().run_in_executor(None, post_json, url, {"name": "utter_goodbye"})
        pushed = await asyncio.wait_for(answered.get(), 30)
    finally:
        await client.disconnect()
    assert pushed == {"text": "好的，有需要随时找我，祝您生活愉快！"}
