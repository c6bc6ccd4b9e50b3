"""Several vectors per entry: the full passage, the name, and each alias.

Residents' phrasing is closest to an entry's colloquial aliases, and a short alias embeds far more
sharply than a long passage that mixes it with everything else. Row ids are
``slot * KEYS_PER_SLOT + j`` (j = 0 is the passage), so an entry's rows are one contiguous id range
and a changed entry is removed from faiss by id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from catalog.entry import Entry
from catalog.search.text import normalise

KEYS_PER_SLOT = 64


def passage_text(entry: Entry) -> str:
    return entry.search_text()


def entry_texts(entry: Entry) -> list[str]:
    """Passage first, then the name and the distinct aliases (at most KEYS_PER_SLOT - 1 keys)."""
    keys: list[str] = []
    seen: set[str] = set()
    for text in [entry.name, *entry.aliases]:
        norm = normalise(text)
        if norm and norm not in seen:
            seen.add(norm)
            keys.append(text.strip())
    if not keys:
        keys.append(passage_text(entry))
    return [passage_text(entry), *keys[:KEYS_PER_SLOT - 1]]


class VectorTable:
    """Rows sorted by id, with each slot's [start, end) row range."""

    def __init__(self, ids: np.ndarray, vectors: np.ndarray, n_slots: int):
        order = np.argsort(ids, kind="stable")
        self.ids = np.ascontiguousarray(ids[order], dtype=np.int64)
        self.vectors = np.ascontiguousarray(vectors[order], dtype=np.float32)
        slots = self.ids // KEYS_PER_SLOT
        self.start = np.searchsorted(slots, np.arange(n_slots), "left")
        self.end = np.searchsorted(slots, np.arange(n_slots), "right")

    @classmethod
    def from_blocks(cls, blocks: Mapping[int, np.ndarray], n_slots: int, dim: int) -> VectorTable:
        ids, vecs = _stack(blocks, dim)
        return cls(ids, vecs, n_slots)

    def replace(self, drop_slots: Iterable[int], blocks: Mapping[int, np.ndarray], n_slots: int) -> VectorTable:
        """A new table without ``drop_slots`` and with ``blocks`` (slot -> rows) added."""
        drop = np.array(sorted(set(drop_slots) | set(blocks)), dtype=np.int64)
        keep = ~np.isin(self.ids // KEYS_PER_SLOT, drop)
        ids, vecs = _stack(blocks, self.vectors.shape[1])
        return VectorTable(np.concatenate([self.ids[keep], ids]), np.concatenate([self.vectors[keep], vecs]),
                           n_slots)

    def row_ids(self, slots: Iterable[int]) -> np.ndarray:
        parts = [self.ids[self.start[s]:self.end[s]] for s in slots]
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def score(self, slots: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(passage cosine, best name/alias cosine) for each slot."""
        if not len(slots):
            return np.zeros(0, np.float32), np.zeros(0, np.float32)
        starts, ends = self.start[slots], self.end[slots]
        lens = ends - starts
        offsets = np.concatenate([[0], np.cumsum(lens)[:-1]])
        rows = np.repeat(starts - offsets, lens) + np.arange(int(lens.sum()))
        sims = self.vectors[rows] @ query
        passage = sims[offsets].copy()
        sims[offsets] = -np.inf
        keymax = np.maximum.reduceat(sims, offsets)
        keymax = np.where(np.isfinite(keymax), keymax, passage)
        return passage.astype(np.float32), keymax.astype(np.float32)


def _stack(blocks: Mapping[int, np.ndarray], dim: int) -> tuple[np.ndarray, np.ndarray]:
    if not blocks:
        return np.zeros(0, np.int64), np.zeros((0, dim), np.float32)
    ids = np.concatenate([slot * KEYS_PER_SLOT + np.arange(len(v), dtype=np.int64) for slot, v in blocks.items()])
    return ids, np.concatenate(list(blocks.values())).astype(np.float32)
