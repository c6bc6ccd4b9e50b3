"""Booking tables (created by catalog/migrations/versions/0003_bookings.py).

They share the catalog's MetaData and alembic tree: one database holds catalog, bookings and tickets.
Capacity is the database's job: ``booking_slots.booked`` only moves by a conditional UPDATE
(``booked < capacity``) and a CHECK constraint forbids overbooking outright; a partial unique index
forbids two open bookings of one phone at the same slot.
"""

from __future__ import annotations

import sqlalchemy as sa

from catalog.store.schema import metadata

# One row per (service, hall, day, slot) that anyone asked to book; created on first booking.
slots = sa.Table(
    "booking_slots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("service_id", sa.String(64), nullable=False),
    sa.Column("hall", sa.String(60), nullable=False),
    sa.Column("day", sa.String(10), nullable=False),  # ISO date, Jiangyin time
    sa.Column("slot", sa.String(11), nullable=False),  # "09:00-09:30"
    sa.Column("capacity", sa.Integer, nullable=False),
    sa.Column("booked", sa.Integer, nullable=False, server_default="0"),
    sa.UniqueConstraint("service_id", "hall", "day", "slot", name="uq_booking_slots_service_hall_day_slot"),
    sa.CheckConstraint("booked >= 0 AND booked <= capacity", name="ck_booking_slots_capacity"),
)

bookings = sa.Table(
    "bookings",
    metadata,
    sa.Column("code", sa.String(8), primary_key=True),
    sa.Column("slot_id", sa.Integer, sa.ForeignKey("booking_slots.id", name="fk_bookings_slot"), nullable=False),
    sa.Column("service_id", sa.String(64), nullable=False),
    sa.Column("service_name", sa.String(200), nullable=False),
    sa.Column("hall", sa.String(60), nullable=False),
    sa.Column("day", sa.String(10), nullable=False),
    sa.Column("slot", sa.String(11), nullable=False),
    sa.Column("name", sa.String(40), nullable=False),
    sa.Column("phone", sa.String(20), nullable=False, index=True),
    # Only ever the masked form (320281********1234): the full number is never stored.
    sa.Column("id_number", sa.String(18), nullable=False, server_default=""),
    sa.Column("address", sa.String(200), nullable=False, server_default=""),
    sa.Column("town", sa.String(40), nullable=False, server_default=""),
    sa.Column("channel", sa.String(20), nullable=False, server_default=""),
    sa.Column("status", sa.String(10), nullable=False),  # booked | cancelled
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    # Migration 0006: the client's key of the request that made it (docs/reliability.md).
    sa.Column("idempotency_key", sa.String(100), nullable=True),
    sa.Index("ix_bookings_hall_day", "hall", "day"),
    sa.Index("uq_bookings_idempotency_key", "idempotency_key", unique=True),
    sa.Index("uq_bookings_phone_day_slot_open", "phone", "day", "slot", unique=True,
             sqlite_where=sa.text("status = 'booked'"), postgresql_where=sa.text("status = 'booked'")),
)
