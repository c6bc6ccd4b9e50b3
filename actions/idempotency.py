"""Idempotency keys for what an action files through the API (bookings, tickets): docs/reliability.md.

The key is the conversation id and a hash of the request's values and of when the form that
collected them started. If a process dies after the API stored the booking but before the resident
saw the answer, Rasa's tracker still holds the same form and values, so the resident's repeated
confirmation sends the same key and the API gives back the same booking instead of a second one.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from rasa_sdk import Tracker

SAFE_ID = re.compile(r"[\x21-\x7e]{1,60}")


def form_started(tracker: Tracker, form: str) -> float | None:
    """When ``form`` was last activated (the timestamp of its active_loop event)."""
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == form:
            return event.get("timestamp")
    return None


def key(tracker: Tracker, values: dict[str, Any], since: Any = None) -> str:
    """``<conversation id>:<hash of values and since>``, at most 100 visible ASCII characters."""
    sender = tracker.sender_id or ""
    if not SAFE_ID.fullmatch(sender):
        sender = "h" + hashlib.sha256(sender.encode()).hexdigest()[:32]
    text = json.dumps({"values": values, "since": since}, sort_keys=True, ensure_ascii=False, default=str)
    return f"{sender}:{hashlib.sha256(text.encode()).hexdigest()[:32]}"
