"""Staff accounts, sessions, failed logins, the audit log, the search log and the hand-over queue.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27

Self-contained (its tables are its own, prefixed ``accounts_``), so it can sit after 0003/0004.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts_users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("roles", sa.String(100), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "accounts_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("last_seen", sa.Float, nullable=False),
    )
    op.create_index("ix_accounts_sessions_user_id", "accounts_sessions", ["user_id"])
    op.create_table(
        "accounts_login_failures",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
    )
    for column in ("username", "address", "at"):
        op.create_index(f"ix_accounts_login_failures_{column}", "accounts_login_failures", [column])
    op.create_table(
        "accounts_audit",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_accounts_audit_at", "accounts_audit", ["at"])
    op.create_index("ix_accounts_audit_actor", "accounts_audit", ["actor"])
    op.create_table(
        "accounts_search_log",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("query", sa.String(500), nullable=False),
        sa.Column("confident", sa.Boolean, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("top_id", sa.String(64), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
    )
    op.create_index("ix_accounts_search_log_at", "accounts_search_log", ["at"])
    op.create_table(
        "accounts_handovers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("first_message", sa.Text, nullable=False),
        sa.Column("operator", sa.String(64), nullable=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("claimed_at", sa.String(40), nullable=True),
        sa.Column("released_at", sa.String(40), nullable=True),
    )
    op.create_index("ix_accounts_handovers_conversation_id", "accounts_handovers", ["conversation_id"])
    op.create_index("ix_accounts_handovers_status", "accounts_handovers", ["status"])


def downgrade() -> None:
    for table in ("accounts_handovers", "accounts_search_log", "accounts_audit", "accounts_login_failures",
                  "accounts_sessions", "accounts_users"):
        op.drop_table(table)
