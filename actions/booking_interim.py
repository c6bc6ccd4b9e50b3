"""Honest interim answers for booking (issue 6): how to book today, never an invented booking code."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import api_client
from actions.answers import ONLINE_DEFAULT
from lifebot.privacy import masked

log = logging.getLogger(__name__)

HALL = "江阴市民中心"
HALL_PHONE = "0510-86860001"
BOOK_NO_CONTEXT = (f"在线预约功能还在建设中，暂时不能在这里直接预约。现在可以在{ONLINE_DEFAULT}预约，或拨打{HALL}"
                   f"电话 {HALL_PHONE}。告诉我您要办什么事，我先帮您查查办理要求。")
BOOKING_RECORDS = ("预约查询和取消功能还在建设中，我这里暂时查不到预约记录。请在预约时用的平台（{online}）操作，"
                   f"或拨打{HALL}电话 {HALL_PHONE}。")


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
