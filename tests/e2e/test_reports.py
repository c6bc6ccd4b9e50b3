"""A resident reports a problem in the chat and gets a ticket routed to who must act (real stack)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_conversation import get_json, say

pytestmark = pytest.mark.e2e


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def test_a_report_in_the_chat_becomes_a_routed_ticket_the_resident_can_follow(stack):
    sender = "e2e-report"
    asked = texts(say(stack, sender, "楼下饭店油烟太大，窗户都不敢开"))
    assert "在哪里" in asked, asked
    asked = texts(say(stack, sender, "澄江街道人民中路268号"))
    assert "手机号" in asked, asked
    summary = texts(say(stack, sender, "13812345678"))
    assert "请确认" in summary and "138****5678" in summary and "江阴市城市管理局" in summary, summary
    again = texts(say(stack, sender, "八"))  # the NLU reads it as affirm: no yes, and no rule's “好的”
    assert again.startswith("这一步请回复“确认”提交") and "请确认" in again and "工单号" not in again, again
    replies = say(stack, sender, "确认")
    text = texts(replies)
    number = re.search(r"工单号：(20\d{10})", text)
    assert number, text
    cards = [r["custom"] for r in replies if "custom" in r]
    assert cards and cards[0]["type"] == "ticket_confirmation" and cards[0]["ticket"]["number"] == number.group(1)
    ticket = get_json(f"{stack.settings.api_base_url}/api/tickets/{number.group(1)}?phone=13812345678")
    assert (ticket["department"], ticket["category"], ticket["grid"]["code"]) == ("江阴市城市管理局", "餐饮油烟", "JY01")
    assert ticket["status"] == "dispatched" and ticket["channel"] == "web"
    status = texts(say(stack, sender, f"查工单{number.group(1)}"))
    assert f"工单 {number.group(1)}" in status and "已派单" in status, status


def test_a_bare_wish_to_report_is_asked_what_happened_before_anything_is_filed(stack):
    """"我要投诉" went on to the place and the phone and read back "问题：我要投诉"."""
    sender = "e2e-report-wish"
    asked = texts(say(stack, sender, "我要投诉"))
    assert asked == "请简单说说遇到了什么问题？", asked
    assert "在哪里" in texts(say(stack, sender, "小区门口天天有人乱停车"))
    assert "手机号" in texts(say(stack, sender, "澄江街道人民中路268号"))
    summary = texts(say(stack, sender, "13812345678"))
    assert "问题：小区门口天天有人乱停车" in summary and "地点：澄江街道人民中路268号" in summary, summary


def test_a_noise_complaint_is_a_new_report_and_asking_after_one_is_a_look_up(stack):
    """"我要投诉噪音扰民" was taken for a ticket look-up ("请把工单号……发给我"): the only training
    sentence with 噪音 asked after an old report."""
    asked = texts(say(stack, "e2e-noise", "我要投诉噪音扰民"))
    assert "在哪里" in asked and "工单号" not in asked, asked
    asked = texts(say(stack, "e2e-noise-again", "知道了 还有个事 我要投诉噪音"))
    assert "在哪里" in asked and "工单号" not in asked, asked
    asked = texts(say(stack, "e2e-noise-old", "上次投诉的噪音有结果了吗"))
    assert "工单号" in asked and "在哪里" not in asked, asked


def test_a_noise_complaint_is_filed_for_the_police(stack):
    """Noise had no category: a mahjong parlour's went to the catering-fumes team (餐饮油烟), "噪音扰民"
    to the 12345 desk for a person to sort out."""
    sender = "e2e-noise-filed"
    assert "在哪里" in texts(say(stack, sender, "楼下麻将馆太吵了，天天到半夜"))
    assert "手机号" in texts(say(stack, sender, "澄江街道人民中路268号"))
    summary = texts(say(stack, sender, "13812345678"))
    assert "将转给：江阴市公安局" in summary, summary
    number = re.search(r"工单号：(20\d{10})", texts(say(stack, sender, "确认")))
    assert number
    ticket = get_json(f"{stack.settings.api_base_url}/api/tickets/{number.group(1)}?phone=13812345678")
    assert (ticket["category"], ticket["department"], ticket["team"]) == ("噪声扰民", "江阴市公安局", None), ticket


def test_a_report_can_be_dropped_or_handed_to_a_human_midway(stack):
    """Before, every answer at the where and phone steps was taken as the place or the number: "算了"
    and "转人工" were asked for the town or the phone again, for as long as the resident tried."""
    sender = "e2e-report-drop"
    assert "在哪里" in texts(say(stack, sender, "马路上有个大坑"))
    assert "手机号" in texts(say(stack, sender, "华士镇华西村"))
    dropped = texts(say(stack, sender, "算了不反映了"))
    assert "这次没有提交" in dropped and "号码" not in dropped, dropped
    # the form is gone: a new question is answered as one
    assert texts(say(stack, sender, "居住证怎么办")).startswith("【居住证")

    # declining the phone: why it is needed and the hotline, not "this number looks wrong"
    sender = "e2e-report-no-phone"
    assert "在哪里" in texts(say(stack, sender, "马路上有个大坑"))
    assert "手机号" in texts(say(stack, sender, "华士镇华西村"))
    declined = texts(say(stack, sender, "我不想留电话"))
    assert "联系电话" in declined and "12345" in declined and "好像不对" not in declined, declined

    sender = "e2e-report-human"
    assert "在哪里" in texts(say(stack, sender, "马路上有个大坑"))
    handed = texts(say(stack, sender, "转人工"))
    assert "这次没有提交" in handed and "人工" in handed and "哪个镇" not in handed, handed
