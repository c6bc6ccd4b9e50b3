"""The booking actions on tracker fixtures with the real domain (the API replaced by fakes)."""

from __future__ import annotations

import logging
import re

import pytest
from rasa_sdk.events import SlotSet

from actions import booking_client
from actions.booking_ask import ActionAskBookingConfirmed, ActionAskBookingDate, ActionAskBookingSlot
from actions.booking_done import ActionBookingLookup, ActionBookingLookupStart, ActionBookingSubmit
from actions.booking_form import CONFIRM_HELP, FORM_SLOTS, ActionBookingStart, ValidateBookingForm
from tests.bot.booking_fakes import FakeBooking
from tests.bot.fakes import entity, tracker


@pytest.fixture
def booking(monkeypatch) -> FakeBooking:
    fake = FakeBooking()
    for name in ("slots", "book", "show", "cancel"):
        monkeypatch.setattr(booking_client, name, getattr(fake, name))
    return fake


def texts(dispatcher) -> str:
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


FILLED = {"booking_service": "gov-residence-permit", "booking_service_name": "居住证申领",
          "booking_halls": ["江阴市民中心"], "booking_hall": "江阴市民中心", "booking_date": "2026-11-30",
          "booking_slot": "09:00-09:30", "booking_name": "张三", "booking_phone": "13912345678"}


async def test_start_takes_the_service_in_context_and_the_date_said(api, at, booking, dispatcher, domain):
    events = await ActionBookingStart().run(dispatcher, tracker(
        "service_in_context", "帮我约明天下午", "book_appointment", [entity("date_time", "明天下午")]), domain)
    values = {e["name"]: e["value"] for e in events}
    assert set(values) == set(FORM_SLOTS)
    assert values["booking_service"] == "gov-residence-permit" and values["booking_hall"] == "江阴市民中心"
    assert values["booking_date"] == "帮我约明天下午" and values["booking_confirmed"] is None
    assert await ValidateBookingForm().validate_booking_date(values["booking_date"], dispatcher, tracker(
        "service_in_context", "帮我约明天下午", **{**FILLED, "booking_date": None}), domain) == {
        "booking_date": "2026-11-28", "booking_period": "afternoon", "booking_slot": None}


@pytest.mark.parametrize(("text", "piece", "day"), [
    ("预约下周二办护照", "下", "2026-12-01"),  # DIET has tagged only "下" of "下周二"
    ("身份证号320281199512120021约下周三", "号", "2026-12-02"),  # and "号" of an id number, first
])
async def test_start_reads_the_day_from_the_words_not_from_a_piece_of_them(api, at, booking, dispatcher, domain,
                                                                          text, piece, day):
    events = await ActionBookingStart().run(dispatcher, tracker(
        "service_in_context", text, "book_appointment", [entity("date_time", piece)]), domain)
    said = {e["name"]: e["value"] for e in events}["booking_date"]
    state = tracker("service_in_context", text, **{**FILLED, "booking_date": None, "booking_slot": None})
    assert (await ValidateBookingForm().validate_booking_date(said, dispatcher, state, domain))["booking_date"] == day
    assert "没听明白是哪一天" not in texts(dispatcher)


async def test_start_takes_no_day_when_the_words_name_none(api, at, booking, dispatcher, domain):
    events = await ActionBookingStart().run(dispatcher, tracker(
        "service_in_context", "我要约办护照 手机139-1234-5678", "book_appointment", [entity("date_time", "手机")]), domain)
    values = {e["name"]: e["value"] for e in events}
    assert values["booking_date"] is None and values["booking_phone"] == "13912345678"


async def test_relative_dates_resolve_and_a_named_time_picks_the_slot(at, booking, dispatcher, domain):
    form = ValidateBookingForm()
    state = tracker("service_in_context", "下周一上午九点", **{**FILLED, "booking_date": None, "booking_slot": None})
    # The clock says Friday 27 November 2026, 10:00: 下周一 is 30 November.
    assert await form.validate_booking_date("下周一上午九点", dispatcher, state, domain) == {
        "booking_date": "2026-11-30", "booking_period": "morning", "booking_slot": "09:00-09:30"}
    assert await form.validate_booking_date("明天下午", dispatcher, state, domain) == {
        "booking_date": "2026-11-28", "booking_period": "afternoon", "booking_slot": None}


