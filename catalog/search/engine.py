"""Hybrid search over the catalog: dense (e5 + faiss) fused with field-weighted BM25.

Thread safety: ``search`` reads one immutable ``_State`` snapshot; ``refresh`` builds a new
snapshot (copying what it changes) under a lock and swaps it in with one assignment.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from catalog.entry import Entry
from catalog.search.config import SearchConfig
from catalog.search.dense import DenseIndex
from catalog.search.encoder import Encoder
from catalog.search.lexical import LexicalIndex, Tokenizer
from catalog.search.synonyms import Synonyms
from catalog.search.validate import validate_query
from catalog.search.vectors import KEYS_PER_SLOT, VectorTable, entry_texts

INSTANCE_FILE = "catalog_instance.txt"  # which database (CatalogStore.instance) the index follows
FORMAT = 2
MODES = ("hybrid", "bm25", "dense")
SAME_MATCH = 1e-6  # cosines this close come from the same alias text (identical vectors)


class Store(Protocol):
    def version(self) -> int: ...

    def entries(self, include_retired: bool = False) -> list[Entry]: ...

    def get(self, entry_id: str) -> Entry | None: ...

    def changed_since(self, catalog_version: int) -> list[str]: ...


@dataclass(frozen=True)
class SearchQuery:
    """A search request as the API and CLI pass it around."""

    q: str
    top: int = 5
    kind: str | None = None
    category: str | None = None
    department: str | None = None
    online: bool | None = None
    bookable: bool | None = None
    explain: bool = False


@dataclass
class _State:
    catalog_version: int
    built_at: str
    slot_ids: list[str | None]          # slot -> entry id (None: free slot)
    table: VectorTable                  # passage, name and alias vectors per slot
    dense: DenseIndex                   # the same rows in faiss
    entries: dict[str, Entry]
    tokens: dict[str, dict[str, list[str]]]
    lexical: LexicalIndex
    lex_slots: np.ndarray               # lexical doc number -> slot
    kind: np.ndarray                    # per slot attributes for filters
    category: np.ndarray
    department: np.ndarray
    online: np.ndarray
    bookable: np.ndarray
    live: np.ndarray                    # per slot: holds an entry

    @property
    def size(self) -> int:
        return len(self.entries)


@dataclass
class Ranked:
    """Candidates of one query with their score components (used by search and the benchmark)."""

    slots: np.ndarray
    dense: np.ndarray       # combined: passage_weight * passage + (1 - passage_weight) * keymax
    passage: np.ndarray     # cosine with the full passage
    keymax: np.ndarray      # best cosine with the name or an alias
    lexical: np.ndarray
    fused: np.ndarray
    tokens: dict[str, list[str]]
    expansions: list


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class SearchEngine:
    def __init__(self, encoder: Encoder, tokenizer: Tokenizer, config: SearchConfig | None = None,
                 synonyms: Synonyms | None = None):
        self.encoder = encoder
        self.tokenizer = tokenizer
        self.config = config or SearchConfig()
        self.synonyms = synonyms if synonyms is not None else Synonyms.load()
        self.index_dir: Path | None = None
        # Which embedding model serves and why (set by factory.engine_from_settings; shown by /health).
        self.model: dict[str, str] = {"model": "custom", "encoder": getattr(encoder, "name", ""), "reason": ""}
        # Another engine (the stock model's) whose own hybrid decision says "confident" for this one
        # (config.confidence_gate == "stock", set by factory.engine_from_settings); None: decide here.
        self.gate: SearchEngine | None = None
        self._state: _State | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ construction
    @classmethod
    def load_or_build(cls, index_dir: str | Path, store: Store, encoder: Encoder, progress: bool = False,
                      tokenizer: Tokenizer | None = None, config: SearchConfig | None = None,
                      synonyms: Synonyms | None = None) -> SearchEngine:
        """Load ``index_dir`` if it was built with this encoder for this catalog; an older catalog
        version is brought up to date incrementally; anything else is rebuilt and saved."""
        index_dir = Path(index_dir)
        synonyms = synonyms if synonyms is not None else Synonyms.load()
        entries = store.entries()
        if tokenizer is None:
            from catalog.search.jieba_tokenizer import make_jieba_tokenizer

            tokenizer = make_jieba_tokenizer(words=_dictionary(entries, synonyms))
        engine = cls(encoder, tokenizer, config, synonyms)
        engine.index_dir = index_dir
        version = store.version()
        info = read_index_config(index_dir)
        # Versions restart in a new database: an index only matches the database it was built from.
        instance = store.instance() if hasattr(store, "instance") else None
        marker = index_dir / INSTANCE_FILE
        same_db = instance is None or (marker.exists() and marker.read_text().strip() == str(instance))
        if info and same_db and engine._compatible(info) and info["catalog_version"] <= version:
            try:
                if info["catalog_version"] == version:
                    engine._load(index_dir, info, {e.id: e for e in entries})
                    return engine
                engine._load(index_dir, info, None, store=store)
                engine.refresh(store)
                return engine
            except (OSError, ValueError, KeyError):
                pass  # unreadable or inconsistent folder: rebuild below
        engine.build(entries, version, progress=progress)
        engine.save(index_dir)
        if instance is not None:
            marker.write_text(f"{instance}\n")
        return engine

    def build(self, entries: Sequence[Entry], catalog_version: int, progress: bool = False) -> None:
        entries = [e for e in entries if e.status == "active"]
        blocks = self._embed_entries(entries, progress)
        lexical = LexicalIndex(self.tokenizer, self.config.field_weights, self.config.bm25_k1, self.config.bm25_b)
        tokens = {e.id: lexical.entry_tokens(e) for e in entries}
        slot_ids: list[str | None] = [e.id for e in entries]
        table = VectorTable.from_blocks(dict(enumerate(blocks)), len(slot_ids), self.encoder.dim)
        self._state = self._make_state(catalog_version, _now(), slot_ids, table,
                                       {e.id: e for e in entries}, tokens, dense=None)

    def _embed_entries(self, entries: Sequence[Entry], progress: bool = False) -> list[np.ndarray]:
        """One block of rows per entry: passage, name, aliases."""
        texts = [entry_texts(e) for e in entries]
        flat = self._embed([t for ts in texts for t in ts], progress)
        out, pos = [], 0
        for ts in texts:
            out.append(flat[pos:pos + len(ts)])
            pos += len(ts)
        return out

    def _embed(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        dim = self.encoder.dim
        out = np.zeros((len(texts), dim), dtype=np.float32)
        batch = self.config.encode_batch
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(texts), desc="向量化", unit="段")
        # Similar lengths in one batch: the encoder pads a batch to its longest text.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(texts), batch):
            idx = order[start:start + batch]
            out[idx] = self.encoder.passage([texts[i] for i in idx])
            if bar is not None:
                bar.update(len(idx))
        if bar is not None:
            bar.close()
        return out

    def _make_state(self, catalog_version: int, built_at: str, slot_ids: list[str | None], table: VectorTable,
                    entries: dict[str, Entry], tokens: dict[str, dict[str, list[str]]],
                    dense: DenseIndex | None) -> _State:
        live = np.array([i for i, sid in enumerate(slot_ids) if sid is not None], dtype=np.int64)
        if dense is None:
            dense = DenseIndex.build(table.vectors, table.ids, flat_max=self.config.flat_max,
                                     nprobe=self.config.nprobe)
        lexical = LexicalIndex(self.tokenizer, self.config.field_weights, self.config.bm25_k1, self.config.bm25_b)
        lexical.build([tokens[slot_ids[s]] for s in live])  # type: ignore[index]

        def attr(get: Callable[[Entry], Any], dtype: Any = object) -> np.ndarray:
            return np.array([get(entries[sid]) if sid is not None else None for sid in slot_ids], dtype=dtype)

        return _State(
            catalog_version=catalog_version, built_at=built_at, slot_ids=slot_ids, table=table, dense=dense,
            entries=entries, tokens=tokens, lexical=lexical, lex_slots=live,
            kind=attr(lambda e: e.kind), category=attr(lambda e: e.category),
            department=attr(lambda e: e.department),
            online=np.array([bool(entries[s].online) if s else False for s in slot_ids], dtype=bool),
            bookable=np.array([bool(entries[s].appointment) if s else False for s in slot_ids], dtype=bool),
            live=np.array([s is not None for s in slot_ids], dtype=bool),
        )

    # ------------------------------------------------------------------ properties
    @property
    def state(self) -> _State:
        if self._state is None:
            raise RuntimeError("search index not built")
        return self._state

    @property
    def catalog_version(self) -> int:
        return self.state.catalog_version

    @property
    def size(self) -> int:
        return self.state.size

    @property
    def built_at(self) -> str:
        return self.state.built_at

    def entry(self, entry_id: str) -> Entry | None:
        return self.state.entries.get(entry_id)

    def ids(self) -> list[str]:
        return sorted(self.state.entries)

    # ------------------------------------------------------------------ incremental update
    def refresh(self, store: Store) -> int:
        """Re-embed only the entries written since ``catalog_version``; drop retired ones.
        Returns the number of entries touched (and saves the index if it has a folder)."""
        if self.gate is not None:
            self.gate.refresh(store)
        with self._lock:
            old = self.state
            version = store.version()
            if version == old.catalog_version:
                return 0
            changed = sorted(set(store.changed_since(old.catalog_version)))
            slot_ids = list(old.slot_ids)
            id_to_slot = {sid: i for i, sid in enumerate(slot_ids) if sid is not None}
            entries = dict(old.entries)
            tokens = dict(old.tokens)
            lexical = LexicalIndex(self.tokenizer, self.config.field_weights, self.config.bm25_k1,
                                   self.config.bm25_b)
            removed: list[int] = []
            upserts: list[Entry] = []
            for entry_id in changed:
                entry = store.get(entry_id)
                slot = id_to_slot.get(entry_id)
                if slot is not None:
                    removed.append(slot)
                if entry is None or entry.status != "active":
                    if slot is not None:
                        slot_ids[slot] = None
                    entries.pop(entry_id, None)
                    tokens.pop(entry_id, None)
                    continue
                upserts.append(entry)
                entries[entry_id] = entry
                tokens[entry_id] = lexical.entry_tokens(entry)
            new_blocks = self._embed_entries(upserts)
            free = [i for i, sid in enumerate(slot_ids) if sid is None]
            blocks: dict[int, np.ndarray] = {}
            for entry, block in zip(upserts, new_blocks, strict=True):
                slot = id_to_slot.get(entry.id)
                if slot is None:
                    if free:
                        slot = free.pop(0)
                    else:
                        slot = len(slot_ids)
                        slot_ids.append(None)
                    slot_ids[slot] = entry.id
                blocks[slot] = block
            old_rows = old.table.row_ids(removed)
            table = old.table.replace(removed, blocks, len(slot_ids))
            dense = old.dense.copy()
            dense.remove(old_rows)
            if blocks:
                dense.add(np.concatenate(list(blocks.values())),
                          np.concatenate([s * KEYS_PER_SLOT + np.arange(len(b)) for s, b in blocks.items()]))
            self._state = self._make_state(version, _now(), slot_ids, table, entries, tokens, dense)
            if self.index_dir is not None:
                self._save_state(self.index_dir, self._state)
            return len(changed)

    # ------------------------------------------------------------------ search
    def _filter_mask(self, st: _State, kind=None, category=None, department=None, online=None,
                     bookable=None) -> np.ndarray | None:
        mask = None

        def both(m: np.ndarray | None, cond: np.ndarray) -> np.ndarray:
            return cond if m is None else (m & cond)

        if kind:
            mask = both(mask, st.kind == kind)
        if category:
            mask = both(mask, st.category == category)
        if department:
            mask = both(mask, st.department == department)
        if online is not None:
            mask = both(mask, st.online == bool(online))
        if bookable is not None:
            mask = both(mask, st.bookable == bool(bookable))
        if mask is not None:
            mask &= st.live
        return mask

    def encode_query(self, q: str) -> tuple[np.ndarray, list]:
        expansions = self.synonyms.expand(q)
        text = q
        if self.config.dense_synonyms and expansions:
            text = q + "（" + "，".join(t for x in expansions for t in x.official) + "）"
        return self.encoder.query([text])[0], expansions

    def rank(self, q: str, mode: str = "hybrid", mask: np.ndarray | None = None,
             qvec: np.ndarray | None = None, expansions: list | None = None,
             candidates: int | None = None) -> Ranked:
        """All candidates of a query, with components, sorted by the mode's score."""
        st = self.state
        cfg = self.config
        n_cand = candidates or cfg.candidates
        if qvec is None or expansions is None:
            qvec, expansions = self.encode_query(q)
        extra = [t for x in expansions for t in x.official]
        tokens = st.lexical.query_tokens(q, extra)
        lex_docs, _ = st.lexical.scores(tokens) if st.lexical.size else (np.zeros(0, np.float32), {})
        lex = np.zeros(len(st.slot_ids), dtype=np.float32)
        lex[st.lex_slots] = lex_docs
        if mask is not None:
            lex = np.where(mask, lex, 0.0)
        cand: set[int] = set()
        if mode in ("hybrid", "bm25"):
            positive = np.nonzero(lex > 0)[0]
            if len(positive) > n_cand:
                positive = positive[np.argpartition(-lex[positive], n_cand)[:n_cand]]
            cand.update(int(s) for s in positive)
        if mode in ("hybrid", "dense"):
            cand.update(self._dense_candidates(st, qvec, n_cand, mask))
        slots = np.array(sorted(cand), dtype=np.int64)
        passage, keymax = st.table.score(slots, qvec)
        dense = combine(passage, keymax, cfg)
        lexs = lex[slots]
        fused = fuse(dense, lexs, mode, cfg)
        order = np.lexsort((slots, -fused))
        return Ranked(slots[order], dense[order], passage[order], keymax[order], lexs[order], fused[order],
                      tokens, expansions)

    def _dense_candidates(self, st: _State, qvec: np.ndarray, n_cand: int, mask: np.ndarray | None) -> list[int]:
        """The ``n_cand`` slots whose best row is nearest; exact over the allowed slots when a filter
        leaves few of them, otherwise from faiss."""
        if mask is not None:
            allowed = np.nonzero(mask)[0]
            if len(allowed) <= self.config.exact_filtered_max:
                passage, keymax = st.table.score(allowed, qvec)
                best = np.maximum(passage, keymax)
                return [int(s) for s in allowed[np.argsort(-best, kind="stable")[:n_cand]]]
        k = n_cand * 4 if mask is None else n_cand * 32
        _, ids = st.dense.search(qvec, k)
        out: list[int] = []
        for slot in (ids // KEYS_PER_SLOT).tolist():
            if slot not in out and (mask is None or mask[slot]):
                out.append(slot)
                if len(out) == n_cand:
                    break
        return out

    def confident_for(self, ranked: Ranked, mode: str = "hybrid") -> bool:
        if not len(ranked.fused):
            return False
        cfg = self.config
        if mode == "hybrid":
            value = ranked.dense[0] if cfg.confidence_feature == "dense" else ranked.fused[0]
            return bool(value >= cfg.confidence) and not shared_match(ranked.keymax, cfg.confidence_ties)
        threshold = cfg.confidence_dense if mode == "dense" else cfg.confidence_bm25
        return bool(ranked.fused[0] >= threshold)

    def search(self, q: str, top: int = 5, kind: str | None = None, category: str | None = None,
               department: str | None = None, online: bool | None = None, bookable: bool | None = None,
               explain: bool = False, mode: str = "hybrid") -> dict[str, Any]:
        q = validate_query(q)
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode}")
        top = max(1, min(int(top), 50))
        st = self.state
        mask = self._filter_mask(st, kind, category, department, online, bookable)
        ranked = self.rank(q, mode, mask, candidates=max(self.config.candidates, top))
        results = []
        for i in range(min(top, len(ranked.slots))):
            slot = int(ranked.slots[i])
            entry = st.entries[st.slot_ids[slot]]  # type: ignore[index]
            item: dict[str, Any] = {
                "id": entry.id, "name": entry.name, "kind": entry.kind, "category": entry.category,
                "department": entry.department, "score": round(float(ranked.fused[i]), 4),
            }
            if explain:
                item["explain"] = self._explain(st, ranked, i, slot)
            results.append(item)
        if self.gate is not None and mode == "hybrid":
            confident = self.gate.confident(q, kind, category, department, online, bookable)
        else:
            confident = self.confident_for(ranked, mode)
        return {"query": q, "confident": confident, "results": results}

    def confident(self, q: str, kind: str | None = None, category: str | None = None,
                  department: str | None = None, online: bool | None = None,
                  bookable: bool | None = None) -> bool:
        """This engine's own hybrid decision on ``q`` (what it says when it serves as a gate)."""
        mask = self._filter_mask(self.state, kind, category, department, online, bookable)
        return self.confident_for(self.rank(q, "hybrid", mask))

    def search_query(self, query: SearchQuery) -> dict[str, Any]:
        return self.search(query.q, top=query.top, kind=query.kind, category=query.category,
                           department=query.department, online=query.online, bookable=query.bookable,
                           explain=query.explain)

    def _explain(self, st: _State, ranked: Ranked, i: int, slot: int) -> dict[str, Any]:
        doc = int(np.searchsorted(st.lex_slots, slot))
        matched = {}
        for field, toks in ranked.tokens.items():
            hit = st.lexical.matched(field, toks, doc)
            if hit:
                matched[field] = hit
        labels = {"name": "名称", "aliases": "别名", "description": "说明", "materials": "材料", "ngram": "名称字串"}
        parts = []
        for field in ("name", "aliases", "description", "materials"):
            if field in matched:
                parts.append(f"{labels[field]}命中“{'、'.join(matched[field])}”")
        if "ngram" in matched and "name" not in matched and "aliases" not in matched:
            parts.append(f"名称字串命中“{'、'.join(matched['ngram'][:5])}”")
        if ranked.expansions:
            parts.append("口语换算：" + "；".join(f"{x.said}→{'/'.join(x.official)}" for x in ranked.expansions))
        parts.append(f"语义相似度 {float(ranked.dense[i]):.3f}（全文 {float(ranked.passage[i]):.3f}，"
                     f"名称/别名 {float(ranked.keymax[i]):.3f}）")
        return {
            "dense": round(float(ranked.dense[i]), 4),
            "lexical": round(float(ranked.lexical[i]), 4),
            "matched": matched,
            "synonyms": [{"said": x.said, "official": list(x.official)} for x in ranked.expansions],
            "summary": "；".join(parts),
        }

    # ------------------------------------------------------------------ persistence
    def _compatible(self, info: dict[str, Any]) -> bool:
        return (info.get("format") == FORMAT and info.get("model") == self.encoder.name
                and info.get("dimensions") == self.encoder.dim
                and info.get("search_config") == _index_relevant(self.config)
                and info.get("lexicon") == getattr(self.tokenizer, "lexicon", None))

    def save(self, index_dir: str | Path) -> None:
        self.index_dir = Path(index_dir)
        self._save_state(self.index_dir, self.state)

    def _save_state(self, index_dir: Path, st: _State) -> None:
        index_dir = Path(index_dir)
        tmp = index_dir.with_name(index_dir.name + ".tmp")
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
        np.save(tmp / "vectors.npy", st.table.vectors, allow_pickle=False)
        np.save(tmp / "row_ids.npy", st.table.ids, allow_pickle=False)
        st.dense.save(tmp / "dense.faiss")
        (tmp / "tokens.jsonl").write_text(
            "".join(json.dumps({"id": sid, "tokens": st.tokens[sid]}, ensure_ascii=False) + "\n"
                    for sid in st.slot_ids if sid is not None), encoding="utf-8")
        info = {
            "format": FORMAT,
            "model": self.encoder.name,
            "dimensions": self.encoder.dim,
            "catalog_version": st.catalog_version,
            "built_at": st.built_at,
            "saved_at": _now(),
            "entries": st.size,
            "faiss": {"type": st.dense.kind, "nprobe": st.dense.nprobe, "ntotal": st.dense.ntotal,
                      "metric": "inner_product"},
            "tokenizer": getattr(self.tokenizer, "__name__", type(self.tokenizer).__name__),
            # the tokenizer's words (catalog names, aliases, the colloquialism table): the saved tokens
            # were cut with them, so other words mean a rebuild (from the embedding cache, seconds)
            "lexicon": getattr(self.tokenizer, "lexicon", None),
            "search_config": _index_relevant(self.config),
            "rows": int(len(st.table.ids)),
            "row_id": f"slot * {KEYS_PER_SLOT} + j; j = 0 passage, then name and aliases",
            "files": {"vectors": "vectors.npy", "row_ids": "row_ids.npy", "faiss": "dense.faiss",
                      "tokens": "tokens.jsonl"},
            "slots": st.slot_ids,
        }
        (tmp / "config.json").write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
        if (index_dir / INSTANCE_FILE).exists():  # a refresh follows the same database
            shutil.copy(index_dir / INSTANCE_FILE, tmp / INSTANCE_FILE)
        old = index_dir.with_name(index_dir.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        if index_dir.exists():
            index_dir.rename(old)
        tmp.rename(index_dir)
        if old.exists():
            shutil.rmtree(old)

    def _load(self, index_dir: Path, info: dict[str, Any], entries: dict[str, Entry] | None,
              store: Store | None = None) -> None:
        slot_ids: list[str | None] = list(info["slots"])
        live = [s for s in slot_ids if s is not None]
        if entries is None:
            assert store is not None
            got = {}
            for sid in live:
                entry = store.get(sid)
                if entry is not None:
                    got[sid] = entry
            entries = got
            # Entries changed since are re-read by refresh(); ones missing now are removed there too.
            missing = set(live) - set(entries)
            if missing:
                raise ValueError("index refers to entries the store no longer has")
        elif set(entries) != set(live):
            raise ValueError("index entries differ from the catalog")
        vectors = np.load(index_dir / "vectors.npy", allow_pickle=False)
        ids = np.load(index_dir / "row_ids.npy", allow_pickle=False)
        if vectors.shape != (len(ids), self.encoder.dim) or len(ids) != info.get("rows"):
            raise ValueError("vectors.npy does not match config.json")
        table = VectorTable(ids, vectors, len(slot_ids))
        tokens: dict[str, dict[str, list[str]]] = {}
        with (index_dir / "tokens.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                tokens[row["id"]] = row["tokens"]
        dense = DenseIndex.load(index_dir / "dense.faiss", info["faiss"]["type"], self.config.nprobe)
        if dense.ntotal != len(ids):
            raise ValueError("dense.faiss does not match config.json")
        self._state = self._make_state(int(info["catalog_version"]), info["built_at"], slot_ids, table,
                                       entries, tokens, dense)


def combine(passage: np.ndarray, keymax: np.ndarray, cfg: SearchConfig) -> np.ndarray:
    w = cfg.passage_weight
    return (w * passage + (1 - w) * keymax).astype(np.float32)


def shared_match(keymax: np.ndarray, n: int) -> bool:
    """The first ``n`` results (``keymax`` in result order) are equally near the question through their
    best name or alias: the same words, which they share (``confidence_ties``)."""
    return n > 1 and len(keymax) >= n and float(np.ptp(keymax[:n])) <= SAME_MATCH


def fuse(dense: np.ndarray, lexical: np.ndarray, mode: str, cfg: SearchConfig) -> np.ndarray:
    lex_n = lexical / (lexical + cfg.lexical_saturation)
    if mode == "dense":
        return dense.astype(np.float32)
    if mode == "bm25":
        return lex_n.astype(np.float32)
    w = cfg.dense_weight
    return (w * dense + (1 - w) * lex_n).astype(np.float32)


def _index_relevant(cfg: SearchConfig) -> dict[str, Any]:
    """The settings baked into the stored index (changing them forces a rebuild)."""
    data = cfg.to_dict()
    return {k: data[k] for k in ("field_weights", "flat_max")}


def _dictionary(entries: Sequence[Entry], synonyms: Synonyms) -> list[str]:
    from catalog.search.jieba_tokenizer import dictionary_words

    return dictionary_words(entries, synonyms.terms())


def read_index_config(index_dir: str | Path) -> dict[str, Any] | None:
    path = Path(index_dir) / "config.json"
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def with_config(engine: SearchEngine, **changes: Any) -> SearchEngine:
    """A view of ``engine`` with different query-time tunables (shares the built index)."""
    other = SearchEngine(engine.encoder, engine.tokenizer, replace(engine.config, **changes), engine.synonyms)
    other._state = engine._state
    return other


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start
