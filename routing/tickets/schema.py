"""Tables of the ticket store (created by migration 0004 in catalog/migrations/versions)."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

tickets = sa.Table(
    "routing_tickets", metadata,
    sa.Column("number", sa.String(20), primary_key=True),
    sa.Column("text", sa.Text), sa.Column("category", sa.String(40)), sa.Column("department", sa.String(100)),
    sa.Column("team", sa.String(100)), sa.Column("grid_code", sa.String(20)), sa.Column("town", sa.String(40)),
    sa.Column("village", sa.String(40)), sa.Column("address", sa.String(200)), sa.Column("name", sa.String(40)),
    sa.Column("phone", sa.String(20)), sa.Column("channel", sa.String(20)),
    sa.Column("conversation_id", sa.String(100)), sa.Column("confidence", sa.Float),
    sa.Column("urgent", sa.Boolean), sa.Column("status", sa.String(20)), sa.Column("created_at", sa.String(40)),
    sa.Column("due_at", sa.String(40)), sa.Column("callback_by", sa.String(40)), sa.Column("updated_at", sa.String(40)),
)

events = sa.Table(
    "routing_ticket_events", metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("number", sa.String(20)), sa.Column("status", sa.String(20)), sa.Column("at", sa.String(40)),
    sa.Column("actor", sa.String(100)), sa.Column("note", sa.Text),
)
