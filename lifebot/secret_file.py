"""A secret kept in a file of its own (the tracker key, the token of Rasa's HTTP API): made once,
with mode 0600, by whichever process needs it first; read by every other.

Several processes may start at once (the scaled layout's Rasa servers): the secret is written whole to
a temporary file and then linked to its name, so no process ever reads a file that exists but is
still empty, and the first link wins.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def read_or_create(path: Path, make: Callable[[], bytes]) -> bytes:
    """The secret in ``path``, written from ``make()`` when the file does not exist yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, draft = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
        try:
            with os.fdopen(descriptor, "wb") as out:
                out.write(make())
                out.flush()
                os.fsync(out.fileno())
            try:
                os.link(draft, path)
            except FileExistsError:
                pass  # another process made it first: use theirs
        finally:
            os.unlink(draft)
    return path.read_bytes().strip()
