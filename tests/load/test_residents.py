"""The simulated residents follow the bot's prompts and buttons; errors are classified as the issue says."""

from __future__ import annotations

import random

import pytest

from lifebot.load import residents
from lifebot.load.swarm import classify
from lifebot.load.texts import load


@pytest.fixture(scope="module")
def texts():
    return load()


def drive(script, bot):
    """Play a conversation against a scripted bot: bot(text) -> replies. Returns (said, reached)."""
    said = [next(script)]
    while True:
        try:
            said.append(script.send(bot(said[-1])))
        except StopIteration as done:
            return said, done.value


def test_texts_come_from_the_repo_data(texts):
    assert len(texts.questions) > 400 and "居住证怎么办" not in texts.follow_ups
    assert "楼下饭店油烟太大" in texts.reports and "澄江街道人民中路268号" in texts.addresses
    assert "办护照" in texts.booking_services
    assert all("[" not in t and "](" not in t for t in texts.all())


def test_booking_reads_prompts_and_presses_the_buttons(texts):
    prompts = iter([
        [{"text": "您想预约办什么事？比如“办护照”"}],
        [{"text": "想约哪一天去江阴市民中心？", "buttons": [
            {"title": "12月1日", "payload": '/choose_booking_option{"booking_date": "2026-12-01"}'}]}],
        [{"text": "还有这些时段可以约，请选一个：", "buttons": [
            {"title": "09:00-09:30", "payload": '/choose_booking_option{"booking_slot": "09:00-09:30"}'}]}],
        [{"text": "请告诉我办事人的姓名。"}],
        [{"text": "请留一个手机号，用于接收预约信息和查询、取消预约。"}],
        [{"text": "请确认预约信息：…\n确认预约吗？", "buttons": [{"title": "确认预约", "payload": "/affirm"},
                                                              {"title": "不约了", "payload": "/deny"}]}],
        [{"text": "预约成功！\n预约码：K7M2QX"}],
    ])
    said, reached = drive(residents.booking(random.Random(1), texts, "13900000001"), lambda _: next(prompts))
    assert reached is True
    assert said[1] in texts.booking_services and said[2].endswith('"2026-12-01"}')
    assert said[3].endswith('"09:00-09:30"}') and said[4] in texts.names
    assert said[5:] == ["13900000001", "/affirm"]


def test_a_prompt_the_script_does_not_know_ends_the_conversation_unreached(texts):
    said, reached = drive(residents.report(random.Random(2), texts, "13900000002"),
                          lambda _: [{"text": "抱歉，我没听懂。"}])
    assert reached is False and len(said) == 1


def test_kinds_take_turns(texts):
    kinds = [residents.conversation(n, random.Random(n), texts, "139")[0] for n in range(8)]
    assert kinds == list(residents.KINDS) * 2


@pytest.mark.parametrize(("status", "body", "mode", "expected"), [
    (200, [{"text": "【居住证办理】…"}], "chat", None),
    (200, [{"text": "", "buttons": [{"title": "x", "payload": "/affirm"}]}], "chat", None),
    (200, [], "chat", "empty"),
    (500, None, "chat", "http 500"),
    (0, None, "chat", "timeout"),
    (200, [{"text": "系统繁忙，请稍后再试。急事可以拨打 12345 热线。"}], "chat", "busy"),
    (200, {"intent": {"name": "greet"}}, "parse", None),
    (200, {"text": "x"}, "parse", "empty"),
])
def test_classify(status, body, mode, expected):
    assert classify(status, body, mode) == expected
