"""Alembic migrations of the catalog store, run programmatically by ``catalog.store.migrate``."""
