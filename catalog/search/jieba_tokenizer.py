"""The jieba tokenizer and its user dictionary (generated from service names and aliases).

The only module of the search that imports jieba; the ranking code receives a plain
``Callable[[str], list[str]]``. The lead's Rasa JiebaTokenizer reads the same ``userdict.txt``.
"""

from __future__ import annotations

import hashlib
import logging
import re
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path

from catalog.entry import Entry
from catalog.search.text import normalise

USERDICT = "userdict.txt"
_SPLIT = re.compile(r"[\s，,、；;：:（）()《》“”\"'/·\-]+")
_MIN, _MAX = 2, 8
_FREQ = 20000  # high enough that jieba keeps these words whole


def dictionary_words(entries: Iterable[Entry], extra: Iterable[str] = ()) -> list[str]:
    """Names, aliases and their punctuation-separated parts that fit a dictionary word (2-8 chars).

    Never digits alone: "12345" (the hotline, in some names) as a word cuts 13812345678 into
    138 / 12345 / 678, and Rasa's DIET then tags the pieces as a phone number and a ticket number."""
    words: set[str] = set()
    sources: list[str] = []
    for entry in entries:
        sources.append(entry.name)
        sources.extend(entry.aliases)
    sources.extend(extra)
    for text in sources:
        text = normalise(text)
        for part in [text, *_SPLIT.split(text)]:
            part = part.strip()
            if _MIN <= len(part) <= _MAX and " " not in part and not part.isdigit():
                words.add(part)
    return sorted(words)


def write_jieba_dictionary(entries: Iterable[Entry], directory: str | Path,
                           extra: Iterable[str] | None = None) -> Path:
    """Write ``<directory>/userdict.txt`` (``word freq n`` lines) and return its path.

    ``extra`` defaults to both sides of the colloquialism table (catalog/data/synonyms.csv).
    The file is rewritten only when its content changes (Rasa retrains on a changed file)."""
    if extra is None:
        from catalog.search.synonyms import Synonyms

        extra = Synonyms.load().terms()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / USERDICT
    lines = [f"{w} {_FREQ} n" for w in dictionary_words(entries, extra)]
    text = "\n".join(lines) + "\n"
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return path
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def make_jieba_tokenizer(userdict: str | Path | None = None,
                         words: Iterable[str] = ()) -> Callable[[str], list[str]]:
    """A private jieba.Tokenizer (the global one is left alone) in search mode. Its ``lexicon`` names
    the words it was given (a saved index records it: other words cut the entries' text differently)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    if userdict is not None and Path(userdict).exists():
        tokenizer.load_userdict(str(userdict))
    words = sorted(set(words))
    for word in words:
        tokenizer.add_word(word, _FREQ)

    def tokenize(text: str) -> list[str]:
        return [t for t in tokenizer.lcut_for_search(normalise(text), HMM=True) if t.strip()]

    tokenize.__name__ = "jieba_search"
    lexicon = hashlib.sha256("\n".join(words).encode("utf-8"))
    if userdict is not None and Path(userdict).exists():
        lexicon.update(Path(userdict).read_bytes())
    tokenize.lexicon = lexicon.hexdigest()[:16]  # type: ignore[attr-defined]
    return tokenize
