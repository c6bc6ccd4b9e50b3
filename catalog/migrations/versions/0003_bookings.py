"""Bookings: slot counters guarded by a CHECK constraint, and the bookings themselves.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27

Self-contained (the lead chains 0003 -> 0004 -> 0005 at merge): creates and drops only its own tables.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "booking_slots",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("service_id", sa.String(64), nullable=False),
        sa.Column("hall", sa.String(60), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("slot", sa.String(11), nullable=False),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.Column("booked", sa.Integer, nullable=False, server_default="0"),
        sa.UniqueConstraint("service_id", "hall", "day", "slot", name="uq_booking_slots_service_hall_day_slot"),
        sa.CheckConstraint("booked >= 0 AND booked <= capacity", name="ck_booking_slots_capacity"),
    )
    op.create_table(
        "bookings",
        sa.Column("code", sa.String(8), primary_key=True),
        sa.Column("slot_id", sa.Integer, sa.ForeignKey("booking_slots.id", name="fk_bookings_slot"),
                  nullable=False),
        sa.Column("service_id", sa.String(64), nullable=False),
        sa.Column("service_name", sa.String(200), nullable=False),
        sa.Column("hall", sa.String(60), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("slot", sa.String(11), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=False, server_default=""),
        sa.Column("address", sa.String(200), nullable=False, server_default=""),
        sa.Column("town", sa.String(40), nullable=False, server_default=""),
        sa.Column("channel", sa.String(20), nullable=False, server_default=""),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_bookings_phone", "bookings", ["phone"])
    op.create_index("ix_bookings_hall_day", "bookings", ["hall", "day"])
    op.create_index("uq_bookings_phone_day_slot_open", "bookings", ["phone", "day", "slot"], unique=True,
                    sqlite_where=sa.text("status = 'booked'"), postgresql_where=sa.text("status = 'booked'"))


def downgrade() -> None:
    op.drop_table("bookings")
    op.drop_table("booking_slots")
