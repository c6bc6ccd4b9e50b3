"""Filing a confirmed report as a ticket, and telling a resident where a ticket has got to."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import clock, idempotency, routing_client
from actions.api_client import ApiUnavailable
from actions.handover import ActionNluFallback
from actions.report_form import API_DOWN, NO_PHONE, WHY_PHONE, phone_number
from lifebot.messages import BUSY as SYSTEM_BUSY
from lifebot.typed import half_width
from routing.tickets.lifecycle import when_text

log = logging.getLogger(__name__)

NUMBER = re.compile(r"20\d{10}")
TICKET_WORDS = ("工单", "单号", "进度", "查", "处理", "反映", "投诉", "回复", "结果", "办得")
CLEARED = [SlotSet(s, None) for s in ("report_what", "report_where", "report_phone", "report_confirmed",
                                      "report_where_question")]
CANCELLED = "好的，这次没有提交。需要反映问题时随时告诉我。"
# dropped by declining the phone ("不想留"): why it is needed, and the hotline as the other way
NO_PHONE_CANCELLED = "好的，这次没有提交。" + WHY_PHONE + "不想留号码，也可以直接拨打 12345 热线反映。"
ASK_NUMBER = "请把工单号（12 位数字，如 202611270031）和登记时留的手机号一起发给我，比如“查工单 202611270031 13812345678”。"
ASK_PHONE = "查询工单 {number} 需要核对登记时留的手机号，请把工单号和手机号一起发给我。"


def channel(tracker: Tracker) -> str:
    name = (tracker.get_latest_input_channel() or "").lower()
    return "wechat" if "wechat" in name else "web"


def card(ticket: dict[str, Any]) -> dict[str, Any]:
    """The shared ticket_confirmation payload the web chat renders."""
    grid = ticket["grid"]
    return {"type": "ticket_confirmation", "ticket": {
        "number": ticket["number"], "category": ticket["category"], "department": ticket["department"],
        "team": ticket["team"], "grid": grid["name"] if grid else None, "status": ticket["status_label"],
        "due": ticket["due_at"]}}


def confirmation_text(ticket: dict[str, Any], now: datetime) -> str:
    grid = ticket["grid"]
    who = ticket["team"] or ticket["department"]
    lines = [f"已为您登记，工单号：{ticket['number']}（请记下，查询进度时用）。"]
    if ticket["status"] == "dispatched":
        lines.append(f"已转给：{who}" + (f"，{grid['name']}网格（{grid['worker']['role']}）" if grid else "") + "。")
    else:
        lines.append("12345 热线会尽快确定由哪个部门处理。")
    lines.append(f"承诺办理时限：{when_text(datetime.fromisoformat(ticket['due_at']), now)}前。")
    if ticket["callback_by"]:
        lines.append(f"现在是下班时间，工作人员会在{when_text(datetime.fromisoformat(ticket['callback_by']), now)}"
                     f"前给您回电（{ticket['contact']['phone']}）。")
    lines.append("想查进度，说“查工单 " + ticket["number"] + "”并附上手机号即可。")
    return "\n".join(lines)


class ActionSubmitReport(Action):
    def name(self) -> str:
        return "action_submit_report"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        if not tracker.get_slot("report_confirmed"):
            # at the phone step: what and where taken, no phone yet
            declined = (tracker.get_slot("report_where") and tracker.get_slot("report_phone") is None
                        and NO_PHONE.search(tracker.latest_message.get("text") or ""))
            dispatcher.utter_message(text=NO_PHONE_CANCELLED if declined else CANCELLED)
            return list(CLEARED)
        phone = tracker.get_slot("report_phone")
        body = {"text": tracker.get_slot("report_what"), "address": tracker.get_slot("report_where"),
                "phone": phone, "channel": channel(tracker), "conversation_id": tracker.sender_id}
        body["idempotency_key"] = idempotency.key(tracker, body, idempotency.form_started(tracker, "report_form"))
        try:
            ticket = await routing_client.create_ticket(body)
        except ApiUnavailable:
            log.exception("ticket not filed for %s", tracker.sender_id)
            dispatcher.utter_message(text=API_DOWN)
            return []  # keep what was said, so "再试一次" does not lose it
        except routing_client.ApiRefused as exc:
            dispatcher.utter_message(text=f"没能提交：{exc.message}。")
            return list(CLEARED)
        log.info("ticket %s filed for %s", ticket["number"], tracker.sender_id)
        dispatcher.utter_message(text=confirmation_text(ticket, clock.now()), json_message=card(ticket))
        return [*CLEARED, SlotSet("last_ticket", ticket["number"]), SlotSet("contact_phone", phone)]


def status_text(ticket: dict[str, Any]) -> str:
    last = ticket["history"][-1]
    who = ticket["team"] or ticket["department"]
    lines = [f"工单 {ticket['number']}（{ticket['category']}）：{ticket['status_label']}。",
             f"承办：{who}；最近一次更新：{last['at'][:16].replace('T', ' ')} {last['label']}"
             + (f"，{last['note']}" if last["note"] else "") + "。"]
    if ticket["status"] not in ("resolved", "closed"):
        lines.append(f"办理时限：{ticket['due_at'][:16].replace('T', ' ')}。")
    return "\n".join(lines)


class ActionCheckTicket(Action):
    def name(self) -> str:
        return "action_check_ticket"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        text = half_width(tracker.latest_message.get("text") or "").replace(" ", "")
        numbers = NUMBER.findall(text)  # not DIET's ticket_number entity: it may be a piece of a phone number
        number = numbers[0] if numbers else tracker.get_slot("last_ticket")
        rest = text.replace(number, "") if number else text
        said_phone = phone_number(rest)
        phone = said_phone or tracker.get_slot("contact_phone")
        if not number and not said_phone and not any(word in text for word in TICKET_WORDS):
            # Digits alone pull the NLU towards check_ticket ("我妈85岁了", "1"): no number, no phone and
            # no word about a ticket is no ticket question; answer it as words the NLU could not place.
            return await ActionNluFallback().run(dispatcher, tracker, domain)
        if not number:
            dispatcher.utter_message(text=ASK_NUMBER)
            return []
        if not phone:
            dispatcher.utter_message(text=ASK_PHONE.format(number=number))
            return []
        try:
            ticket = await routing_client.ticket(number, phone)
        except ApiUnavailable:
            dispatcher.utter_message(text=f"{SYSTEM_BUSY}。工单暂时查不到，可以稍后再查，或拨打 12345 热线。")
            return []
        except routing_client.ApiRefused as exc:
            dispatcher.utter_message(text=exc.message + "。")
            return []
        dispatcher.utter_message(text=status_text(ticket), json_message=card(ticket))
        return [SlotSet("last_ticket", number), SlotSet("contact_phone", phone)]
