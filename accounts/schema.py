"""Tables of the staff side (migration 0005 creates them, in the catalog's database).

Every table name starts with ``accounts_`` so the catalog, bookings and tickets can share one database.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

users = sa.Table(
    "accounts_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.String(100), nullable=False),
    # Comma-separated subset of accounts.users.ROLES.
    sa.Column("roles", sa.String(100), nullable=False),
    # argon2id hash (PHC string); never the password.
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
)

# Server-side sessions: the cookie carries a random token, the table only its SHA-256.
sessions = sa.Table(
    "accounts_sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, nullable=False, index=True),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("last_seen", sa.Float, nullable=False),
)

# Failed logins, counted per user name and per client address within a window.
login_failures = sa.Table(
    "accounts_login_failures",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, index=True),
    sa.Column("address", sa.String(64), nullable=False, index=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
)

# Who changed what: one row per change made by a person (catalog edits, claims, accounts, logins).
audit = sa.Table(
    "accounts_audit",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(40), nullable=False, index=True),
    sa.Column("actor", sa.String(64), nullable=False, index=True),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("target", sa.String(200), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
)

# Every search the API answered: the query (personal numbers masked) and how confident the answer was.
search_log = sa.Table(
    "accounts_search_log",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(40), nullable=False, index=True),
    sa.Column("query", sa.String(500), nullable=False),
    sa.Column("confident", sa.Boolean, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("top_id", sa.String(64), nullable=False),
    sa.Column("source", sa.String(20), nullable=False),
)

# Conversations the bot handed to a human: waiting -> claimed -> released.
handovers = sa.Table(
    "accounts_handovers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(128), nullable=False, index=True),
    sa.Column("channel", sa.String(40), nullable=False),
    sa.Column("status", sa.String(10), nullable=False, index=True),
    sa.Column("first_message", sa.Text, nullable=False),
    sa.Column("operator", sa.String(64), nullable=True),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("claimed_at", sa.String(40), nullable=True),
    sa.Column("released_at", sa.String(40), nullable=True),
)
