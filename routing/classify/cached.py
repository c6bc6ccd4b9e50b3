"""An encoder wrapper that remembers query vectors by text (cross-validation re-encodes the same texts)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


class CachedEncoder:
    def __init__(self, encoder: Any):
        self.encoder = encoder
        self.dim = encoder.dim
        self._vectors: dict[str, np.ndarray] = {}

    def query(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            for text, vector in zip(missing, self.encoder.query(missing), strict=True):
                self._vectors[text] = vector
        return np.stack([self._vectors[t] for t in texts])
