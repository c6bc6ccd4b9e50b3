"""Honest interim answers for booking (issue 6) and routed reports (issue 7).

Until those flows exist the bot explains how to book or report today and never invents a booking
code or a ticket number.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import api_client
from actions.answers import ONLINE_DEFAULT
from actions.privacy import masked

log = logging.getLogger(__name__)

HALL = "江阴市民中心"
HALL_PHONE = "0510-86860001"
BOOK_NO_CONTEXT = (f"在线预约功能还在建设中，暂时不能在这里直接预约。现在可以在{ONLINE_DEFAULT}预约，或拨打{HALL}"
                   f"电话 {HALL_PHONE}。告诉我您要办什么事，我先帮您查查办理要求。")
BOOKING_RECORDS = ("预约查询和取消功能还在建设中，我这里暂时查不到预约记录。请在预约时用的平台（{online}）操作，"
                   f"或拨打{HALL}电话 {HALL_PHONE}。")
REPORT = ("在线受理（派单到负责部门）功能还在建设中，我这里暂时不能替您提交，也给不了工单号。"
          "请拨打 12345 热线（24 小时）反映，热线会派给负责的部门；也可以说“转人工”。")
CHECK_TICKET = "工单查询功能还在建设中，我这里暂时查不到{which}的进度。请拨打 12345 热线查询。"
URGENT_WORDS = ("着火", "失火", "火灾", "煤气泄漏", "燃气泄漏", "闻到煤气", "有人打架", "打人", "救命", "有人落水", "触电")
URGENT = "如果情况紧急、有人身危险，请立即拨打 110（报警）、119（火警）或 120（急救）！"


class ActionBookingInterim(Action):
    def name(self) -> str:
        return "action_booking_interim"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        intent = tracker.latest_message.get("intent", {}).get("name")
        log.info("%s (interim): %s", intent, masked(tracker.latest_message.get("text")))
        if intent in ("cancel_booking", "check_booking"):
            dispatcher.utter_message(text=BOOKING_RECORDS.format(online=ONLINE_DEFAULT))
            return []
        service_id = tracker.get_slot("service_id")
        try:
            entry = await api_client.service(service_id) if service_id else None
        except api_client.ApiUnavailable:
            entry = None
        dispatcher.utter_message(text=booking_text(entry))
        return []


def booking_text(entry: dict[str, Any] | None) -> str:
    if entry is None:
        return BOOK_NO_CONTEXT
    name = f"【{entry['name']}】"
    place = (entry.get("locations") or [{}])[0].get("name") or HALL
    if not entry.get("appointment"):
        return f"{name}不用预约，工作时间直接到{place}办理就行。在线预约功能还在建设中。"
    phone = entry.get("phone") or HALL_PHONE
    online = entry.get("online_url") or ONLINE_DEFAULT
    return (f"{name}需要预约。在线预约功能还在建设中，暂时不能在这里直接预约；现在可以在{online}预约，"
            f"或拨打 {phone} 电话预约。")


class ActionReportInterim(Action):
    def name(self) -> str:
        return "action_report_interim"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        intent = tracker.latest_message.get("intent", {}).get("name")
        text = tracker.latest_message.get("text") or ""
        log.info("%s (interim): %s", intent, masked(text))
        if intent == "check_ticket":
            number = next(tracker.get_latest_entity_values("ticket_number"), None)
            dispatcher.utter_message(text=CHECK_TICKET.format(which=f"工单 {number} " if number else "工单"))
            return []
        reply = REPORT
        if any(word in text for word in URGENT_WORDS):
            reply = URGENT + "\n" + reply
        dispatcher.utter_message(text=reply)
        return []
