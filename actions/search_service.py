"""Answer a resident's question about a service from the catalog search; clarify when it is unsure."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import api_client, clock
from actions.answers import service_answer
from actions.cards import send_service_card
from actions.choices import WHICH_ONE, choice_buttons
from actions.follow_up import narrowing
from lifebot.messages import BUSY as SYSTEM_BUSY
from lifebot.privacy import masked

log = logging.getLogger(__name__)

BUSY = f"{SYSTEM_BUSY}。急事可以拨打 12345 热线。"
NOTHING_FITS = ("抱歉，没有找到和您的问题对得上的服务。您可以换个说法再问，或者拨打 12345 热线（24 小时）。"
                "需要我帮您转人工客服吗？")
NO_SUCH_SERVICE = "这项服务已经查不到了，请换个说法再问一次。"


def in_context(entry: dict[str, Any], query: str | None = None) -> list[dict[str, Any]]:
    """Events that make an answered entry the service in context; ``query``, the words it was found
    for, when a search found it (a clarification button keeps the question it clarified)."""
    events = [SlotSet("service_id", entry["id"]), SlotSet("service_name", entry["name"]),
              SlotSet("human_offered", False)]
    return events + ([SlotSet("service_query", query)] if query is not None else [])


async def lookup(query: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Search results, and the full entry of the top hit when the search is confident."""
    found = await api_client.search(query, top=3)
    best = found["results"][0] if found["results"] else None
    entry = await api_client.service(best["id"]) if best and found["confident"] else None
    return found, entry


async def search_and_answer(dispatcher: CollectingDispatcher, query: str,
                            answer=None) -> list[dict[str, Any]]:
    """Search; answer the confident hit (``answer(entry)`` or the full entry), clarify or admit failure."""
    try:
        found, entry = await lookup(query)
    except api_client.ApiUnavailable:
        log.exception("catalog search failed for %r", masked(query))
        dispatcher.utter_message(text=BUSY)
        return []
    if entry is not None:
        return reply_with(dispatcher, entry, query, answer)
    if found["results"]:
        dispatcher.utter_message(text=WHICH_ONE, buttons=choice_buttons(found["results"]))
        return []
    dispatcher.utter_message(text=NOTHING_FITS)
    return [SlotSet("human_offered", True)]


async def answer_if_confident(dispatcher: CollectingDispatcher, query: str) -> list[dict[str, Any]] | None:
    """Answer ``query`` when the catalog search is confident about it; None (and nothing said) when it
    is not, or cannot be reached. For words the NLU could not place (action_nlu_fallback)."""
    try:
        _, entry = await lookup(query)
    except api_client.ApiUnavailable:
        log.warning("catalog search failed for an unclear message")
        return None
    return None if entry is None else reply_with(dispatcher, entry, query)


def reply_with(dispatcher: CollectingDispatcher, entry: dict[str, Any], query: str | None = None,
               answer=None) -> list[dict[str, Any]]:
    """Say ``answer(entry)``, or the full answer with its card, and make the entry the service in context."""
    if answer:
        dispatcher.utter_message(text=answer(entry))
    else:
        dispatcher.utter_message(text=service_answer(entry, clock.now()))
        send_service_card(dispatcher, entry)
    return in_context(entry, query)


class ActionSearchService(Action):
    def name(self) -> str:
        return "action_search_service"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        text = (tracker.latest_message.get("text") or "").strip()
        log.info("service question: %s", masked(text))
        events = await answer_narrowing(dispatcher, tracker, text)
        return await search_and_answer(dispatcher, text) if events is None else events


class ActionAcknowledge(Action):
    """A "yes" with nothing pending. Short words the NLU cannot place are read as one ("注销"), so right
    after an answer they are first read as narrowing it down (actions/follow_up.py)."""

    def name(self) -> str:
        return "action_acknowledge"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        text = (tracker.latest_message.get("text") or "").strip()
        events = await answer_narrowing(dispatcher, tracker, text)
        if events is None:
            dispatcher.utter_message(response="utter_affirm")
            return []
        return events


async def answer_narrowing(dispatcher: CollectingDispatcher, tracker: Tracker,
                           text: str) -> list[dict[str, Any]] | None:
    """Answer ``text`` as narrowing down the answer just given, or None when it does not."""
    try:
        narrowed = await narrowing(tracker, text)
    except api_client.ApiUnavailable:
        return None  # the caller's own reply (a plain search says the catalog is busy)
    if narrowed is None:
        return None
    how, hits = narrowed
    if how == "choose":
        dispatcher.utter_message(text=WHICH_ONE, buttons=choice_buttons(hits))
        return []
    # the question stays the one narrowed down: "不是这个" next offers its other candidates
    return await answer_service(dispatcher, hits[0]["id"])


class ActionChooseService(Action):
    """The resident pressed a clarification button: answer exactly the service it names."""

    def name(self) -> str:
        return "action_choose_service"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        return await answer_service(dispatcher, next(tracker.get_latest_entity_values("service_id"), None))


async def answer_service(dispatcher: CollectingDispatcher, service_id: str | None) -> list[dict[str, Any]]:
    """Answer exactly the service ``service_id`` names, and make it the service in context."""
    try:
        entry = await api_client.service(service_id) if service_id else None
    except api_client.ApiUnavailable:
        log.exception("catalog lookup failed for %s", service_id)
        dispatcher.utter_message(text=BUSY)
        return []
    if entry is None:
        dispatcher.utter_message(text=NO_SUCH_SERVICE)
        return []
    return reply_with(dispatcher, entry)
