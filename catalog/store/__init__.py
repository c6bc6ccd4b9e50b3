"""The catalog store: ``CatalogStore(url)`` opens (and migrates) the catalog database."""

from catalog.store.core import CatalogStore, Version

__all__ = ["CatalogStore", "Version"]
