"""bot/tracker_store.py on SQLite and a real PostgreSQL: stored rows hold no raw phone or ID number,
personal slots come back decrypted, and another key loses only the slot, never the conversation."""

from __future__ import annotations

import asyncio
import warnings

import pytest
from cryptography.fernet import Fernet

from tests.pg import postgres_fixtures

postgres_server, postgres_url = postgres_fixtures()

PHONE, ID_NUMBER = "13957712468", "320281198807154321"


def conversation():
    from rasa.shared.core.events import BotUttered, SlotSet, UserUttered

    return [UserUttered(f"我的身份证{ID_NUMBER}，电话{PHONE}", parse_data={
                "text": f"电话{PHONE}", "intent": {"name": "inform", "confidence": 1.0},
                "entities": [{"entity": "phone", "value": PHONE, "start": 2, "end": 13}]}),
            SlotSet("report_phone", PHONE), SlotSet("report_what", f"身份证{ID_NUMBER}丢了"),
            SlotSet("booking_name", "张三"), BotUttered(f"您的电话是 {PHONE} 吗？", {"custom": {"phone": PHONE}})]


def store_for(url_kwargs: dict, key: bytes, monkeypatch):
    from rasa.shared.core.domain import Domain

    from bot.tracker_store import MaskingSQLTrackerStore

    monkeypatch.setenv("LIFEBOT_TRACKER_KEY", key.decode())
    from lifebot.settings import ROOT

    with warnings.catch_warnings():  # Rasa warns about slot auto-fill on every domain with mappings
        warnings.simplefilter("ignore", UserWarning)
        domain = Domain.load(str(ROOT / "bot" / "domain"))
    return MaskingSQLTrackerStore(domain=domain, **url_kwargs)


def round_trip(url_kwargs: dict, monkeypatch) -> None:
    import sqlalchemy as sa
    from rasa.shared.core.trackers import DialogueStateTracker

    key = Fernet.generate_key()
    store = store_for(url_kwargs, key, monkeypatch)
    tracker = DialogueStateTracker.from_events("resident-1", conversation(), store.domain.slots)
    asyncio.run(store.save(tracker))
    with store.engine.connect() as connection:
        raw = "\n".join(str(row) for row in connection.execute(sa.text("SELECT * FROM events")))
    assert "resident-1" in raw and PHONE not in raw and ID_NUMBER not in raw and "张三" not in raw
    assert "139****2468" in raw and "320281********4321" in raw
    loaded = asyncio.run(store.retrieve("resident-1"))
    assert loaded.get_slot("report_phone") == PHONE and loaded.get_slot("booking_name") == "张三"
    assert loaded.get_slot("report_what") == f"身份证{ID_NUMBER}丢了"
    assert loaded.latest_message.text == "我的身份证320281********4321，电话139****2468"
    other = asyncio.run(store_for(url_kwargs, Fernet.generate_key(), monkeypatch).retrieve("resident-1"))
    assert other.get_slot("report_phone") is None and len(other.events) == len(loaded.events)


def test_sqlite(tmp_path, monkeypatch):
    round_trip({"dialect": "sqlite", "db": str(tmp_path / "tracker.db")}, monkeypatch)


@pytest.mark.postgres
def test_postgresql(postgres_server, monkeypatch):
    from sqlalchemy.engine import make_url

    url = postgres_server.create_database("tracker")

    parts = make_url(url)
    round_trip({"dialect": "postgresql", "host": parts.host, "port": parts.port, "db": parts.database,
                "username": parts.username, "password": parts.password}, monkeypatch)


def test_key_file_is_created_private_and_reused(tmp_path, monkeypatch):
    from bot.tracker_store import load_key

    monkeypatch.delenv("LIFEBOT_TRACKER_KEY", raising=False)
    path = tmp_path / "secrets" / "tracker.key"
    key = load_key(str(path))
    assert path.stat().st_mode & 0o777 == 0o600 and load_key(str(path)) == key
    Fernet(key)


@pytest.mark.postgres
def test_a_write_waiting_on_the_database_does_not_stop_other_conversations(postgres_server, monkeypatch):
    """One resident's save blocked by a table lock; another resident's tracker still loads and saves."""
    import sqlalchemy as sa
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    url = postgres_server.create_database("tracker_wait")
    store = store_for({"host": url}, Fernet.generate_key(), monkeypatch)
    other_store = store_for({"host": url}, Fernet.generate_key(), monkeypatch)  # a second Rasa server

    def tracker(sender: str, text: str) -> DialogueStateTracker:
        return DialogueStateTracker.from_events(sender, [UserUttered(text)], store.domain.slots)

    asyncio.run(store.save(tracker("resident-b", "居住证怎么办")))

    async def while_locked(hold) -> None:
        waiting = asyncio.create_task(store.save(tracker("resident-a", "我要预约")))
        loaded = await store.retrieve("resident-b")  # on the same event loop as the waiting save
        assert loaded.latest_message.text == "居住证怎么办"
        await asyncio.sleep(0.5)
        assert not waiting.done()  # still waiting on the lock, and nothing else was
        hold.rollback()
        await asyncio.wait_for(waiting, 30)

    engine = sa.create_engine(url, future=True)
    with engine.connect() as admin:  # a store that blocks its event loop fails here instead of hanging
        admin.execute(sa.text(f"ALTER DATABASE {engine.url.database} SET lock_timeout = '20s'"))
        admin.commit()
    store.engine.dispose()
    with engine.connect() as hold:
        hold.execute(sa.text("LOCK TABLE events IN EXCLUSIVE MODE"))
        asyncio.run(while_locked(hold))
    assert asyncio.run(other_store.retrieve("resident-a")).latest_message.text == "我要预约"
    engine.dispose()
