"""A secret kept in a file of its own (the tracker key, the token of Rasa's HTTP API): made once,
with mode 0600, by whichever process needs it first; read by every other."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def read_or_create(path: Path, make: Callable[[], bytes]) -> bytes:
    """The secret in ``path``, written from ``make()`` when the file does not exist yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first: use theirs
        else:
            with os.fdopen(descriptor, "wb") as out:
                out.write(make())
    return path.read_bytes().strip()
