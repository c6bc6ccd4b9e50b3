"""Passage vectors kept on disk by (model, text), so a rebuilt index re-encodes only new text.

Encoding the catalog's ~10,000 passages is the slow part of building an index; the same texts are
encoded again whenever a database is re-created (a test run, a fresh `make run` after `make clean`
of the database) or an index is rebuilt. The cache is plain .npy + .json, no pickle; a file that
cannot be read is ignored and rewritten.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from catalog.search.encoder import Encoder


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class CachedEncoder:
    """An Encoder whose passage() looks texts up first; query() goes straight to the model."""

    def __init__(self, encoder: Encoder, directory: str | Path):
        self.encoder = encoder
        self.name, self.dim = encoder.name, encoder.dim
        stem = re.sub(r"[^A-Za-z0-9._-]+", "_", encoder.name)
        self._vectors_path = Path(directory) / f"{stem}.npy"
        self._keys_path = Path(directory) / f"{stem}.json"
        self._rows: dict[str, int] | None = None
        self._vectors = np.zeros((0, self.dim), dtype=np.float32)
        self._lock = threading.Lock()

    def query(self, texts: Sequence[str]) -> np.ndarray:
        return self.encoder.query(texts)

    def passage(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            rows = self._load()
            keys = [_key(t) for t in texts]
            missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in rows}.items())
            if missing:
                fresh = self.encoder.passage([t for _, t in missing])
                for offset, (key, _) in enumerate(missing):
                    rows[key] = len(self._vectors) + offset
                self._vectors = np.vstack([self._vectors, fresh.astype(np.float32)])
                self._save()
            if not texts:
                return np.zeros((0, self.dim), dtype=np.float32)
            return self._vectors[[rows[k] for k in keys]]

    @contextmanager
    def _files_locked(self, kind: int) -> Iterator[None]:
        """The two files are one pair: several processes (API workers, tests) share the folder, so a
        writer holds an exclusive lock while replacing both and a reader a shared one while reading."""
        self._keys_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self._keys_path.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, kind)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _load(self) -> dict[str, int]:
        if self._rows is None:
            self._rows = {}
            try:
                with self._files_locked(fcntl.LOCK_SH):
                    keys = json.loads(self._keys_path.read_text(encoding="utf-8"))
                    vectors = np.load(self._vectors_path)
                if vectors.shape == (len(keys), self.dim):
                    self._rows, self._vectors = {k: i for i, k in enumerate(keys)}, vectors
            except (OSError, ValueError):
                pass  # no cache yet, or a broken one: start afresh
        return self._rows

    def _save(self) -> None:
        keys = sorted(self._rows, key=self._rows.__getitem__)
        with self._files_locked(fcntl.LOCK_EX):
            for path, write in ((self._vectors_path, lambda f: np.save(f, self._vectors)),
                                (self._keys_path, lambda f: f.write(json.dumps(keys).encode()))):
                tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
                with open(tmp, "wb") as handle:
                    write(handle)
                tmp.replace(path)
