"""Derivation of catalog data from the public source lists in ``../shared/data/sources``."""
