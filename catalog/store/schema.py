"""Table definitions of the catalog store (the migrations in catalog/migrations create them).

Every table name starts with ``catalog_`` because the catalog may share one database with bookings
and tickets; the alembic version table is ``catalog_alembic_version`` for the same reason.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

# The current version of every entry, as a JSON document plus the columns queries filter on.
entries = sa.Table(
    "catalog_entries",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("catalog_version", sa.Integer, nullable=False, index=True),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    # Who wrote the current version ("seed" for `lifebot catalog seed`).
    sa.Column("author", sa.String(100), nullable=False, server_default=""),
    # The seed document last applied to this entry (canonical JSON), the base of seed merges.
    sa.Column("seed_data", sa.Text, nullable=True),
)

# Every version of every entry: a full snapshot with who, why, when.
entry_versions = sa.Table(
    "catalog_entry_versions",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("entry_id", sa.String(64), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("catalog_version", sa.Integer, nullable=False),
    sa.Column("author", sa.String(100), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.UniqueConstraint("entry_id", "version", name="uq_catalog_entry_versions_entry_version"),
)

# Catalog-wide counters; key "version" increases with every committed change.
meta = sa.Table(
    "catalog_meta",
    metadata,
    sa.Column("key", sa.String(40), primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
)
