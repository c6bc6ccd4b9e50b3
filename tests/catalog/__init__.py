"""Tests of the catalog store and the maintainers' tools (lifebot catalog ...)."""
