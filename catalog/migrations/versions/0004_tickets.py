"""Tickets (issue 7): routed resident reports and their status history.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "routing_tickets",
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
    )
    op.create_index("ix_routing_tickets_status", "routing_tickets", ["status"])
    op.create_index("ix_routing_tickets_phone", "routing_tickets", ["phone"])
    op.create_table(
        "routing_ticket_events",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("number", sa.String(20), sa.ForeignKey("routing_tickets.number"), nullable=False, index=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_table("routing_ticket_events")
    op.drop_index("ix_routing_tickets_phone", "routing_tickets")
    op.drop_index("ix_routing_tickets_status", "routing_tickets")
    op.drop_table("routing_tickets")
