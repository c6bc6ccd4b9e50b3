"""The service card reaches every channel after the text: socketio as {"custom": ...}, REST as "custom"."""

from __future__ import annotations

import asyncio

import pytest

from tests.e2e.test_conversation import rasa_api, say
from tests.socketio_chat import chat

pytestmark = pytest.mark.e2e


async def test_socketio_delivers_the_text_then_the_service_card(stack):
    async with chat(stack.settings.rasa_base_url, "channels-card") as conversation:
        await conversation.say("居住证怎么办")
        text = await conversation.next_reply(60)
        card = await conversation.next_reply(30)
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
    from tests.e2e.test_conversation import get_json, post_json

    loop = asyncio.get_running_loop()
    async with chat(stack.settings.rasa_base_url, "channels-push") as conversation:
        await conversation.say("你好")
        await conversation.next_reply(60)
        # Rasa sends the replies before it stores the turn (in a worker thread, bot/tracker_store.py);
        # /execute answers 404 for a conversation not stored yet.
        for _ in range(150):
            tracker = await loop.run_in_executor(None, get_json, rasa_api(stack, "/conversations/channels-push/tracker"))
            if any(event["event"] == "user" for event in tracker["events"]):
                break
            await asyncio.sleep(0.2)
        url = rasa_api(stack, "/conversations/channels-push/execute?output_channel=latest")
        await loop.run_in_executor(None, post_json, url, {"name": "utter_goodbye"})
        pushed = await conversation.next_reply(30)
    assert pushed == {"text": "好的，有需要随时找我，祝您生活愉快！"}
