"""Report form, filing, ticket status and the out-of-hours callback ticket, on tracker fixtures with
the real domain; the routing endpoints are faked here (tests/api and tests/e2e use the real ones)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from rasa_sdk.events import FollowupAction, SlotSet

from actions import routing_client
from actions.handover import HANDED_OVER, NO_OPERATOR, ActionHandOver, ActionStaySilent
from actions.report_form import (
    ASK_WHERE,
    BAD_PHONE,
    CONFIRM_HELP,
    PHONE_OR_12345,
    ActionAskReportConfirmed,
    ActionAskReportWhere,
    ValidateReportForm,
)
from actions.report_submit import (
    ASK_PHONE,
    CANCELLED,
    CLEARED,
    NO_PHONE_CANCELLED,
    ActionCheckTicket,
    ActionSubmitReport,
)
from tests.bot.fakes import CLOSED_HOURS, entity, tracker

GRID = {"code": "JY01", "level": 1, "name": "澄江街道", "town": "澄江街道",
        "worker": {"role": "网格化联动中心", "name": "沈英强", "phone": "0510-86946201"}}
TICKET = {"number": "202611270007", "category": "餐饮油烟", "department": "江阴市城市管理局", "team": None,
          "grid": GRID, "status": "dispatched", "status_label": "已派单", "due_at": "2026-11-30T18:00:00+08:00",
          "created_at": "2026-11-27T18:00:00+08:00", "callback_by": "2026-11-30T10:30:00+08:00",
          "contact": {"name": None, "phone": "138****5678"},
          "history": [{"status": "received", "label": "已受理", "at": "2026-11-27T18:00:00+08:00", "actor": "系统",
                       "note": "已受理"},
                      {"status": "dispatched", "label": "已派单", "at": "2026-11-27T18:00:00+08:00", "actor": "系统",
                       "note": "派至江阴市城市管理局，澄江街道"}]}


class FakeRouting:
    def __init__(self) -> None:
        self.filed: list[dict[str, Any]] = []
        self.looked_up: list[tuple[str, str]] = []

    async def route(self, text: str) -> dict[str, Any]:
        return {"department": "江阴市城市管理局", "team": None, "grid": GRID, "category": "餐饮油烟",
                "confidence": 0.8, "urgent": False}

    async def address(self, text: str) -> dict[str, Any]:
        if "澄江" in text:
            return {"town": "澄江街道", "village": None, "grid": GRID, "question": None, "options": []}
        return {"town": None, "village": None, "grid": None, "question": "请问是在哪个镇（街道）？", "options": []}

    async def create_ticket(self, body: dict[str, Any]) -> dict[str, Any]:
        self.filed.append(body)
        return dict(TICKET)

    async def ticket(self, number: str, phone: str) -> dict[str, Any]:
        self.looked_up.append((number, phone))
        if phone != "13812345678":
            raise routing_client.ApiRefused(404, "ticket_not_found", f"没有找到工单 {number}，请核对工单号和登记的手机号")
        return dict(TICKET)


@pytest.fixture
def routing(monkeypatch) -> FakeRouting:
    fake = FakeRouting()
    for name in ("route", "address", "create_ticket", "ticket"):
        monkeypatch.setattr(routing_client, name, getattr(fake, name))
    return fake


def in_form(text: str, intent: str, requested: str | None, entities=None, **slots: Any):
    t = tracker("service_in_context", text, intent, entities or [], requested_slot=requested, **slots)
    t.active_loop = {"name": "report_form"} if requested else {}
    return t


def texts(dispatcher) -> str:
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


async def test_the_first_message_is_the_what_and_a_place_without_a_town_is_asked_for(routing, dispatcher, domain):
    events = await ValidateReportForm().run(dispatcher, in_form("楼下饭店油烟太大", "report_issue", None), domain)
    assert SlotSet("report_what", "楼下饭店油烟太大") in events
    assert SlotSet("report_where", None) in events
    assert dispatcher.messages == []
    await ActionAskReportWhere().run(dispatcher, in_form("x", "report_issue", "report_where"), domain)
    assert texts(dispatcher) == ASK_WHERE


@pytest.mark.parametrize("said", ["我要投诉", "投诉一下", "我想反映个问题", "好的谢谢 还有个事要举报", "我要报修！"])
async def test_a_wish_to_report_is_not_what_happened_which_is_asked_for(routing, dispatcher, domain, said):
    """"我要投诉" was filed as the problem itself ("问题：我要投诉"), routed to the 12345 desk."""
    events = await ValidateReportForm().run(dispatcher, in_form(said, "report_issue", None), domain)
    assert SlotSet("report_what", None) in events and dispatcher.messages == []
    events = await ValidateReportForm().run(dispatcher, in_form("小区门口有人乱停车", "report_issue", "report_what"),
                                            domain)
    assert SlotSet("report_what", "小区门口有人乱停车") in events


@pytest.mark.parametrize("said", ["我要投诉噪音", "投诉一下物业不管事", "窗口工作人员态度差我要投诉", "我要报修路灯"])
async def test_a_report_that_names_anything_is_what_happened(routing, dispatcher, domain, said):
    events = await ValidateReportForm().run(dispatcher, in_form(said, "report_issue", None), domain)
    assert SlotSet("report_what", said) in events


async def test_a_place_that_cannot_be_resolved_gets_the_which_town_question(routing, dispatcher, domain):
    events = await ValidateReportForm().run(dispatcher, in_form("我家楼下", "report_issue", "report_where",
                                                                report_what="油烟"), domain)
    assert SlotSet("report_where", None) in events
    assert SlotSet("report_where_question", "请问是在哪个镇（街道）？") in events
    events = await ValidateReportForm().run(dispatcher, in_form("澄江街道人民中路268号", "report_issue",
                                                                "report_where", report_what="油烟"), domain)
    assert SlotSet("report_where", "澄江街道人民中路268号") in events


async def test_urgent_reports_get_the_emergency_numbers_at_once(routing, dispatcher, domain):
    await ValidateReportForm().run(dispatcher, in_form("楼道里闻到煤气味", "report_issue", None), domain)
    assert texts(dispatcher).startswith("情况紧急请立即拨打：110（报警）、119（火警）、120（急救）！")


async def test_a_bad_phone_is_asked_again_and_a_good_one_kept(routing, dispatcher, domain):
    events = await ValidateReportForm().run(dispatcher, in_form("138123", "nlu_fallback", "report_phone",
                                                                report_what="油烟", report_where="澄江街道"), domain)
    assert SlotSet("report_phone", None) in events and texts(dispatcher) == BAD_PHONE
    # not a wrong number but a resident who would rather not give one: why it is needed, and the way out
    for said in ("我不想说", "能匿名反映吗", "电话不方便给"):
        dispatcher.messages.clear()
        events = await ValidateReportForm().run(dispatcher, in_form(said, "nlu_fallback", "report_phone",
                                                                    report_what="油烟", report_where="澄江街道"), domain)
        assert SlotSet("report_phone", None) in events and texts(dispatcher) == PHONE_OR_12345, said
    events = await ValidateReportForm().run(dispatcher, in_form("13812345678", "nlu_fallback", "report_phone",
                                                                [entity("phone", "13812345678")],
                                                                report_what="油烟", report_where="澄江街道"), domain)
    assert SlotSet("report_phone", "13812345678") in events
    # typed in full width, as Chinese input methods can: the same number, stored half-width
    events = await ValidateReportForm().run(dispatcher, in_form("１３８１２３４５６７８", "nlu_fallback", "report_phone",
                                                                report_what="油烟", report_where="澄江街道"), domain)
    assert SlotSet("report_phone", "13812345678") in events


async def test_confirmation_reads_back_with_a_masked_phone_and_the_route(routing, dispatcher, domain):
    await ActionAskReportConfirmed().run(dispatcher, in_form("x", "affirm", "report_confirmed", report_what="油烟太大",
                                                             report_where="澄江街道", report_phone="13812345678"), domain)
    assert texts(dispatcher) == ("请确认：\n问题：油烟太大\n地点：澄江街道\n联系电话：138****5678\n"
                                 "将转给：江阴市城市管理局（澄江街道网格）\n没问题就回复“确认”，要修改请回复“不对”。")
    for said, intent, value in (("确认", "affirm", True), ("不对", "deny", False)):
        events = await ValidateReportForm().run(dispatcher, in_form(said, intent, "report_confirmed",
                                                                    report_what="油烟", report_where="澄江街道",
                                                                    report_phone="13812345678"), domain)
        assert SlotSet("report_confirmed", value) in events


async def test_a_confirmed_report_is_filed_with_its_number_card_and_callback_time(routing, at, dispatcher, domain):
    at(CLOSED_HOURS)
    events = await ActionSubmitReport().run(dispatcher, tracker(
        "service_in_context", "确认", "affirm", report_what="楼下饭店油烟太大", report_where="澄江街道人民中路268号",
        report_phone="13812345678", report_confirmed=True), domain)
    filed = [dict(body) for body in routing.filed]
    assert filed[0].pop("idempotency_key").startswith("resident-1:")
    assert filed == [{"text": "楼下饭店油烟太大", "address": "澄江街道人民中路268号", "phone": "13812345678",
                      "channel": "web", "conversation_id": "resident-1"}]
    assert events == [*CLEARED, SlotSet("last_ticket", "202611270007"), SlotSet("contact_phone", "13812345678")]
    assert dispatcher.messages[0]["text"] == (
        "已为您登记，工单号：202611270007（请记下，查询进度时用）。\n已转给：江阴市城市管理局，澄江街道网格（网格化联动中心）。\n"
        "承诺办理时限：11月30日（周一）18:00前。\n现在是下班时间，工作人员会在11月30日（周一）10:30前给您回电（138****5678）。\n"
        "想查进度，说“查工单 202611270007”并附上手机号即可。")
    assert dispatcher.messages[0]["custom"] == {"type": "ticket_confirmation", "ticket": {
        "number": "202611270007", "category": "餐饮油烟", "department": "江阴市城市管理局", "team": None,
        "grid": "澄江街道", "status": "已派单", "due": "2026-11-30T18:00:00+08:00"}}


async def test_an_unconfirmed_report_is_not_filed(routing, dispatcher, domain):
    events = await ActionSubmitReport().run(dispatcher, tracker("service_in_context", "不对", "deny",
                                                                report_confirmed=False), domain)
    assert events == CLEARED and routing.filed == [] and texts(dispatcher) == CANCELLED


async def test_a_report_dropped_by_declining_the_phone_says_why_it_was_needed(routing, dispatcher, domain):
    events = await ActionSubmitReport().run(dispatcher, tracker("service_in_context", "不想留", "deny",
                                                                report_what="油烟", report_where="澄江街道"), domain)
    assert events == CLEARED and routing.filed == [] and texts(dispatcher) == NO_PHONE_CANCELLED
    assert "12345" in NO_PHONE_CANCELLED
    dispatcher.messages.clear()  # dropped for another reason: the plain answer
    await ActionSubmitReport().run(dispatcher, tracker("service_in_context", "算了不反映了", "deny",
                                                       report_what="油烟", report_where="澄江街道"), domain)
    assert texts(dispatcher) == CANCELLED
    dispatcher.messages.clear()  # "不想说" at the where step is not about the phone
    await ActionSubmitReport().run(dispatcher, tracker("service_in_context", "不想说", "deny", report_what="油烟"),
                                   domain)
    assert texts(dispatcher) == CANCELLED


async def test_check_ticket_needs_the_phone_and_reports_the_status(routing, dispatcher, domain):
    await ActionCheckTicket().run(dispatcher, tracker("service_in_context", "查工单202611270007", "check_ticket",
                                                      [entity("ticket_number", "202611270007")]), domain)
    assert texts(dispatcher) == ASK_PHONE.format(number="202611270007") and routing.looked_up == []
    events = await ActionCheckTicket().run(dispatcher, tracker(
        "service_in_context", "查工单 202611270007 13812345678", "check_ticket"), domain)
    assert routing.looked_up == [("202611270007", "13812345678")]
    assert dispatcher.messages[-1]["text"].startswith("工单 202611270007（餐饮油烟）：已派单。\n承办：江阴市城市管理局")
    assert events == [SlotSet("last_ticket", "202611270007"), SlotSet("contact_phone", "13812345678")]
    await ActionCheckTicket().run(dispatcher, tracker("service_in_context", "进度怎么样了", "check_ticket",
                                                      last_ticket="202611270007", contact_phone="13900000000"), domain)
    assert "请核对工单号和登记的手机号" in dispatcher.messages[-1]["text"]


async def test_out_of_hours_hand_over_files_a_callback_ticket(routing, at, dispatcher, domain):
    at(CLOSED_HOURS)
    events = await ActionHandOver().run(dispatcher, tracker(
        "service_in_context", "转人工 我电话13812345678", "request_human", [entity("phone", "13812345678")]), domain)
    assert events == HANDED_OVER
    assert routing.filed[0]["kind"] == "callback" and routing.filed[0]["phone"] == "13812345678"
    assert texts(dispatcher) == (
        "现在是人工客服下班时间（人工服务时间：周一至周五 8:30-12:00，13:30-17:00）。已为您登记人工回电，"
        "工单号 202611270007，工作人员会在11月30日（周一）10:30前给您回电（138****5678）。急事请拨打 12345 热线（24 小时）。")


async def test_out_of_hours_without_a_phone_asks_for_one_then_files(routing, at, dispatcher, domain, caplog):
    caplog.set_level(logging.INFO, logger="actions")
    at(CLOSED_HOURS)
    events = await ActionHandOver().run(dispatcher, tracker("service_in_context", "转人工", "request_human"), domain)
    assert events == [*HANDED_OVER, SlotSet("callback_pending", True)]
    assert "请在这里留下手机号" in texts(dispatcher) and routing.filed == []
    events = await ActionStaySilent().run(dispatcher, tracker(
        "service_in_context", "13812345678", "nlu_fallback", handed_over=True, callback_pending=True), domain)
    assert events == [SlotSet("callback_pending", False), SlotSet("contact_phone", "13812345678")]
    assert "工单号 202611270007" in dispatcher.messages[-1]["text"]
    assert "13812345678" not in caplog.text


async def test_out_of_hours_a_full_width_phone_is_the_same_number(routing, at, dispatcher, domain):
    """The callback's phone is read by the reports' own parser (phone_number), half-width like the rest."""
    at(CLOSED_HOURS)
    events = await ActionStaySilent().run(dispatcher, tracker(
        "service_in_context", "１３８ １２３４ ５６７８", "nlu_fallback", handed_over=True, callback_pending=True), domain)
    assert events == [SlotSet("callback_pending", False), SlotSet("contact_phone", "13812345678")]
    assert routing.filed[0]["phone"] == "13812345678"


async def test_out_of_hours_without_an_operator_the_bot_takes_the_conversation_back(at, dispatcher, domain):
    at(CLOSED_HOURS)
    events = await ActionStaySilent().run(dispatcher, tracker(
        "service_in_context", "要不要带结婚证", "ask_materials", handed_over=True, callback_pending=True), domain)
    assert events == [SlotSet("handed_over", False), SlotSet("callback_pending", False), FollowupAction("action_listen")]
    assert texts(dispatcher) == NO_OPERATOR
    # Once an operator has answered, the conversation stays theirs, phone number or not.
    assert await ActionStaySilent().run(dispatcher, tracker(
        "service_in_context", "13812345678", "nlu_fallback", handed_over=True, operator_message="您好"), domain) == []


async def test_out_of_hours_an_operator_who_answered_keeps_the_conversation(at, dispatcher, domain):
    at(CLOSED_HOURS)
    assert await ActionStaySilent().run(dispatcher, tracker(
        "service_in_context", "要不要带结婚证", "ask_materials", handed_over=True, operator_message="您好"), domain) == []
    assert dispatcher.messages == []


async def test_leaving_midway_is_no_answer_so_the_form_lets_go(routing, dispatcher, domain):
    """"算了" or "转人工" at the where or phone step is not taken as the place or the number: the form
    rejects the message and the rules stop it (data/rules/reports.yml)."""
    for requested, filled in (("report_where", {"report_what": "马路上有个大坑"}),
                              ("report_phone", {"report_what": "马路上有个大坑", "report_where": "澄江街道"})):
        for said, intent in (("算了不反映了", "deny"), ("取消", "cancel_booking"), ("转人工", "request_human")):
            form = ValidateReportForm()
            assert await form.extract_report_where(dispatcher, in_form(said, intent, requested, **filled), domain) == {}
            assert await form.extract_report_phone(dispatcher, in_form(said, intent, requested, **filled), domain) == {}
    assert dispatcher.messages == []


async def test_a_typed_yes_counts_whatever_the_nlu_made_of_it(routing, dispatcher, domain):
    """The NLU reads "确认提交" as chitchat; the words decide. "转人工" is neither yes nor no."""
    form = ValidateReportForm()
    filled = {"report_what": "油烟", "report_where": "澄江街道", "report_phone": "13812345678"}
    for said, intent, expected in (("确认提交", "chitchat", {"report_confirmed": True}),
                                   ("不对，地址错了", "chitchat", {"report_confirmed": False}),
                                   ("转人工", "request_human", {})):
        assert await form.extract_report_confirmed(dispatcher, in_form(said, intent, "report_confirmed", **filled),
                                                   domain) == expected
    for said in ("八", "１"):  # read as affirm by the NLU: no yes, and the form says what it wants
        assert await form.extract_report_confirmed(dispatcher, in_form(said, "affirm", "report_confirmed", **filled),
                                                   domain) == {"report_confirmed": None}
        assert texts(dispatcher) == CONFIRM_HELP
        dispatcher.messages.clear()


async def test_a_phone_number_is_read_whole_whatever_pieces_the_nlu_tagged(routing, at, dispatcher, domain):
    """DIET tagged 13812345678 as ticket_number 138 and phone 12345 when jieba cut it at 12345."""
    pieces = [entity("ticket_number", "138"), entity("phone", "12345")]
    at(CLOSED_HOURS)
    await ActionHandOver().run(dispatcher, tracker("service_in_context", "转人工 13812345678", "request_human",
                                                   pieces), domain)
    assert routing.filed[0]["phone"] == "13812345678"
    await ActionCheckTicket().run(dispatcher, tracker("service_in_context", "13812345678", "check_ticket", pieces),
                                  domain)
    assert routing.looked_up == [] and "工单 138" not in texts(dispatcher)


async def test_digits_with_no_ticket_in_them_are_no_ticket_question(api, routing, dispatcher, domain):
    """The NLU reads "我妈85岁了" or "1" as checking a ticket (digits); without a number, a phone or a word
    about a ticket the bot answers as for words it could not place, not by asking for a ticket number."""
    from actions.report_submit import ASK_NUMBER

    api.answer = {"confident": False, "results": []}
    for said in ("我妈85岁了", "1"):
        dispatcher.messages.clear()
        assert await ActionCheckTicket().run(dispatcher, tracker("service_in_context", said, "check_ticket"), domain) == []
        assert [m.get("response") for m in dispatcher.messages] == ["utter_default"], said
    for said in ("查一下工单", "13812345678"):
        dispatcher.messages.clear()
        await ActionCheckTicket().run(dispatcher, tracker("service_in_context", said, "check_ticket"), domain)
        assert texts(dispatcher) == ASK_NUMBER, said
    assert routing.looked_up == []
