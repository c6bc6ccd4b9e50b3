"""Errors the catalog raises; their messages are for maintainers, so they are in Simplified Chinese."""

from __future__ import annotations


class CatalogError(Exception):
    """A request the catalog refuses; nothing was changed."""


class NotFound(CatalogError):
    pass


class InvalidEntry(CatalogError):
    """One or more problems with submitted data (wrong type, unknown field, bad value)."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("；".join(self.problems))
