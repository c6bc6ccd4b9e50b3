"""Idempotency keys on bookings and tickets: a repeated request gives back what the first one made.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27

The action server sends a key (conversation id + a hash of the form's values and when the form
started) with every booking and ticket it files; when a process died between storing and answering,
the resident's repeated confirmation carries the same key and gets the same booking or ticket back.
A NULL key (other clients) is never compared: both SQLite and PostgreSQL allow many NULLs.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = {"bookings": "uq_bookings_idempotency_key", "routing_tickets": "uq_routing_tickets_idempotency_key"}


def upgrade() -> None:
    for table, index in TABLES.items():
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("idempotency_key", sa.String(100), nullable=True))
        op.create_index(index, table, ["idempotency_key"], unique=True)


def downgrade() -> None:
    for table, index in TABLES.items():
        op.drop_index(index, table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("idempotency_key")
