"""Hand-over to a human operator: on request, after repeated misunderstanding, and its release.

While the slot ``handed_over`` is true, rules answer every intent with ``action_stay_silent``: the
bot only listens, the messages stay in the tracker for the operator, until the operators' console
sends the external intent ``release_handover`` (POST /conversations/{id}/trigger_intent). Each
hand-over is queued for the console through the API's internal URL.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import api_client, clock, idempotency, routing_client
from actions.api_client import ApiUnavailable
from actions.report_form import phone_number
from actions.search_service import answer_if_confident
from catalog import hours as opening_hours
from lifebot.privacy import mask_phone, masked

log = logging.getLogger(__name__)

# When operators staff the console; the operators' console (a later issue) may make this a setting.
OPERATOR_HOURS = "周一至周五 8:30-12:00，13:30-17:00"
IN_HOURS = "好的，已为您转接人工客服，工作人员会在这里接着和您说，请稍候。"
STILL_UNCLEAR = "抱歉，我还是没弄明白。"
DECLINED = "好的。您可以换个说法再问问看，或者直接拨打 12345 热线（24 小时）。"
NO_OPERATOR = ("现在没有人工客服在线，我先接着为您服务，请把您的问题再说一遍。需要人工回电的话，"
               "说“转人工”并留下手机号；急事请拨打 12345 热线（24 小时）。")
# operator_message is cleared at each hand-over: set again, it means an operator has answered in it.
HANDED_OVER = [SlotSet("handed_over", True), SlotSet("human_offered", False), SlotSet("operator_message", None)]


def hand_over_text(now: datetime, phone: str | None = None, ticket: dict[str, Any] | None = None) -> str:
    """In office hours an operator takes over; out of hours a callback ticket is filed, with its
    number and the promised callback time, once the resident's phone number is known."""
    state = opening_hours.opening(opening_hours.parse(OPERATOR_HOURS), now)
    if state.open_now:
        return IN_HOURS
    text = f"现在是人工客服下班时间（人工服务时间：{OPERATOR_HOURS}）。"
    if ticket:
        when = opening_hours.when_text(datetime.fromisoformat(ticket["callback_by"]), now)
        text += (f"已为您登记人工回电，工单号 {ticket['number']}，工作人员会在{when}前给您回电"
                 f"（{ticket['contact']['phone']}）。")
    elif phone:  # the API could not be reached: promise what the desk can keep without a number
        when = opening_hours.when_text(state.next_open, now) if state.next_open else "下个工作日"
        text += f"您的请求已转给人工，工作人员{when}上班后会联系您，回电号码 {mask_phone(phone)}。"
    else:
        text += "请在这里留下手机号，我为您登记人工回电，并告诉您工单号和回电时间。"
    return text + "急事请拨打 12345 热线（24 小时）。"


def out_of_hours(now: datetime) -> bool:
    return not opening_hours.opening(opening_hours.parse(OPERATOR_HOURS), now).open_now


def phone_in(tracker: Tracker) -> str | None:
    """The phone number in the latest message: read from the text, not from DIET's entity, which may
    be a piece of the number."""
    return phone_number(tracker.latest_message.get("text") or "")


async def file_callback(tracker: Tracker, phone: str) -> dict[str, Any] | None:
    """A 人工回电 ticket with what the resident said last; None when the API cannot be reached."""
    said = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"][-3:]
    body = {"text": " / ".join(t for t in said if t) or "转人工", "phone": phone, "kind": "callback",
            "channel": "wechat" if "wechat" in (tracker.get_latest_input_channel() or "") else "web",
            "conversation_id": tracker.sender_id}
    body["idempotency_key"] = idempotency.key(tracker, body, clock.now().date())  # one per day and request
    try:
        ticket = await routing_client.create_ticket(body)
    except (ApiUnavailable, routing_client.ApiRefused):
        log.exception("callback ticket not filed for %s", tracker.sender_id)
        return None
    log.info("callback ticket %s for %s", ticket["number"], tracker.sender_id)
    return ticket
