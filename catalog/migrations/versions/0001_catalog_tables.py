"""Catalog tables: current entries, every version of every entry, catalog-wide version.

Revision ID: 0001
Revises:
Create Date: 2026-11-27

Tolerates a database made by the first, migration-less store (catalog_entries and catalog_meta
created by ``metadata.create_all``): it adds the missing columns and records each existing entry's
current state as its first version.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    tables = set(inspector.get_table_names())
    if "catalog_entries" not in tables:
        op.create_table(
            "catalog_entries",
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("name", sa.String(200), nullable=False),
            sa.Column("kind", sa.String(20), nullable=False),
            sa.Column("status", sa.String(10), nullable=False),
            sa.Column("version", sa.Integer, nullable=False),
            sa.Column("catalog_version", sa.Integer, nullable=False),
            sa.Column("updated_at", sa.String(40), nullable=False),
            sa.Column("data", sa.Text, nullable=False),
        )
        op.create_index("ix_catalog_entries_catalog_version", "catalog_entries", ["catalog_version"])
    with op.batch_alter_table("catalog_entries") as batch:
        batch.add_column(sa.Column("author", sa.String(100), nullable=False, server_default=""))
        batch.add_column(sa.Column("seed_data", sa.Text, nullable=True))
    if "catalog_meta" not in tables:
        op.create_table(
            "catalog_meta",
            sa.Column("key", sa.String(40), primary_key=True),
            sa.Column("value", sa.Integer, nullable=False),
        )
    # The row writers lock first; present from the start so two first writers cannot both insert it.
    op.execute("INSERT INTO catalog_meta (key, value) SELECT 'version', 0"
               " WHERE NOT EXISTS (SELECT 1 FROM catalog_meta WHERE key = 'version')")
    op.create_table(
        "catalog_entry_versions",
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
    if "catalog_entries" in tables:
        op.execute(
            "INSERT INTO catalog_entry_versions"
            " (entry_id, version, catalog_version, author, reason, created_at, data)"
            " SELECT id, version, catalog_version, 'migration', '迁移前已有的条目', updated_at, data"
            " FROM catalog_entries"
        )


def downgrade() -> None:
    op.drop_table("catalog_entry_versions")
    op.drop_table("catalog_meta")
    op.drop_index("ix_catalog_entries_catalog_version", table_name="catalog_entries")
    op.drop_table("catalog_entries")
