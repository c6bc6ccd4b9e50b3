"""Real data written through the real stores (catalog, booking, tickets, accounts) and a Rasa-shaped
tracker table, and an exact snapshot of every row to compare a restore with."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from accounts.staff import Staff
from catalog.store import CatalogStore
from lifebot.settings import Settings
from routing.grids.address import resolve
from routing.router import Route
from routing.tickets.store import TicketStore
from routing.tickets.validate import NewTicket
from tests.booking.samples import ENTRIES, NOW, PASSPORT, SATURDAY, open_store

PHONE = "13912345678"
PASSWORD = "Jiangyin-2026-secret"
FRIDAY_10 = datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def oily() -> Route:
    return Route("餐饮油烟", "江阴市城市管理局", None, 0.81, False, resolve("澄江街道人民中路268号"))

# The columns of Rasa's SQLTrackerStore "events" table; the backup treats the tracker as any database.
EVENTS = sa.Table("events", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                  sa.Column("sender_id", sa.String(255)), sa.Column("type_name", sa.String(255)),
                  sa.Column("timestamp", sa.Float), sa.Column("intent_name", sa.String(255)),
                  sa.Column("action_name", sa.String(255)), sa.Column("data", sa.Text))


def tracker_event(tracker_url: str, sender: str, text: str) -> None:
    engine = sa.create_engine(tracker_url, future=True)
    EVENTS.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(EVENTS.insert().values(sender_id=sender, type_name="user", timestamp=1.0,
                                            data=f'{{"event": "user", "text": "{text}"}}'))
    engine.dispose()


def populate(settings: Settings, tracker_url: str) -> dict[str, str]:
    """An entry, a booking, a ticket, a staff account and a conversation; returns their keys."""
    catalog = CatalogStore(settings.db_url)
    catalog.put_many(ENTRIES.values(), author="test", reason="种子")
    catalog.close()
    bookings = open_store(settings.db_url)
    code = bookings.book("gov-passport", "江阴市民中心", SATURDAY, "09:00-09:30", "张三", PHONE, NOW)["code"]
    bookings.close()
    tickets = TicketStore(settings.db_url)
    number = tickets.create(NewTicket(text="楼下饭店油烟太大", phone="13812345678", address="澄江街道人民中路268号",
                                      name="王小明", channel="web"), oily(), FRIDAY_10).number
    tickets.close()
    staff = Staff(settings.db_url)
    staff.users.create("wang", PASSWORD, ["operator"], "王芳")
    staff.close()
    tracker_event(tracker_url, "resident-1", "孩子上户口去哪里")
    return {"booking": code, "ticket": number}


def change_everything(settings: Settings, tracker_url: str, keys: dict[str, str]) -> None:
    """What happens after a backup: an edit, a cancellation, a new booking, ticket, user, message."""
    catalog = CatalogStore(settings.db_url)
    catalog.put_many([dataclasses.replace(PASSPORT, name="护照签发（改）")], author="test", reason="改名")
    catalog.close()
    bookings = open_store(settings.db_url)
    bookings.cancel(keys["booking"], PHONE, NOW)
    bookings.book("gov-passport", "江阴市民中心", SATURDAY, "10:00-10:30", "李四", "13800001111", NOW)
    bookings.close()
    tickets = TicketStore(settings.db_url)
    tickets.create(NewTicket(text="路灯坏了", phone="13812345678", address="澄江街道人民中路268号",
                             name="王小明", channel="web"), oily(), FRIDAY_10)
    tickets.close()
    staff = Staff(settings.db_url)
    staff.users.create("li", PASSWORD, ["maintainer"], "李强")
    staff.close()
    tracker_event(tracker_url, "resident-2", "我要预约")


def snapshot(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    engine = sa.create_engine(url, future=True)
    try:
        with engine.connect() as conn:
            tables = sa.inspect(conn).get_table_names()
            return {t: sorted(tuple(map(repr, row)) for row in conn.execute(sa.text(f'SELECT * FROM "{t}"')))
                    for t in sorted(tables)}
    finally:
        engine.dispose()


def facts(settings: Settings, keys: dict[str, str]) -> dict:
    """What a resident or a member of staff would see, read through the stores themselves."""
    catalog = CatalogStore(settings.db_url)
    bookings = open_store(settings.db_url)
    tickets = TicketStore(settings.db_url)
    staff = Staff(settings.db_url)
    try:
        return {
            "passport": catalog.require("gov-passport").name,
            "booking": bookings.get(keys["booking"], PHONE)["status"],
            "saturday": len(bookings.day_list("江阴市民中心", SATURDAY, include_cancelled=True)),
            "tickets": [t.number for t in tickets.list()],
            "users": sorted(u.username for u in staff.users.all()),
            "login": staff.users.authenticate("wang", PASSWORD) is not None,
        }
    finally:
        for store in (catalog, bookings, tickets, staff):
            store.close()


def backed_up_files(settings: Settings, *databases: str) -> set[str]:
    """The database files, and the model card when `make model` installed one (var/model is shared)."""
    from lifebot.backup.create import MODEL_CARD

    card = settings.model_dir / "tuned" / MODEL_CARD
    return {*databases, *([MODEL_CARD] if card.exists() else [])}
