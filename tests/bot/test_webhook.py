"""A resident's multi-turn conversation with the real stack over Rasa's REST webhook."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_conversation import get_json, post_json, rasa_api, say

pytestmark = pytest.mark.e2e


def text_of(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def test_follow_ups_hand_over_silence_and_release(stack):
    sender = "bot-e2e-follow-up"
    first = text_of(say(stack, sender, "居住证怎么办"))
    assert first.startswith("【") and "居住证" in first.splitlines()[0], first
    service = first.splitlines()[0].split("】")[0] + "】"

    materials = text_of(say(stack, sender, "那要带什么材料"))
    assert materials.startswith(service + "需要准备："), materials
    where = text_of(say(stack, sender, "在哪"))
    assert where.startswith(service + "办理地点："), where
    assert "办公时间" in where

    handed = text_of(say(stack, sender, "转人工"))
    assert "人工" in handed and not re.search(r"20\d{10}", handed), handed  # no number without a phone
    if "下班时间" in handed:  # out of hours: the phone number asked for files a callback ticket
        callback = text_of(say(stack, sender, "13812345678"))
        number = re.search(r"工单号 (20\d{10})", callback)
        assert number and "回电" in callback, callback
        ticket = get_json(f"{stack.settings.api_base_url}/api/tickets/{number.group(1)}?phone=13812345678")
        assert ticket["category"] == "人工回电" and ticket["callback_by"]
        # Nobody reads it till morning: anything else gets a clear answer and the bot takes over again.
        back = text_of(say(stack, sender, "居住证怎么办"))
        assert back.startswith("现在没有人工客服在线"), back
    else:
        assert say(stack, sender, "居住证怎么办") == []  # an operator owns the conversation
        url = rasa_api(stack, f"/conversations/{sender}/trigger_intent")
        released = post_json(url, {"name": "release_handover"})
        assert [m.get("text") for m in released["messages"]] == ["人工客服已结束接待，您可以继续向我提问。"]
    again = text_of(say(stack, sender, "那要多久"))
    assert again.startswith(service + "承诺办理时限："), again


def test_a_clarification_button_payload_answers_exactly_that_service(stack):
    payload = '/choose_service{"service_id": "gov-adoption-registration"}'
    replies = text_of(say(stack, "bot-e2e-button", payload))
    assert replies.startswith("【收养登记】"), replies
    fee = text_of(say(stack, "bot-e2e-button", "收费吗"))
    assert fee == "【收养登记】收费：不收费", fee
