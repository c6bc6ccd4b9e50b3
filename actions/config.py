"""The action server's settings, read once per process."""

from __future__ import annotations

import functools

from lifebot.settings import Settings, load_settings


@functools.lru_cache(maxsize=1)
def settings() -> Settings:
    return load_settings()
