"""Alembic environment: always run with a connection handed in by catalog.store.migrate."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=None,
    version_table="catalog_alembic_version",
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
