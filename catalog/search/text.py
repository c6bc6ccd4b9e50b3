"""Text helpers that need no tokenizer: normalisation, stopwords, character n-grams."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

_KEEP = re.compile(r"[\w]+", re.UNICODE)


def normalise(text: str) -> str:
    """NFKC (full-width to half-width), lower case, collapsed blanks."""
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(text.split())


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    raw = resources.files("catalog.search").joinpath("stopwords.txt").read_text(encoding="utf-8")
    words = set()
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.update(line.split())
    return frozenset(words)


def content_tokens(tokens: list[str]) -> list[str]:
    """Drop stopwords, punctuation and blanks; keep order."""
    stop = stopwords()
    return [t for t in tokens if t.strip() and _KEEP.search(t) and t not in stop]


def char_ngrams(text: str, n: int = 2) -> list[str]:
    """Character n-grams inside runs of letters/digits (so punctuation never joins two words)."""
    grams: list[str] = []
    for run in _KEEP.findall(normalise(text)):
        if len(run) < n:
            if len(run) == 1 and not run.isascii():
                continue
            grams.append(run)
            continue
        grams.extend(run[i:i + n] for i in range(len(run) - n + 1))
    return grams
