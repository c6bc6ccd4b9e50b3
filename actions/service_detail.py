"""Follow-up questions about one aspect of a service: materials, place and hours, fee, time, online."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import answers, api_client, clock
from actions.search_service import BUSY, in_context, lookup, search_and_answer
from lifebot.privacy import masked

log = logging.getLogger(__name__)

ASPECT = {"ask_materials": "材料", "ask_location_hours": "地点和时间", "ask_fee": "收费",
          "ask_time_limit": "办理时限", "ask_online": "网上办理"}
WHICH_SERVICE = "您想问哪项服务的{aspect}？告诉我服务名称就行，比如“居住证要带什么材料”。"


def detail(intent: str, entry: dict[str, Any], question: str) -> str:
    if intent == "ask_materials":
        return answers.materials_answer(entry)
    if intent == "ask_fee":
        return answers.fee_answer(entry)
    if intent == "ask_time_limit":
        return answers.time_limit_answer(entry)
    if intent == "ask_online":
        return answers.online_answer(entry)
    return answers.location_answer(entry, question, clock.now())


class ActionServiceDetail(Action):
    def name(self) -> str:
        return "action_service_detail"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        intent = tracker.latest_message.get("intent", {}).get("name")
        intent = intent if intent in ASPECT else "ask_location_hours"
        question = (tracker.latest_message.get("text") or "").strip()
        log.info("%s: %s", intent, masked(question))
        mention = next(tracker.get_latest_entity_values("service"), None)
        service_id = tracker.get_slot("service_id")

        def answer(entry: dict[str, Any]) -> str:
            return detail(intent, entry, question)

        if mention:
            # A service named in the question wins over the one in context ("那护照呢要带啥").
            return await search_and_answer(dispatcher, mention, answer=answer)
        try:
            if service_id:
                entry = await api_client.service(service_id)
            else:
                # Nothing in context: answer only when the question itself names a service clearly.
                entry = (await lookup(question))[1]
        except api_client.ApiUnavailable:
            log.exception("catalog lookup failed for %s", service_id)
            dispatcher.utter_message(text=BUSY)
            return []
        if entry is None:
            dispatcher.utter_message(text=WHICH_SERVICE.format(aspect=ASPECT[intent]))
            return []
        dispatcher.utter_message(text=answer(entry))
        return in_context(entry)
