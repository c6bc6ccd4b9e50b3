"""Dense vectors in faiss (normalised, inner product), keyed by row id (see vectors.py).

Flat (exact) up to ``flat_max`` vectors; above it IVF-Flat, whose cost per query grows with
``nprobe * n / nlist`` instead of ``n``. Both support remove/add by id, so a changed entry is
re-added without rebuilding the whole index.
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np


class DenseIndex:
    def __init__(self, index: faiss.Index, kind: str, nprobe: int = 0):
        self.index = index
        self.kind = kind
        self.nprobe = nprobe
        if kind == "ivf":
            faiss.extract_index_ivf(index).nprobe = nprobe

    @classmethod
    def build(cls, vectors: np.ndarray, ids: np.ndarray, flat_max: int = 50000,
              nprobe: int = 16, seed: int = 1234) -> DenseIndex:
        """Index ``vectors`` (one row per id); Flat up to ``flat_max`` rows, IVF-Flat above."""
        dim = vectors.shape[1]
        if len(ids) <= flat_max:
            index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
            kind = "flat"
        else:
            nlist = int(min(4 * np.sqrt(len(ids)), 1024))
            quantizer = faiss.IndexFlatIP(dim)
            ivf = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
            ivf.cp.seed = seed
            ivf.cp.niter = 12
            train = vectors
            if len(train) > 40 * nlist:
                rng = np.random.default_rng(seed)
                train = train[rng.choice(len(train), 40 * nlist, replace=False)]
            ivf.train(np.ascontiguousarray(train))
            index = ivf
            kind = "ivf"
        if len(ids):
            index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))
        return cls(index, kind, nprobe)

    @property
    def ntotal(self) -> int:
        return int(self.index.ntotal)

    def copy(self) -> DenseIndex:
        return DenseIndex(faiss.clone_index(self.index), self.kind, self.nprobe)

    def remove(self, ids: np.ndarray) -> None:
        if len(ids):
            self.index.remove_ids(np.asarray(ids, dtype=np.int64))

    def add(self, vectors: np.ndarray, ids: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                                    np.asarray(ids, dtype=np.int64))

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, ids) for one normalised query vector; missing hits are dropped."""
        k = min(k, self.ntotal)
        if k <= 0:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        scores, ids = self.index.search(np.ascontiguousarray(query.reshape(1, -1)), k)
        keep = ids[0] >= 0
        return scores[0][keep], ids[0][keep]

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path, kind: str, nprobe: int) -> DenseIndex:
        return cls(faiss.read_index(str(path)), kind, nprobe)
