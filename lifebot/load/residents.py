"""Simulated residents' conversations, independent of how the messages travel.

A conversation is a generator: it yields what the resident types next and is sent the bot's replies
(the REST channel's list of messages). It returns True when the resident got what they came for (an
answer, a booking code, a ticket number), False when the bot led somewhere the script does not
follow; either way the turns it took are measured. Form conversations read the bot's prompts and
press the buttons it sends, as a resident would.
"""

from __future__ import annotations

import random
from collections.abc import Generator

from lifebot.load.texts import Texts

Replies = list[dict]
Conversation = Generator[str, Replies, bool]
KINDS = ("service", "booking", "report", "small_talk")
MAX_FORM_TURNS = 12


def text_of(replies: Replies) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def buttons_of(replies: Replies) -> list[dict]:
    return [b for r in replies for b in r.get("buttons") or []]


def service(rng: random.Random, texts: Texts, phone: str) -> Conversation:
    """A question about a service, then one or two follow-ups (材料 / 地点 / 时间 / 费用) about it."""
    replies = yield rng.choice(texts.questions)
    answered = "【" in text_of(replies)
    for _ in range(rng.randint(1, 2)):
        replies = yield rng.choice(texts.follow_ups)
    if rng.random() < 0.5:
        yield rng.choice(texts.farewells)
    return answered and bool(text_of(replies))


def booking(rng: random.Random, texts: Texts, phone: str) -> Conversation:
    """我要预约 -> service -> hall/date/slot buttons -> name -> phone -> confirm."""
    replies = yield rng.choice(texts.booking_openers)
    for _ in range(MAX_FORM_TURNS):
        said, offered = text_of(replies), buttons_of(replies)
        if "预约成功" in said:
            return True
        confirm = [b for b in offered if b.get("payload") == "/affirm"]
        if confirm:
            answer = confirm[0]["payload"]
        elif offered:
            answer = rng.choice(offered)["payload"]
        elif "办什么事" in said or "换个说法" in said:
            answer = rng.choice(texts.booking_services)
        elif "姓名" in said:
            answer = rng.choice(texts.names)
        elif "手机号" in said:
            answer = phone
        elif "地址" in said:
            answer = rng.choice(texts.addresses)
        else:
            return False
        replies = yield answer
    return False


def report(rng: random.Random, texts: Texts, phone: str) -> Conversation:
    """A complaint -> where -> phone -> confirm, ending with a ticket number."""
    what = rng.choice(texts.reports)
    replies = yield what
    for _ in range(MAX_FORM_TURNS):
        said, offered = text_of(replies), buttons_of(replies)
        if "工单号" in said:
            return True
        confirm = [b for b in offered if b.get("payload") == "/affirm"]
        if confirm:
            answer = confirm[0]["payload"]
        elif "手机号" in said or "号码" in said:
            answer = phone
        elif "哪" in said:
            answer = rng.choice(texts.addresses)
        elif "什么问题" in said:
            answer = what
        else:
            return False
        replies = yield answer
    return False


def small_talk(rng: random.Random, texts: Texts, phone: str) -> Conversation:
    """Greetings, chit-chat and questions nothing in the catalog answers, then goodbye."""
    answered = True
    for _ in range(rng.randint(1, 3)):
        replies = yield rng.choice(texts.small_talk)
        answered = answered and bool(text_of(replies))
    replies = yield rng.choice(texts.farewells)
    return answered


SCRIPTS = {"service": service, "booking": booking, "report": report, "small_talk": small_talk}


def conversation(number: int, rng: random.Random, texts: Texts, phone: str) -> tuple[str, Conversation]:
    """The number-th conversation of a run: the kinds take turns, so any few cover them all."""
    kind = KINDS[number % len(KINDS)]
    return kind, SCRIPTS[kind](rng, texts, phone)
