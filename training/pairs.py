"""Training pairs for the domain encoder, generated from the catalog and the team's paraphrase data.

Every row is ``{"anchor", "positive", "negative", "source"}``: the anchor is encoded as a query
(``query: ``), positive and negative as passages (``passage: ``). Sources:

* ``alias``: each alias (residents' wording, maintained by the catalog team) -> the entry's passage
  text without that alias (as a new wording is not in the passage), and -> its name;
* ``name``: the name -> description, conditions, department and category;
* ``description`` / ``conditions``: that text -> the name;
* ``material``: a material -> the name;
* ``subitem``: a sub-item ("X（Y）") -> its parent entry X;
* ``synonym``: catalog/data/synonyms.csv (colloquial -> official wording) -> entries whose name holds
  the official wording.

An anchor or positive that more than three entries share (boilerplate descriptions, generic materials) is
dropped. Hard negatives come from confusable entries: the name with one word of a confusable pair swapped
(迁入/迁出, 首次/转移登记, ...), else the closest other name in the same category by character bigrams.
Golden-set queries (tests/golden/) are never used: any anchor equal to one is dropped, and
``golden_overlap`` lets a test prove it.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from catalog.entry import Entry
from catalog.search.text import normalise

CONFUSABLE = (("迁入", "迁出"), ("首次", "转移"), ("设立", "注销"), ("补领", "换领"), ("新办", "注销"),
              ("申领", "注销"), ("开户", "销户"), ("变更", "注销"), ("登记", "注销登记"), ("发放", "停发"))
MAX_ENTRIES_PER_ANCHOR = 3  # a text shared by more entries (boilerplate) says nothing about which one
SUBITEM = re.compile(r"^(.+?)[（(]([^）)]+)[）)]$")


def _bigrams(text: str) -> set[str]:
    text = normalise(text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _confusable_twin(entry: Entry, by_name: dict[str, Entry]) -> Entry | None:
    for a, b in CONFUSABLE:
        for x, y in ((a, b), (b, a)):
            if x in entry.name:
                twin = by_name.get(entry.name.replace(x, y))
                if twin is not None and twin.id != entry.id:
                    return twin
    return None


def hard_negatives(entries: list[Entry]) -> dict[str, Entry]:
    """For each entry id, the entry most easily confused with it."""
    by_name = {e.name: e for e in entries}
    by_category: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        by_category[e.category].append(e)
    grams = {e.id: _bigrams(e.name) for e in entries}
    out: dict[str, Entry] = {}
    for e in entries:
        twin = _confusable_twin(e, by_name)
        if twin is None:
            mine = grams[e.id]
            best, best_score = None, 0.0
            for other in by_category[e.category]:
                if other.id == e.id or other.name == e.name:
                    continue
                theirs = grams[other.id]
                score = len(mine & theirs) / (len(mine | theirs) or 1)
                if score > best_score:
                    best, best_score = other, score
            twin = best
        if twin is not None:
            out[e.id] = twin
    return out


def load_synonyms(path: Path) -> list[tuple[str, list[str]]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return [(row["colloquial"].strip(), [w.strip() for w in row["official"].split("/") if w.strip()])
                for row in csv.DictReader(fh) if row.get("colloquial")]


def _raw_pairs(entries: list[Entry], synonyms: list[tuple[str, list[str]]]) -> Iterator[tuple[str, Entry, str, str]]:
    """(anchor, entry, positive text, source)."""
    names = {e.name: e for e in entries}
    for e in entries:
        for alias in e.aliases:
            # The passage without this alias: a resident's new wording is not in the passage either,
            # and with it the pair would teach only to find a substring.
            yield alias, e, replace(e, aliases=[a for a in e.aliases if a != alias]).search_text(), "alias"
            yield alias, e, e.name, "alias"
        context = "；".join(p for p in (e.category, e.department, e.description, e.conditions) if p)
        yield e.name, e, context, "name"
        if e.description:
            yield e.description, e, e.name, "description"
        if e.conditions:
            yield e.conditions, e, e.name, "conditions"
        for m in e.materials:
            yield m, e, e.name, "material"
        sub = SUBITEM.match(e.name)
        if sub and sub.group(1) in names and names[sub.group(1)].id != e.id:
            parent = names[sub.group(1)]
            yield e.name, parent, parent.search_text(), "subitem"
            yield sub.group(2), e, e.name, "subitem"
    for colloquial, officials in synonyms:
        hits = [e for e in entries if any(o in e.name for o in officials)]
        for e in hits[:3]:
            yield colloquial, e, e.search_text(), "synonym"


def build_pairs(entries: Iterable[Entry], golden: Iterable[str], synonyms: list[tuple[str, list[str]]],
                seed: int = 13, limit: int = 0) -> list[dict[str, str]]:
    active = [e for e in entries if e.status == "active"]
    banned = {normalise(q) for q in golden}
    negatives = hard_negatives(active)
    raw = list(_raw_pairs(active, synonyms))
    owners: dict[str, set[str]] = defaultdict(set)
    for anchor, entry, positive, _ in raw:
        owners[anchor.strip()].add(entry.id)
        owners[positive.strip()].add(entry.id)
    rows, seen = [], set()
    for anchor, entry, positive, source in raw:
        if max(len(owners[anchor.strip()]), len(owners[positive.strip()])) > MAX_ENTRIES_PER_ANCHOR:
            continue
        anchor, positive = anchor.strip(), positive.strip()
        if not anchor or not positive or anchor == positive or normalise(anchor) in banned:
            continue
        key = (anchor, positive)
        if key in seen:
            continue
        seen.add(key)
        neg = negatives.get(entry.id)
        rows.append({"anchor": anchor, "positive": positive, "negative": neg.search_text() if neg else "",
                     "entry": entry.id, "source": source})
    random.Random(seed).shuffle(rows)
    return rows[:limit] if limit else rows


def golden_overlap(rows: Iterable[dict[str, str]], golden: Iterable[str]) -> list[str]:
    banned = {normalise(q) for q in golden}
    return [r["anchor"] for r in rows if normalise(r["anchor"]) in banned]


def write_pairs(rows: list[dict[str, str]], path: Path) -> str:
    """Write jsonl; returns its sha256 (recorded in the model card)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    path.write_text(text, encoding="utf-8")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
