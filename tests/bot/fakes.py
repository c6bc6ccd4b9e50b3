"""Tracker fixtures, catalog entries and a fake API for the action unit tests."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker

from actions import api_client, clock

TRACKERS = Path(__file__).parent / "trackers"
JIANGYIN = clock.JIANGYIN
# Friday 27 November 2026: 10:00 the halls are open, 18:00 they are closed until Saturday 9:00.
OPEN_HOURS = datetime(2026, 11, 27, 10, 0, tzinfo=JIANGYIN)
CLOSED_HOURS = datetime(2026, 11, 27, 18, 0, tzinfo=JIANGYIN)

RESIDENCE_PERMIT: dict[str, Any] = {
    "id": "gov-residence-permit", "name": "居住证申领", "kind": "government", "category": "户籍居住",
    "department": "江阴市公安局", "description": "在江阴居住半年以上的外地人员可以申领居住证。",
    "conditions": "在江阴居住半年以上", "materials": ["居民身份证", "近期一寸照片", "居住证明（租房合同等）"],
    "legal_time_limit": "15个工作日", "promised_time_limit": "7个工作日", "fee": "不收费",
    "locations": [{"name": "江阴市民中心", "address": "江阴市澄江中路159号",
                   "hours": "周一至周五 8:30-12:00，13:30-17:00；周六 9:00-12:00（部分窗口）"}],
    "online": True, "online_url": "https://www.jszwfw.gov.cn/jy/jzz", "phone": "0510-86860001",
    "appointment": True, "aliases": ["办居住证"],
}
PASSPORT: dict[str, Any] = {
    **RESIDENCE_PERMIT, "id": "gov-passport", "name": "普通护照签发", "materials": ["居民身份证", "照片回执"],
    "online": False, "online_url": "", "fee": "120元/本", "promised_time_limit": "7个工作日",
}
ENTRIES = {entry["id"]: entry for entry in (RESIDENCE_PERMIT, PASSPORT)}


def hit(entry: dict[str, Any], score: float = 0.9) -> dict[str, Any]:
    keys = ("id", "name", "kind", "category", "department")
    return {**{k: entry[k] for k in keys}, "score": score}


class FakeApi:
    """Stands in for actions.api_client: canned search answers, records the queries it got."""

    def __init__(self) -> None:
        self.queries: list[str] = []
        self.answer: dict[str, Any] = {"confident": True, "results": [hit(RESIDENCE_PERMIT)]}
        self.down = False
        self.handovers: list[tuple[str, str | None, str | None]] = []

    async def search(self, query: str, top: int = 3) -> dict[str, Any]:
        self.queries.append(query)
        if self.down:
            raise api_client.ApiUnavailable("down")
        return {"query": query, **copy.deepcopy(self.answer)}

    async def service(self, entry_id: str) -> dict[str, Any] | None:
        if self.down:
            raise api_client.ApiUnavailable("down")
        return copy.deepcopy(ENTRIES.get(entry_id))

    async def record_handover(self, conversation_id: str, channel: str | None, text: str | None) -> None:
        if self.down:
            raise api_client.ApiUnavailable("down")
        self.handovers.append((conversation_id, channel, text))


def tracker(name: str, text: str | None = None, intent: str | None = None,
            entities: list[dict[str, Any]] | None = None, **slots: Any) -> Tracker:
    """A tracker fixture from trackers/<name>.json, its latest message and slots optionally replaced."""
    state = json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
    message = state["latest_message"]
    if text is not None:
        message["text"] = text
    if intent is not None:
        message["intent"] = {"name": intent, "confidence": 0.95}
    if entities is not None:
        message["entities"] = entities
    state["slots"].update(slots)
    if text is not None or intent is not None or entities is not None:
        state["events"][-1] = {"event": "user", "text": message["text"],
                               "parse_data": {"intent": message["intent"], "entities": message["entities"]}}
    return Tracker.from_dict(state)


def entity(name: str, value: str) -> dict[str, Any]:
    return {"entity": name, "value": value, "start": 0, "end": len(value), "extractor": "DIETClassifier"}
