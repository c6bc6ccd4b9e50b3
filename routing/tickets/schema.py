"""Tables of the ticket store; migrations 0004 and 0006 (catalog/migrations/versions) create exactly these
(tests/routing/test_tickets.py compares the two)."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

tickets = sa.Table(
    "routing_tickets",
    metadata,
    sa.Column("number", sa.String(20), primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("category", sa.String(40), nullable=False),
    sa.Column("department", sa.String(100), nullable=False),
    sa.Column("team", sa.String(100), nullable=True),
    sa.Column("grid_code", sa.String(20), nullable=True),
    sa.Column("town", sa.String(40), nullable=True),
    sa.Column("village", sa.String(40), nullable=True),
    sa.Column("address", sa.String(200), nullable=True),
    sa.Column("name", sa.String(40), nullable=True),
    sa.Column("phone", sa.String(20), nullable=False),
    sa.Column("channel", sa.String(20), nullable=False),
    sa.Column("conversation_id", sa.String(100), nullable=True),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("urgent", sa.Boolean, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("due_at", sa.String(40), nullable=False),
    sa.Column("callback_by", sa.String(40), nullable=True),
    sa.Column("updated_at", sa.String(40), nullable=False),
    # Migration 0006: the client's key of the request that made it (docs/reliability.md).
    sa.Column("idempotency_key", sa.String(100), nullable=True),
    sa.Index("ix_routing_tickets_status", "status"),
    sa.Index("uq_routing_tickets_idempotency_key", "idempotency_key", unique=True),
    sa.Index("ix_routing_tickets_phone", "phone"),
)

events = sa.Table(
    "routing_ticket_events",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("number", sa.String(20), sa.ForeignKey("routing_tickets.number"), nullable=False, index=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
)
