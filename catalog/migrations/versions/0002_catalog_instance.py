"""A random identity for each catalog database.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

The catalog version restarts at 1 in a new database, so (version) alone cannot tell a search index
built from one database from another's; (instance, version) can.
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

meta = sa.table("catalog_meta", sa.column("key", sa.String), sa.column("value", sa.Integer))


def upgrade() -> None:
    # 31 bits: fits the Integer column on PostgreSQL as well as SQLite.
    op.execute(meta.insert().values(key="instance", value=secrets.randbelow(2**31 - 1) + 1))


def downgrade() -> None:
    op.execute(meta.delete().where(meta.c.key == "instance"))
