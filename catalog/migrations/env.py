"""Alembic environment: always run with a connection handed in by catalog.store.migrate.

To add a migration, write ``versions/NNNN_what.py`` by hand (copy 0001's header: revision,
down_revision) using ``op`` calls that work on SQLite (batch mode) and PostgreSQL alike, update
``catalog/store/schema.py`` to match, and run ``pytest tests/catalog`` (it migrates both databases
down and up).
"""

from alembic import context

from catalog.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table="catalog_alembic_version",
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
