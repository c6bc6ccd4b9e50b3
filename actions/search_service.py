"""Answer a resident's question about a service from the catalog search."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import api_client
from actions.answers import service_answer

log = logging.getLogger(__name__)

BUSY = "系统繁忙，请稍后再试。急事可以拨打 12345 热线。"
NOTHING_FITS = "抱歉，没有找到和您的问题对得上的服务。您可以换个说法再问，或者拨打 12345 热线找人工帮忙。"
WHICH_ONE = "您是想办理以下哪一项？"


class ActionSearchService(Action):
    def name(self) -> str:
        return "action_search_service"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        text = (tracker.latest_message.get("text") or "").strip()
        try:
            found = await api_client.search(text, top=3)
            best = found["results"][0] if found["results"] else None
            entry = await api_client.service(best["id"]) if best and found["confident"] else None
        except api_client.ApiUnavailable:
            log.exception("catalog search failed")
            dispatcher.utter_message(text=BUSY)
            return []
        if entry is not None:
            dispatcher.utter_message(text=service_answer(entry))
            return [SlotSet("service_id", entry["id"]), SlotSet("service_name", entry["name"])]
        if found["results"]:
            buttons = [{"title": hit["name"], "payload": hit["name"]} for hit in found["results"][:3]]
            dispatcher.utter_message(text=WHICH_ONE, buttons=buttons)
            return []
        dispatcher.utter_message(text=NOTHING_FITS)
        return []
