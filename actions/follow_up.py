"""What a resident says right after an answer is read against that answer.

Siblings (the several ways to take out one's housing fund, to move a household registration) are
where the search goes wrong most (docs/model.md), and a resident corrects it in a word or two:
- **Narrowing it down** ("是租房的" after the housing-fund answer): a few words with no question word
  of their own are searched alone and together with the question that was answered. When the two
  searches agree, that is the answer; when the combined one lands on another of the answered
  question's candidates and the words alone confidently find something else, the resident chooses
  between the two (the words may start a new question). Anything else is searched as it stands.
- **Turning it down** ("不是这个"): the answered question's other candidates are offered.

``service_query`` holds the words an answer came from; "right after" means the bot's last action
before this message answered about a service.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import api_client
from actions.choices import choice_buttons

# Actions after which the service in context is what the resident is looking at.
ANSWERS = ("action_search_service", "action_choose_service", "action_service_detail", "action_acknowledge")
CANDIDATES = 10  # how far down the answered question's results a narrowing may land
SHORT = 6  # characters, punctuation and spaces left out: longer messages are questions of their own
# A follow-up asking with words of its own ("居住证怎么办", "护照在哪办") is a question of its own.
QUESTION_WORDS = ("怎么", "怎样", "如何", "咋", "哪", "什么", "啥", "吗", "多少", "几")
OTHERS = "那您是想办理以下哪一项？都不是的话，换个说法告诉我也可以。"
_NOT_WORDS = re.compile(r"[\W_]+")


def just_answered(tracker: Tracker) -> bool:
    """Whether the bot's last action before the resident's latest message answered about a service."""
    seen_user = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            if seen_user:
                return False
            seen_user = True
        elif kind == "action" and seen_user and event.get("name") not in ("action_listen", None):
            return event["name"] in ANSWERS
    return False


def is_fragment(text: str) -> bool:
    """A few words that are no question of their own: "是租房的", "退休了", "小孩的呢"."""
    words = _NOT_WORDS.sub("", text)
    return 0 < len(words) <= SHORT and not any(q in words for q in QUESTION_WORDS)


async def narrowing(tracker: Tracker, text: str) -> tuple[str, list[dict[str, Any]]] | None:
    """For a fragment right after an answer: ("answer", [hit]) when the fragment read with the answered
    question confidently finds what the fragment alone finds (and not the answer given); ("choose",
    [hit, other]) when read with the question it finds another of the question's candidates and alone
    it confidently finds ``other``; None to treat the message as it stands.
    Raises api_client.ApiUnavailable."""
    previous = tracker.get_slot("service_query")
    current = tracker.get_slot("service_id")
    if not previous or not current or not is_fragment(text) or not just_answered(tracker):
        return None
    combined = await api_client.search(f"{previous} {text}", top=3)
    if not combined["confident"] or not combined["results"]:
        return None
    top = combined["results"][0]
    alone = await api_client.search(text, top=3)
    alone_top = alone["results"][0] if alone["results"] else None
    if alone_top is not None and alone_top["id"] == top["id"]:
        return ("answer", [top]) if top["id"] != current else None
    # Words that find nothing on their own ("好的" after a chosen button) narrow nothing down.
    if top["id"] == current or not alone["confident"]:
        return None
    candidates = await api_client.search(previous, top=CANDIDATES)
    if top["id"] not in {hit["id"] for hit in candidates["results"]}:
        return None
    return "choose", [top, alone_top]


class ActionOtherServices(Action):
    """"不是这个" right after an answer: the answered question's other candidates; otherwise the plain
    reply to a "no" with nothing pending."""

    def name(self) -> str:
        return "action_other_services"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        previous, current = tracker.get_slot("service_query"), tracker.get_slot("service_id")
        others: list[dict[str, Any]] = []
        if previous and current and just_answered(tracker):
            try:
                found = await api_client.search(previous, top=4)
                others = [hit for hit in found["results"] if hit["id"] != current][:3]
            except api_client.ApiUnavailable:
                others = []  # the plain reply below still lets the resident go on
        if not others:
            dispatcher.utter_message(response="utter_deny")
            return []
        dispatcher.utter_message(text=OTHERS, buttons=choice_buttons(others))
        return [SlotSet("service_id", None), SlotSet("service_name", None)]