async def test_a_full_day_or_an_uncovered_year_is_reasked_with_the_reason(at, booking, dispatcher, domain):
    booking.full_days.add("2026-11-28")
    form = ValidateBookingForm()
    state = tracker("service_in_context", "明天", **FILLED)
    assert await form.validate_booking_date("明天", dispatcher, state, domain) == {"booking_date": None}
    assert "11月28日（周六）江阴市民中心没有空的时段了" in texts(dispatcher)
    assert await form.validate_booking_date("2027年1月4日", dispatcher, state, domain) == {"booking_date": None}
    assert "2027 年的法定节假日安排还没有收录" in texts(dispatcher)
    assert await form.validate_booking_date("随便哪天", dispatcher, state, domain) == {"booking_date": None}
    assert "没听明白是哪一天" in texts(dispatcher)
    assert "“12月4日”这样的日期" in texts(dispatcher)  # a week from Friday 27 November, never a past day


async def test_the_date_question_s_example_is_a_day_to_come(at, booking, dispatcher, domain):
    """It always said “12月3日”, a past day from 4 December on."""
    from datetime import datetime

    at(datetime(2026, 12, 8, 10, 0))
    state = tracker("service_in_context", "x", **{**FILLED, "booking_date": None, "booking_slot": None})
    await ActionAskBookingDate().run(dispatcher, state, domain)
    said = dispatcher.messages[0]
    assert said["text"] == "想约哪一天去江阴市民中心？最近有空位的日期如下，也可以直接说“下周一”“12月15日”：", said
    assert [b["title"] for b in said["buttons"]] == ["12月8日（周二）", "12月9日（周三）", "12月10日（周四）"]


async def test_name_and_phone_are_reasked_with_a_reason(booking, dispatcher, domain):
    form = ValidateBookingForm()
    state = tracker("service_in_context", "x", **FILLED)
    assert await form.validate_booking_phone("1391234", dispatcher, state, domain) == {"booking_phone": None}
    assert await form.validate_booking_phone("139 1234 5678", dispatcher, state, domain) == {
        "booking_phone": "13912345678"}
    assert await form.validate_booking_name("1", dispatcher, state, domain) == {"booking_name": None}
    said = texts(dispatcher)
    assert "手机号不对：请填写 11 位手机号" in said and "姓名不对" in said


async def test_hall_from_the_residents_town(booking, dispatcher, domain):
    form = ValidateBookingForm()
    halls = ["江阴市民中心", "华士镇政务服务中心", "周庄镇政务服务中心"]
    state = tracker("service_in_context", "华士", **{**FILLED, "booking_halls": halls})
    assert await form.validate_booking_hall("我住华士", dispatcher, state, domain) == {
        "booking_hall": "华士镇政务服务中心"}
    assert await form.validate_booking_hall("陆桥社区", dispatcher, state, domain) == {
        "booking_hall": "华士镇政务服务中心"}
    assert await form.validate_booking_hall("火星", dispatcher, state, domain) == {"booking_hall": None}


async def test_slots_are_offered_as_buttons_for_the_part_of_day_said(booking, dispatcher, domain):
    state = tracker("service_in_context", "下午", **{**FILLED, "booking_slot": None, "booking_period": "afternoon"})
    assert await ActionAskBookingSlot().run(dispatcher, state, domain) == []
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == [
        '/choose_booking_option{"booking_slot": "14:00-14:30"}', '/choose_booking_option{"booking_slot": "14:30-15:00"}']
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == ["14:00-14:30", "14:30-15:00"]