async def queue_for_operators(tracker: Tracker) -> None:
    """Make the hand-over visible in the operators' console; the resident's answer never waits on it."""
    try:
        await api_client.record_handover(tracker.sender_id, tracker.get_latest_input_channel(),
                                         tracker.latest_message.get("text"))
    except api_client.ApiUnavailable:
        log.exception("could not queue the hand-over of %s for the operators", tracker.sender_id)


def consecutive_fallbacks(tracker: Tracker) -> int:
    """Messages in a row, the latest included, that the NLU could not place and the catalog did not
    answer either (a turn that set a service in context was understood after all)."""
    count, answered = 0, False
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") == "service_id" and event.get("value"):
            answered = True  # walking backwards: this belongs to the turn of the next user event
        if event.get("event") != "user":
            continue
        if answered or (event.get("parse_data") or {}).get("intent", {}).get("name") != "nlu_fallback":
            break
        count += 1
    return count


class ActionHandOver(Action):
    def name(self) -> str:
        return "action_hand_over"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        now = clock.now()
        phone = phone_in(tracker) or tracker.get_slot("contact_phone")
        log.info("hand-over of %s: %s", tracker.sender_id, masked(tracker.latest_message.get("text")))
        await queue_for_operators(tracker)
        ticket = await file_callback(tracker, phone) if phone and out_of_hours(now) else None
        dispatcher.utter_message(text=hand_over_text(now, phone, ticket))
        pending = out_of_hours(now) and not phone
        return [*HANDED_OVER, SlotSet("callback_pending", pending)] if pending else list(HANDED_OVER)


class ActionNluFallback(Action):
    """Words the NLU could not place (a long, rambling question) are answered from the catalog when its
    search is confident; otherwise "没太明白" with a rephrase hint, and the second
    misunderstanding in a row hands over."""

    def name(self) -> str:
        return "action_nlu_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        answered = await answer_if_confident(dispatcher, (tracker.latest_message.get("text") or "").strip())
        if answered is not None:
            return answered
        if consecutive_fallbacks(tracker) < 2:
            dispatcher.utter_message(response="utter_default")
            return []
        log.info("hand-over of %s after repeated fallbacks", tracker.sender_id)
        now = clock.now()
        await queue_for_operators(tracker)
        dispatcher.utter_message(text=STILL_UNCLEAR + hand_over_text(now))
        return [*HANDED_OVER, SlotSet("callback_pending", True)] if out_of_hours(now) else list(HANDED_OVER)


class ActionDeclineHuman(Action):
    def name(self) -> str:
        return "action_decline_human"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=DECLINED)
        return [SlotSet("human_offered", False)]


class ActionStaySilent(Action):
    """An operator owns the conversation: say nothing, keep listening. Out of hours, the phone
    number the bot asked for is answered with the callback ticket; anything else, when no operator
    has answered in this hand-over, hands the conversation back to the bot (nobody would read it
    till morning) and asks the resident to say it again, rather than leaving them in silence."""

    def name(self) -> str:
        return "action_stay_silent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        log.info("handed over, bot silent for %s: %s", tracker.sender_id,
                 masked(tracker.latest_message.get("text")))
        phone = phone_in(tracker) if tracker.get_slot("callback_pending") else None
        now = clock.now()
        if phone:
            dispatcher.utter_message(text=hand_over_text(now, phone, await file_callback(tracker, phone)))
            return [SlotSet("callback_pending", False), SlotSet("contact_phone", phone)]
        if out_of_hours(now) and not tracker.get_slot("operator_message"):
            dispatcher.utter_message(text=NO_OPERATOR)
            # The slot change is not in any rule: listening next is stated, not left to prediction.
            return [SlotSet("handed_over", False), SlotSet("callback_pending", False), FollowupAction("action_listen")]
        return []


class ActionReleaseHandover(Action):
    def name(self) -> str:
        return "action_release_handover"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        if tracker.get_slot("handed_over"):
            dispatcher.utter_message(response="utter_released")
        return [SlotSet("handed_over", False)]
