"""A resident books, checks and cancels through the real assistant (Rasa -> actions -> API -> database)."""

from __future__ import annotations

import json

import pytest

from actions import clock
from tests.e2e.test_conversation import get_json, say

pytestmark = pytest.mark.e2e


def text_of(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def buttons(replies: list[dict]) -> list[dict]:
    return [b for r in replies for b in r.get("buttons", [])]


def chosen(button: dict, slot: str) -> str:
    """The value a form button fills: /choose_booking_option{"booking_date": "2026-11-30"}."""
    intent, _, payload = button["payload"].partition("{")
    assert intent == "/choose_booking_option"
    return json.loads("{" + payload)[slot]


def later_days(day_buttons: list[dict]) -> list[dict]:
    """The offered days after today (Jiangyin time). Today's slots close one by one as the clock
    passes them (an hour before each starts): a test that chose today could find it full a few turns
    later, and did, in CI, late on a Monday afternoon."""
    today = clock.now().date().isoformat()
    later = [b for b in day_buttons if chosen(b, "booking_date") > today]
    assert later, day_buttons
    return later


def test_book_check_and_cancel_a_passport_appointment(stack):
    who = "e2e-booking"
    replies = say(stack, who, "我要预约")
    assert "您想预约办什么事" in text_of(replies), replies
    replies = say(stack, who, "办护照")
    assert "想约哪一天去江阴市民中心" in text_of(replies), replies  # the only hall: not asked
    day_button = later_days(buttons(replies))[0]
    day = chosen(day_button, "booking_date")
    replies = say(stack, who, day_button["payload"])
    assert "还有这些时段可以约" in text_of(replies), replies
    slot_button = buttons(replies)[0]
    slot = chosen(slot_button, "booking_slot")
    assert slot_button["title"] == slot
    replies = say(stack, who, slot_button["payload"])
    assert "姓名" in text_of(replies), replies
    replies = say(stack, who, "张")
    assert "姓名不对" in text_of(replies), replies  # re-asked with the reason
    replies = say(stack, who, "张三")
    assert "手机号" in text_of(replies), replies
    replies = say(stack, who, "1391234")
    assert "手机号不对" in text_of(replies), replies
    replies = say(stack, who, "13912345678")
    summary = text_of(replies)
    assert "请确认预约信息" in summary and "普通护照签发" in summary and "139****5678" in summary, replies
    replies = say(stack, who, "/affirm")
    assert "预约成功" in text_of(replies), replies
    card = next(r["custom"] for r in replies if "custom" in r)
    assert card["type"] == "booking_confirmation" and card["booking"]["status"] == "booked"
    assert (card["booking"]["date"], card["booking"]["slot"], card["booking"]["hall"]) == (day, slot, "江阴市民中心")
    code = card["booking"]["code"]
    api = stack.settings.api_base_url
    assert get_json(f"{api}/api/bookings/{code}?phone=13912345678")["status"] == "booked"

    replies = say(stack, who, f"查一下预约 {code} 13912345678")
    assert f"预约码：{code}（已预约）" in text_of(replies), replies
    replies = say(stack, who, f"查预约 {code} 139 1234 5678")  # a phone typed in groups is still a booking
    assert f"预约码：{code}（已预约）" in text_of(replies), replies
    replies = say(stack, who, f"取消预约{code} 手机13912345678")
    assert "已为您取消预约" in text_of(replies), replies
    assert get_json(f"{api}/api/bookings/{code}?phone=13912345678")["status"] == "cancelled"


def test_a_booking_asked_for_with_a_phone_number_is_a_booking_that_keeps_it(stack):
    """The number typed in groups once made the NLU read the request as cancelling a booking."""
    who = "e2e-booking-with-phone"
    replies = say(stack, who, "我要预约办护照 手机139-1234-5678")
    assert "想约哪一天去江阴市民中心" in text_of(replies), replies
    replies = say(stack, who, later_days(buttons(replies))[0]["payload"])
    replies = say(stack, who, buttons(replies)[0]["payload"])
    assert "姓名" in text_of(replies), replies
    summary = text_of(say(stack, who, "王五"))  # the phone is not asked for: it was given
    assert "请确认预约信息" in summary and "王五" in summary and "139****5678" in summary, summary
    assert "这次先不约了" in text_of(say(stack, who, "不约了"))


def test_giving_up_midway_books_nothing(stack):
    who = "e2e-booking-stop"
    say(stack, who, "我要预约")
    replies = say(stack, who, "算了不约了")
    assert "这次预约不办了" in text_of(replies), replies


def test_a_typed_confirmation_books_and_asking_for_a_human_stops_the_form(stack):
    """The NLU reads "确认预约" (the button's own title, typed) as checking a booking: it used to drop
    the booking and ask for a booking code."""
    who = "e2e-booking-typed"
    replies = say(stack, who, "我要预约办护照")
    replies = say(stack, who, later_days(buttons(replies))[0]["payload"])
    replies = say(stack, who, buttons(replies)[0]["payload"])
    say(stack, who, "张三")
    assert "请确认预约信息" in text_of(say(stack, who, "13912345678"))
    replies = say(stack, who, "确认预约")
    assert "预约成功" in text_of(replies), replies
    code = next(r["custom"] for r in replies if "custom" in r)["booking"]["code"]
    say(stack, who, f"取消预约{code} 手机13912345678")  # gives the slot back

    who = "e2e-booking-change"
    days = later_days(buttons(say(stack, who, "我要预约办护照")))
    other_day = chosen(days[1], "booking_date")
    say(stack, who, buttons(say(stack, who, days[0]["payload"]))[0]["payload"])
    say(stack, who, "李四")
    assert "请确认预约信息" in text_of(say(stack, who, "13912345678"))
    # "no, that other day": the day is asked again (its slots offered), name and phone are kept
    replies = say(stack, who, "不对，改成" + days[1]["title"].split("（")[0])
    assert "还有这些时段可以约" in text_of(replies), replies
    summary = text_of(say(stack, who, buttons(replies)[0]["payload"]))
    assert "请确认预约信息" in summary and "李四" in summary and "139****5678" in summary, summary
    # a new number given with the no is taken: the read-back comes straight back with it
    summary = text_of(say(stack, who, "不对，电话是139 8765 4321"))
    assert "请确认预约信息" in summary and "李四" in summary and "139****4321" in summary, summary
    replies = say(stack, who, "确认")
    booking = next(r["custom"] for r in replies if "custom" in r)["booking"]
    assert booking["date"] == other_day, replies
    say(stack, who, f"取消预约{booking['code']} 手机13987654321")

    who = "e2e-booking-human"
    say(stack, who, "我要预约办护照")
    replies = say(stack, who, "转人工")
    said = text_of(replies)
    assert "这次预约不办了" in said and "人工" in said and "想约哪一天" not in said, replies


def test_typed_numbers_are_the_day_and_hour_asked_for_and_never_a_yes(stack):
    """Asked which day, "9" was not understood; asked to confirm, "八" or "８" booked (the NLU reads such
    numbers as affirm). A phone typed in full width was "not 11 digits"."""
    who = "e2e-booking-numbers"
    day_button = later_days(buttons(say(stack, who, "我要预约办护照")))[0]
    day = chosen(day_button, "booking_date")
    replies = say(stack, who, str(int(day[8:])))  # "2026-12-09" -> "9"
    assert f"{int(day[5:7])}月{int(day[8:])}日" in text_of(replies) and "还有这些时段可以约" in text_of(replies), replies
    on_the_hour = [chosen(b, "booking_slot") for b in buttons(replies) if chosen(b, "booking_slot")[2:5] == ":00"]
    slot = on_the_hour[-1]  # the latest: a morning "9" is 9:00, and so is an afternoon "14" 14:00
    assert "姓名" in text_of(say(stack, who, str(int(slot[:2])))), slot
    say(stack, who, "赵六")
    summary = text_of(say(stack, who, "１３９１２３４５６７２"))
    assert "请确认预约信息" in summary and "139****5672" in summary and slot in summary, summary
    for number in ("八", "８"):  # no yes, and no rule's “好的” either: what the form wants, then the read-back
        said = text_of(say(stack, who, number))
        assert said.startswith("这一步请回复“确认”预约") and "请确认预约信息" in said and "预约成功" not in said, said
    replies = say(stack, who, "确认")
    booking = next(r["custom"] for r in replies if "custom" in r)["booking"]
    assert (booking["date"], booking["slot"]) == (day, slot), replies
    say(stack, who, f"取消预约{booking['code']} 手机13912345672")