async def test_a_slot_answer_that_is_no_time_is_not_called_full(booking, dispatcher, domain):
    """A resident who types their name where the form asks for a time is told what to say, not that
    the time they never named is taken."""
    form = ValidateBookingForm()
    state = tracker("service_in_context", "张三", **{**FILLED, "booking_slot": None})
    assert await form.validate_booking_slot("张三", dispatcher, state, domain) == {"booking_slot": None}
    assert "没听明白要约哪个时段" in texts(dispatcher) and "没有可约的空位" not in texts(dispatcher)
    dispatcher.messages.clear()
    assert await form.validate_booking_slot("晚上八点", dispatcher, state, domain) == {"booking_slot": None}
    assert "20:00 没有可约的空位" in texts(dispatcher)
    dispatcher.messages.clear()
    assert await form.validate_booking_slot("上午九点", dispatcher, state, domain) == {"booking_slot": "09:00-09:30"}
    assert dispatcher.messages == []


async def test_a_bare_number_is_the_day_or_the_hour_the_form_asked_for(at, booking, dispatcher, domain):
    """Asked which day, "8" (or "８", "八") is the 8th, as "8号" would be; asked what time, "9" is 9点 and "2"
    is 14:00. At any other question a bare number is not read as a day."""
    form = ValidateBookingForm()
    # The clock says Friday 27 November 2026, 10:00.
    for said in ("30", "３０", "三十"):
        state = tracker("service_in_context", said, **{**FILLED, "booking_date": None, "booking_slot": None},
                        requested_slot="booking_date")
        assert await form.validate_booking_date(said, dispatcher, state, domain) == {
            "booking_date": "2026-11-30", "booking_period": None, "booking_slot": None}, said
    assert await form.validate_booking_date("1", dispatcher, state, domain) == {
        "booking_date": "2026-12-01", "booking_period": None, "booking_slot": None}  # the 1st is past: December's
    assert dispatcher.messages == []
    state = tracker("service_in_context", "30", **FILLED, requested_slot="booking_name")
    assert await form.validate_booking_date("30", dispatcher, state, domain) == {"booking_date": None}
    assert "没听明白是哪一天" in texts(dispatcher)
    dispatcher.messages.clear()
    for said, slot in (("9", "09:00-09:30"), ("９", "09:00-09:30"), ("九", "09:00-09:30"), ("2", "14:00-14:30")):
        state = tracker("service_in_context", said, **{**FILLED, "booking_slot": None}, requested_slot="booking_slot")
        assert await form.validate_booking_slot(said, dispatcher, state, domain) == {"booking_slot": slot}, said
    assert dispatcher.messages == []
    assert await form.validate_booking_slot("12", dispatcher, state, domain) == {"booking_slot": None}
    assert "12:00 没有可约的空位" in texts(dispatcher)


async def test_an_address_that_is_no_jiangyin_place_is_asked_again(booking, dispatcher, domain):
    """A date typed at the address step is not told it lies outside Jiangyin."""
    form = ValidateBookingForm()
    state = tracker("service_in_context", "后天下午", **{**FILLED, "booking_hall": "上门服务"})
    assert await form.validate_booking_address("后天下午", dispatcher, state, domain) == {"booking_address": None}
    assert texts(dispatcher).startswith("没认出这是江阴市内的哪个地方")
    assert await form.validate_booking_address("华士镇华西新村12号", dispatcher, state, domain) == {
        "booking_address": "华士镇华西新村12号"}


