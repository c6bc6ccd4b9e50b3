"""The colloquialism table (catalog/data/synonyms.csv): what residents say -> official wording."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from catalog.search.text import normalise

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "synonyms.csv"


@dataclass(frozen=True)
class Expansion:
    said: str
    official: tuple[str, ...]


class Synonyms:
    def __init__(self, table: dict[str, tuple[str, ...]]):
        # Longest colloquial phrase first, so 公积金取钱 wins over 取钱.
        self._table = dict(sorted(table.items(), key=lambda kv: (-len(kv[0]), kv[0])))

    @classmethod
    def load(cls, path: str | Path | None = None) -> Synonyms:
        path = Path(path) if path else DEFAULT_PATH
        table: dict[str, tuple[str, ...]] = {}
        if not path.exists():
            return cls(table)
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                said = normalise(row.get("colloquial") or "")
                official = tuple(t.strip() for t in (row.get("official") or "").split("/") if t.strip())
                if said and official:
                    table[said] = tuple(dict.fromkeys(table.get(said, ()) + official))
        return cls(table)

    def __len__(self) -> int:
        return len(self._table)

    def terms(self) -> list[str]:
        """Every phrase in the table (both sides), for the jieba dictionary."""
        out = set(self._table)
        for official in self._table.values():
            out.update(official)
        return sorted(out)

    def expand(self, query: str) -> list[Expansion]:
        """Table rows whose colloquial phrase occurs in the (normalised) query; covered text is
        not matched twice."""
        text = normalise(query)
        found: list[Expansion] = []
        for said, official in self._table.items():
            pos = text.find(said)
            if pos >= 0:
                found.append(Expansion(said, official))
                text = text[:pos] + "\x00" * len(said) + text[pos + len(said):]
        return found
