"""Rasa's SQL tracker store with personal data protected at rest (SQLite and PostgreSQL alike).

Every string of a stored event (user text, parse_data, entities, bot text and payloads) passes through
``lifebot.privacy.masked``: no phone or ID number is ever written in clear. The slots a form needs on a
later turn (a booking's phone and name, a report's contact phone) are kept whole but encrypted with
Fernet (AES-128-CBC + HMAC) under a key from ``LIFEBOT_TRACKER_KEY`` or the ``key_file`` endpoint
option, and decrypted when the tracker is loaded; see docs/security.md for why.

The database work runs in a worker thread. Rasa's own SQLTrackerStore calls SQLAlchemy on the event
loop, so one write waiting on the database (a lock, a slow disk, a failing-over server) froze every
conversation on that Rasa server; now only the waiting conversation waits.

bot/endpoints.yml: ``tracker_store: {type: bot.tracker_store.MaskingSQLTrackerStore, dialect, db, ...}``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from pathlib import Path
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from lifebot.privacy import has_personal_number, masked
from lifebot.secret_file import read_or_create

log = logging.getLogger(__name__)

ENCRYPTED = "enc:v1:"
# Slots that hold who a resident is or how to reach them: encrypted whatever they look like.
PERSONAL_SLOTS = frozenset({"booking_name", "booking_phone", "booking_address", "contact_phone", "report_phone"})
KEY_ENV = "LIFEBOT_TRACKER_KEY"


def load_key(key_file: str | None) -> bytes:
    """The Fernet key: $LIFEBOT_TRACKER_KEY, else the key file (created with mode 0600 when missing)."""
    from cryptography.fernet import Fernet

    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV].encode()
    if not key_file:
        raise ValueError(f"MaskingSQLTrackerStore needs {KEY_ENV} or the key_file option")
    return read_or_create(Path(key_file), Fernet.generate_key)


def mask_all(value: Any) -> Any:
    """Every string inside ``value`` masked, structure kept."""
    if isinstance(value, str):
        return masked(value)
    if isinstance(value, list):
        return [mask_all(v) for v in value]
    if isinstance(value, dict):
        return {k: mask_all(v) for k, v in value.items()}
    return value


class EventProtector:
    """Turns an event dict into its stored form and back."""

    def __init__(self, key: bytes):
        from cryptography.fernet import Fernet

        self.fernet = Fernet(key)

    def protect(self, event: dict[str, Any]) -> dict[str, Any]:
        if event.get("event") == "slot" and self._secret(event.get("name"), event.get("value")):
            plain = json.dumps(event["value"], ensure_ascii=False).encode()
            return {**mask_all({k: v for k, v in event.items() if k != "value"}),
                    "value": ENCRYPTED + self.fernet.encrypt(plain).decode()}
        return mask_all(event)

    def restore(self, event: dict[str, Any]) -> dict[str, Any]:
        value = event.get("value")
        if event.get("event") == "slot" and isinstance(value, str) and value.startswith(ENCRYPTED):
            from cryptography.fernet import InvalidToken

            try:
                plain = self.fernet.decrypt(value[len(ENCRYPTED):].encode())
            except InvalidToken:  # another key: the slot is lost, never the conversation
                log.error("slot %s of a stored tracker cannot be decrypted with this key", event.get("name"))
                return {**event, "value": None}
            return {**event, "value": json.loads(plain)}
        return event

    @staticmethod
    def _secret(name: Any, value: Any) -> bool:
        if value is None:
            return False
        return name in PERSONAL_SLOTS or has_personal_number(json.dumps(value, ensure_ascii=False))


class MaskingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore whose rows never hold a raw phone or ID number."""

    def __init__(self, *args: Any, key_file: str | None = None, **kwargs: Any):
        self.protector = EventProtector(load_key(key_file))
        super().__init__(*args, **kwargs)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """SQLTrackerStore.save, with each event's data protected before it is written."""
        await self.stream_events(tracker)
        await asyncio.to_thread(self._write_new_events, tracker)

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool):
        events = await asyncio.to_thread(self._read_events, sender_id, fetch_events_from_all_sessions)
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    def _write_new_events(self, tracker: DialogueStateTracker) -> None:
        """Insert the events the database does not have yet (the conversation's lock is held)."""
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = event.as_dict()
                intent = data.get("parse_data", {}).get("intent", {}).get("name")
                session.add(self.SQLEvent(
                    sender_id=tracker.sender_id, type_name=event.type_name, timestamp=data.get("timestamp"),
                    intent_name=intent, action_name=data.get("name"),
                    data=json.dumps(self.protector.protect(data))))
            session.commit()

    def _read_events(self, sender_id: str, fetch_events_from_all_sessions: bool) -> list[dict[str, Any]]:
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id,
                                     fetch_events_from_all_sessions=fetch_events_from_all_sessions).all()
            return [self.protector.restore(json.loads(row.data)) for row in rows]