async def test_a_typed_confirmation_is_read_from_its_words(booking, dispatcher, domain):
    """The NLU reads "确认预约", the button's own title typed, as checking a booking."""
    form = ValidateBookingForm()
    for said, intent, expected in (("确认预约", "check_booking", {"booking_confirmed": True}),
                                   ("/affirm", "affirm", {"booking_confirmed": True}),
                                   ("不约了", "deny", {"booking_confirmed": False}),
                                   ("转人工", "request_human", {}), ("几点开门", "ask_location_hours", {})):
        state = tracker("service_in_context", said, intent, **FILLED, requested_slot="booking_confirmed")
        state.active_loop = {"name": "booking_form"}
        assert await form.extract_booking_confirmed(dispatcher, state, domain) == expected, said
    assert dispatcher.messages == []
    # The NLU has read bare numbers as affirm: a number confirms nothing; the form says what it wants
    # (the rules would answer "affirm" with “好的”) and shows the read-back again.
    for said in ("８", "八", "2"):
        state = tracker("service_in_context", said, "affirm", **FILLED, requested_slot="booking_confirmed")
        state.active_loop = {"name": "booking_form"}
        assert await form.extract_booking_confirmed(dispatcher, state, domain) == {"booking_confirmed": None}, said
        assert texts(dispatcher) == CONFIRM_HELP
        dispatcher.messages.clear()
    state = tracker("service_in_context", "确认", "affirm", **FILLED, requested_slot="booking_name")
    state.active_loop = {"name": "booking_form"}
    assert await form.extract_booking_confirmed(dispatcher, state, domain) == {}


async def test_a_no_that_names_what_to_change_asks_that_again(at, booking, dispatcher, domain):
    """"不对，改成后天" at the read-back changes the day and keeps the rest; a plain no drops the booking."""
    form = ValidateBookingForm()

    def at_confirmation(said: str, intent: str = "deny"):
        state = tracker("service_in_context", said, intent, **FILLED, requested_slot="booking_confirmed")
        state.active_loop = {"name": "booking_form"}
        return state

    assert await form.extract_booking_confirmed(dispatcher, at_confirmation("不对，改成后天"), domain) == {
        "booking_confirmed": None, "booking_date": "不对，改成后天"}
    # validated as if said at the date step: the clock says Friday 27 November, 后天 is Sunday 29th
    assert await form.validate_booking_date("不对，改成后天", dispatcher, at_confirmation("不对，改成后天"), domain) == {
        "booking_date": "2026-11-29", "booking_period": None, "booking_slot": None}
    for said, asked in (("时间不对", {"booking_slot": None}), ("名字写错了", {"booking_name": None}),
                        ("电话号码不对", {"booking_phone": None}),
                        ("换一天", {"booking_date": None, "booking_slot": None})):
        assert await form.extract_booking_confirmed(dispatcher, at_confirmation(said, "chitchat"), domain) == {
            "booking_confirmed": None, **asked}, said
    assert await form.extract_booking_confirmed(dispatcher, at_confirmation("后天吧", "chitchat"), domain) == {
        "booking_confirmed": None, "booking_date": "后天吧"}
    # a new number or name given with the no is taken, not asked for again
    for said, taken in (("不对，电话是139 8765 4321", {"booking_phone": "13987654321"}),
                        ("手机号改成13987654321", {"booking_phone": "13987654321"}),
                        ("不对，名字是李四", {"booking_name": "李四"}),
                        ("姓名应该是欧阳娜娜吧", {"booking_name": "欧阳娜娜"}),
                        ("名字写错了，应该是李四", {"booking_name": "李四"}),
                        ("不对，名字错了 应该叫王小明", {"booking_name": "王小明"}),
                        ("名字不对，时间也不对", {"booking_slot": None}),
                        ("名字是对的，时间不对", {"booking_slot": None}),
                        ("不对，名字是什么来着", {"booking_name": None})):
        assert await form.extract_booking_confirmed(dispatcher, at_confirmation(said), domain) == {
            "booking_confirmed": None, **taken}, said
    assert await form.validate_booking_phone("13987654321", dispatcher, at_confirmation("x"), domain) == {
        "booking_phone": "13987654321"}
    assert await form.extract_booking_confirmed(dispatcher, at_confirmation("你们电话多少", "ask_location_hours"),
                                                domain) == {}
    for said in ("不约了", "不对", "/deny"):
        assert await form.extract_booking_confirmed(dispatcher, at_confirmation(said), domain) == {
            "booking_confirmed": False}, said
    # answers cleared to be asked again are validated silently
    assert await form.validate_booking_name(None, dispatcher, at_confirmation("x"), domain) == {"booking_name": None}
    assert await form.validate_booking_slot(None, dispatcher, at_confirmation("x"), domain) == {"booking_slot": None}
    assert await form.validate_booking_date(None, dispatcher, at_confirmation("x"), domain) == {"booking_date": None}
    assert await form.validate_booking_confirmed(None, dispatcher, at_confirmation("x"), domain) == {
        "booking_confirmed": None}
    assert dispatcher.messages == []


