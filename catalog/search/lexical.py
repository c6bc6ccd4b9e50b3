"""Field-weighted BM25 (bm25s) plus character n-grams. The tokenizer is passed in."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import bm25s
import numpy as np

from catalog.entry import Entry
from catalog.search.text import char_ngrams, content_tokens

Tokenizer = Callable[[str], list[str]]

FIELDS = ("name", "aliases", "description", "materials", "ngram")


def field_texts(entry: Entry) -> dict[str, str]:
    return {
        "name": entry.name,
        "aliases": "；".join(entry.aliases),
        "description": "；".join(p for p in (entry.category, entry.description, entry.conditions) if p),
        "materials": "；".join(entry.materials),
        "ngram": "；".join([entry.name, *entry.aliases]),
    }


class LexicalIndex:
    """One bm25s index per field; a document's score is the weighted sum over fields."""

    def __init__(self, tokenizer: Tokenizer, weights: Mapping[str, float], k1: float = 1.2, b: float = 0.75):
        self.tokenize = tokenizer
        self.weights = {f: float(weights.get(f, 0.0)) for f in FIELDS}
        self.k1, self.b = k1, b
        self._indexes: dict[str, bm25s.BM25] = {}
        self.size = 0

    def field_tokens(self, field: str, text: str) -> list[str]:
        if field == "ngram":
            return char_ngrams(text)
        return content_tokens(self.tokenize(text))

    def entry_tokens(self, entry: Entry) -> dict[str, list[str]]:
        """Tokens per field for one entry; cached by the engine so a refresh re-tokenizes only
        the entries that changed."""
        return {f: self.field_tokens(f, t) for f, t in field_texts(entry).items() if self.weights[f] > 0}

    def build(self, docs: Sequence[Mapping[str, list[str]]]) -> LexicalIndex:
        """Index documents given as ``entry_tokens`` dicts."""
        self.size = len(docs)
        self._indexes = {}
        if not docs:
            return self
        for field in FIELDS:
            if self.weights[field] <= 0:
                continue
            corpus = [list(d.get(field) or [""]) for d in docs]
            index = bm25s.BM25(k1=self.k1, b=self.b)
            index.index(corpus, show_progress=False)
            self._indexes[field] = index
        return self

    def query_tokens(self, query: str, extra: Sequence[str] = ()) -> dict[str, list[str]]:
        words = list(dict.fromkeys(content_tokens(self.tokenize(query))
                                   + [t for x in extra for t in content_tokens(self.tokenize(x))]))
        grams = list(dict.fromkeys(char_ngrams(" ".join(content_tokens(self.tokenize(query)))
                                               + " " + " ".join(extra))))
        return {f: (grams if f == "ngram" else words) for f in self._indexes}

    def scores(self, tokens: Mapping[str, list[str]]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Weighted total and per-field (unweighted) scores, one per document."""
        total = np.zeros(self.size, dtype=np.float32)
        per_field: dict[str, np.ndarray] = {}
        for field, index in self._indexes.items():
            ids = index.get_tokens_ids(tokens.get(field, []))
            if not ids:
                continue
            s = index.get_scores_from_ids(ids)
            per_field[field] = s
            total += self.weights[field] * s
        return total, per_field

    def matched(self, field: str, tokens: list[str], doc: int) -> list[str]:
        """Query tokens that occur in the document's field (for explain)."""
        index = self._indexes.get(field)
        if index is None:
            return []
        out = []
        for tok in tokens:
            tid = index.vocab_dict.get(tok)
            if tid is None:
                continue
            start, end = index.scores["indptr"][tid], index.scores["indptr"][tid + 1]
            if doc in index.scores["indices"][start:end]:
                out.append(tok)
        return out
