"""After the booking form: book (or not), and check or cancel a booking by code plus phone."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import api_client, booking_client, idempotency
from actions.booking_form import BUSY, FORM_SLOTS, day_text
from booking import codes
from booking.halls import HOME
from booking.policy import find_phone
from lifebot.privacy import mask_phone, masked

log = logging.getLogger(__name__)
STATUS_TEXT = {"booked": "已预约", "cancelled": "已取消"}
HOW_TO_CHANGE = "要查询或取消，对我说“查预约”或“取消预约”，再告诉我预约码和手机号就行。"


def card(booking: dict[str, Any]) -> dict[str, Any]:
    """The shared booking_confirmation payload the web chat renders as a card."""
    keys = ("code", "service_name", "hall", "date", "slot", "status")
    return {"type": "booking_confirmation", "booking": {k: booking[k] for k in keys}}


def booking_text(booking: dict[str, Any]) -> str:
    where = f"上门地址：{booking['address']}" if booking["hall"] == HOME else f"地点：{booking['hall']}"
    return (f"预约码：{booking['code']}（{STATUS_TEXT.get(booking['status'], booking['status'])}）\n"
            f"服务：{booking['service_name']}\n{where}\n时间：{day_text(booking['date'])} {booking['slot']}")


def _reset() -> list[dict[str, Any]]:
    return [SlotSet(name, None) for name in FORM_SLOTS]


class ActionBookingSubmit(Action):
    def name(self) -> str:
        return "action_booking_submit"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        if not tracker.get_slot("booking_confirmed"):
            dispatcher.utter_message(text="好的，这次先不约了。需要的时候再对我说“我要预约”。")
            return _reset()
        request = {"service_id": tracker.get_slot("booking_service"), "hall": tracker.get_slot("booking_hall"),
                   "date": tracker.get_slot("booking_date"), "slot": tracker.get_slot("booking_slot"),
                   "name": tracker.get_slot("booking_name"), "phone": tracker.get_slot("booking_phone"),
                   "channel": tracker.get_latest_input_channel() or ""}
        if request["hall"] == HOME:
            request["address"] = tracker.get_slot("booking_address")
        request["idempotency_key"] = idempotency.key(tracker, request, idempotency.form_started(tracker, "booking_form"))
        try:
            booked = await booking_client.book(request)
        except booking_client.Refused as exc:
            log.info("booking refused (%s) for %s", exc.code, mask_phone(request["phone"] or ""))
            dispatcher.utter_message(text=f"没能约上：{exc.message}需要的话再说一次“我要预约”。")
            return _reset()
        except api_client.ApiUnavailable:
            dispatcher.utter_message(text=BUSY)
            return _reset()
        ending = ("师傅会在约定时段上门，请保持电话畅通。" if booked["hall"] == HOME
                  else "请按时带齐材料到窗口办理。")
        dispatcher.utter_message(text=f"预约成功！\n{booking_text(booked)}\n{ending}{HOW_TO_CHANGE}")
        dispatcher.utter_message(json_message=card(booked))
        return [*_reset(), SlotSet("booking_code", booked["code"])]


class ActionBookingStopped(Action):
    def name(self) -> str:
        return "action_booking_stopped"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        dispatcher.utter_message(text="好的，这次预约不办了，什么都没有约上。需要的时候再对我说“我要预约”。")
        return [*_reset(), SlotSet("booking_lookup", None)]


class ActionBookingLookupStart(Action):
    """Check or cancel: remember which, take the code and phone from the message when it has them."""

    def name(self) -> str:
        return "action_booking_lookup_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        text = tracker.latest_message.get("text") or ""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        mode = "cancel" if intent == "cancel_booking" else "check"
        code = codes.normalise(next(tracker.get_latest_entity_values("booking_code"), None)) or codes.normalise(text)
        phone = find_phone(text)
        log.info("booking %s: %s", mode, masked(text))
        events = [SlotSet("booking_lookup", mode), SlotSet("booking_code", code or tracker.get_slot("booking_code"))]
        if phone:
            events.append(SlotSet("booking_phone", phone))
        return events


class ValidateBookingLookupForm(FormValidationAction):
    def name(self) -> str:
        return "validate_booking_lookup_form"

    async def validate_booking_code(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: dict[str, Any]) -> dict[str, Any]:
        code = codes.normalise(str(value))
        if code is None:
            dispatcher.utter_message(text="预约码是 6 位字母和数字（如 K7M2QX），在预约成功的消息里。")
        return {"booking_code": code}

    async def validate_booking_phone(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: dict[str, Any]) -> dict[str, Any]:
        phone = find_phone(value)
        if phone is None:
            dispatcher.utter_message(text="手机号不对：请填写预约时留的 11 位手机号。")
        return {"booking_phone": phone}


class ActionBookingLookup(Action):
    def name(self) -> str:
        return "action_booking_lookup"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        code, phone = tracker.get_slot("booking_code"), tracker.get_slot("booking_phone")
        cancel = tracker.get_slot("booking_lookup") == "cancel"
        try:
            booking = await (booking_client.cancel(code, phone) if cancel else booking_client.show(code, phone))
        except booking_client.Refused as exc:
            dispatcher.utter_message(text=exc.message)
            return [SlotSet("booking_lookup", None), SlotSet("booking_code", None)]
        except api_client.ApiUnavailable:
            dispatcher.utter_message(text=BUSY)
            return [SlotSet("booking_lookup", None)]
        lead = "已为您取消预约，名额已释放。" if cancel else "查到了您的预约："
        dispatcher.utter_message(text=f"{lead}\n{booking_text(booking)}")
        dispatcher.utter_message(json_message=card(booking))
        return [SlotSet("booking_lookup", None)]