async def test_the_start_takes_a_phone_number_from_the_text_not_from_pieces_the_nlu_tagged(api, booking, dispatcher,
                                                                                          domain):
    events = await ActionBookingStart().run(dispatcher, tracker(
        "service_in_context", "我要预约 电话13912345678", "book_appointment", [entity("phone", "12345")]), domain)
    assert {e["name"]: e["value"] for e in events}["booking_phone"] == "13912345678"


async def test_confirmation_then_booking_returns_the_code_and_the_card(booking, dispatcher, domain):
    state = tracker("service_in_context", "确认", "affirm", **FILLED, booking_confirmed=True)
    await ActionAskBookingConfirmed().run(dispatcher, state, domain)
    assert "手机：139****5678" in texts(dispatcher) and "13912345678" not in texts(dispatcher)
    events = await ActionBookingSubmit().run(dispatcher, state, domain)
    sent = dict(booking.booked[0])
    # A repeated confirmation (a process died before the answer was seen) sends the same key.
    assert re.fullmatch(r"[\x21-\x7e]+:[0-9a-f]{32}", sent.pop("idempotency_key"))
    assert sent == {"service_id": "gov-residence-permit", "hall": "江阴市民中心", "date": "2026-11-30",
                    "slot": "09:00-09:30", "name": "张三", "phone": "13912345678", "channel": ""}
    assert "预约成功！\n预约码：K7M2QX（已预约）" in texts(dispatcher)
    assert dispatcher.messages[-1]["custom"] == {"type": "booking_confirmation", "booking": {
        "code": "K7M2QX", "service_name": "居住证申领", "hall": "江阴市民中心", "date": "2026-11-30",
        "slot": "09:00-09:30", "status": "booked"}}
    assert SlotSet("booking_code", "K7M2QX") in events and SlotSet("booking_confirmed", None) in events


async def test_not_confirmed_books_nothing(booking, dispatcher, domain):
    state = tracker("service_in_context", "不约了", "deny", **FILLED, booking_confirmed=False)
    await ActionBookingSubmit().run(dispatcher, state, domain)
    assert booking.booked == [] and "这次先不约了" in texts(dispatcher)


async def test_cancel_by_code_and_phone_in_one_message(booking, dispatcher, domain, caplog):
    caplog.set_level(logging.INFO, logger="actions")
    said = "取消预约 k7m2qx 13912345678"
    events = await ActionBookingLookupStart().run(dispatcher, tracker("service_in_context", said, "cancel_booking"),
                                                  domain)
    assert events == [SlotSet("booking_lookup", "cancel"), SlotSet("booking_code", "K7M2QX"),
                      SlotSet("booking_phone", "13912345678")]
    assert "139****5678" in caplog.text and "13912345678" not in caplog.text
    state = tracker("service_in_context", said, "cancel_booking", booking_lookup="cancel", booking_code="K7M2QX",
                    booking_phone="13912345678")
    await ActionBookingLookup().run(dispatcher, state, domain)
    assert booking.cancelled == ["K7M2QX"] and texts(dispatcher).startswith("已为您取消预约")
    assert dispatcher.messages[-1]["custom"]["booking"]["status"] == "cancelled"


async def test_a_wrong_phone_finds_nothing(booking, dispatcher, domain):
    state = tracker("service_in_context", "查预约", "check_booking", booking_lookup="check", booking_code="K7M2QX",
                    booking_phone="13800000000")
    await ActionBookingLookup().run(dispatcher, state, domain)
    assert texts(dispatcher) == "没有找到这个预约：请核对预约码和预约时留的手机号。"
