"""How the booking form asks: halls, dates and slots as buttons, then a summary to confirm."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import api_client, booking_client
from actions.booking_form import BUSY, date_example, day_text, free_days, free_slots, period_filter
from booking.halls import CITY_HALL, HOME
from lifebot.privacy import mask_phone

MAX_BUTTONS = 16


def option(slot: str, value: str, title: str | None = None) -> dict[str, str]:
    """A button that fills a form slot without going through NLU."""
    payload = json.dumps({slot: value}, ensure_ascii=False)
    return {"title": title or value, "payload": f"/choose_booking_option{payload}"}


class ActionAskBookingHall(Action):
    def name(self) -> str:
        return "action_ask_booking_hall"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        halls = tracker.get_slot("booking_halls") or []
        offered = [CITY_HALL] if CITY_HALL in halls else halls[:4]
        where = "您住在哪个镇或街道？我帮您约最近的服务中心（如“华士镇”）。" if len(halls) > 1 else ""
        dispatcher.utter_message(text=f"【{tracker.get_slot('booking_service_name')}】可以在 {len(halls)} 个地点办理。"
                                      f"{where}也可以直接选：",
                                 buttons=[option("booking_hall", hall) for hall in offered])
        return []


class ActionAskBookingDate(Action):
    def name(self) -> str:
        return "action_ask_booking_date"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        try:
            days = await free_days(tracker)
        except api_client.ApiUnavailable:
            dispatcher.utter_message(text=BUSY)
            return []
        hall = tracker.get_slot("booking_hall")
        if not days:
            dispatcher.utter_message(text=f"{hall}近期没有可以预约的空位了。可以说“换个地点”，或拨打 0510-86860001 咨询。")
            return []
        dispatcher.utter_message(text=f"想约哪一天去{hall}？最近有空位的日期如下，也可以直接说“下周一”“{date_example()}”：",
                                 buttons=[option("booking_date", d, day_text(d)) for d in days])
        return []


class ActionAskBookingSlot(Action):
    def name(self) -> str:
        return "action_ask_booking_slot"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        day = tracker.get_slot("booking_date")
        try:
            free = await free_slots(tracker, day)
        except (booking_client.Refused, api_client.ApiUnavailable):
            dispatcher.utter_message(text=BUSY)
            return []
        if not free:  # taken meanwhile: back to choosing a day
            days = await free_days(tracker)
            dispatcher.utter_message(text=f"{day_text(day)}已经约满了。最近有空位的日期：",
                                     buttons=[option("booking_date", d, day_text(d)) for d in days])
            return [SlotSet("booking_date", None), SlotSet("requested_slot", "booking_date")]
        offered = period_filter(free, tracker.get_slot("booking_period"))
        dispatcher.utter_message(text=f"{day_text(day)}还有这些时段可以约，请选一个：", buttons=[option("booking_slot", s) for s in offered[:MAX_BUTTONS]])
        return []


def summary(tracker: Tracker) -> str:
    hall = tracker.get_slot("booking_hall")
    place = f"上门地址：{tracker.get_slot('booking_address')}" if hall == HOME else f"地点：{hall}"
    return (f"请确认预约信息：\n服务：{tracker.get_slot('booking_service_name')}\n{place}\n"
            f"时间：{day_text(tracker.get_slot('booking_date'))} {tracker.get_slot('booking_slot')}\n"
            f"姓名：{tracker.get_slot('booking_name')}\n手机：{mask_phone(tracker.get_slot('booking_phone') or '')}")


class ActionAskBookingConfirmed(Action):
    def name(self) -> str:
        return "action_ask_booking_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        dispatcher.utter_message(text=summary(tracker) + "\n确认预约吗？",
                                 buttons=[{"title": "确认预约", "payload": "/affirm"},
                                          {"title": "不约了", "payload": "/deny"}])
        return []
