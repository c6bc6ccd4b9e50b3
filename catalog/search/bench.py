"""Measurements for ``lifebot bench search``: quality on the golden set, speed, memory, scale.

Everything here takes an engine (or builds one over an in-memory store) so one process measures
hybrid, BM25-only and dense-only side by side on the same index and the same query vectors.
"""

from __future__ import annotations

import hashlib
import json
import random
import resource
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from catalog.entry import Entry
from catalog.search.config import SearchConfig
from catalog.search.embedding_cache import CachedEncoder
from catalog.search.encoder import Encoder
from catalog.search.engine import MODES, SearchEngine, combine, fuse, shared_match
from catalog.search.jieba_tokenizer import dictionary_words, make_jieba_tokenizer
from catalog.search.synonyms import Synonyms

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_DIR = ROOT / "tests" / "golden"
SERVICES_DIR = ROOT / "catalog" / "data" / "services"


# ---------------------------------------------------------------------------------------- data
@dataclass(frozen=True)
class GoldenQuery:
    q: str
    expected: tuple[str, ...]
    split: str  # "tune" (fusion and confidence are chosen on it) or "test" (only reported)


def split_of(text: str) -> str:
    """A fixed, content-derived half: the same query is always in the same split."""
    return "tune" if hashlib.sha1(text.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def load_equivalents(directory: Path = GOLDEN_DIR) -> dict[str, list[str]]:
    """Catalog entries that are the same service as another (duplicates across source lists)."""
    path = directory / "equivalents.csv"
    if not path.exists():
        return {}
    import csv

    with path.open(encoding="utf-8", newline="") as fh:
        return {row["id"]: row["also_accept"].split() for row in csv.DictReader(fh)}


def load_golden(directory: Path = GOLDEN_DIR) -> tuple[list[GoldenQuery], list[GoldenQuery]]:
    """Queries (expected ids widened by equivalents.csv) and out-of-scope questions."""
    same = load_equivalents(directory)
    queries = []
    with (directory / "queries.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                expected = list(dict.fromkeys(row["expected"] + [x for i in row["expected"] for x in same.get(i, [])]))
                queries.append(GoldenQuery(row["q"], tuple(expected), row.get("split") or split_of(row["q"])))
    oos = []
    for line in (directory / "out_of_scope.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            oos.append(GoldenQuery(line, (), split_of(line)))
    return queries, oos


def load_catalog_files(directory: Path = SERVICES_DIR) -> list[Entry]:
    """The seed files as the store would hold them (active entries only)."""
    entries: dict[str, Entry] = {}
    for path in sorted(directory.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    entry = Entry.from_dict(json.loads(line))
                    entries[entry.id] = entry
    return [e for _, e in sorted(entries.items()) if e.status == "active"]


def memory_engine(encoder: Encoder, catalog: Sequence[Entry], config: SearchConfig | None = None,
                  synonyms: Synonyms | None = None, tokenizer: Callable | None = None,
                  cache_dir: Path | None = None, progress: bool = False) -> SearchEngine:
    """``catalog`` indexed in memory as the API would index it: the benchmarks and the calibration
    measure this engine. By default the tokenizer knows the catalog's names, aliases and synonyms as
    jieba words; passage vectors are cached in ``cache_dir`` when given."""
    synonyms = synonyms if synonyms is not None else Synonyms.load()
    if tokenizer is None:
        tokenizer = make_jieba_tokenizer(words=dictionary_words(catalog, synonyms.terms()))
    engine = SearchEngine(CachedEncoder(encoder, cache_dir) if cache_dir else encoder, tokenizer,
                          config or SearchConfig(), synonyms)
    engine.build(list(catalog), 1, progress=progress)
    return engine


class MemoryStore:
    """Read side of CatalogStore over a list of entries (benchmarks never touch the database)."""

    def __init__(self, entries: Sequence[Entry], version: int = 1):
        self._entries = {e.id: e for e in entries}
        self._version = version

    def version(self) -> int:
        return self._version

    def entries(self, include_retired: bool = False) -> list[Entry]:
        return [e for _, e in sorted(self._entries.items()) if include_retired or e.status == "active"]

    def get(self, entry_id: str) -> Entry | None:
        return self._entries.get(entry_id)

    def changed_since(self, catalog_version: int) -> list[str]:
        return sorted(self._entries) if catalog_version < self._version else []


_PLACES = ["澄江", "南闸", "云亭", "山观", "周庄", "华士", "新桥", "长泾", "顾山", "祝塘", "徐霞客",
           "月城", "青阳", "璜土", "利港", "申港", "夏港", "临港", "高新区", "要塞", "城东"]
_ACTIONS = ["变更", "注销", "延续", "补办", "备案", "年度报告", "资格审核", "核准", "申报", "查询", "证明开具",
            "续期", "撤销", "复核", "换发"]
_THINGS = ["船舶", "渔业", "林木", "危险化学品", "广告设施", "排水许可", "特种设备", "农药经营", "种子生产",
           "建筑施工", "燃气经营", "文物保护", "档案查询", "道路挖掘", "户外广告", "养殖用海", "粮食收购",
           "水土保持", "取水许可", "测绘资质", "人防工程", "放射诊疗", "医师执业", "护士执业", "兽药经营",
           "烟草专卖", "出版物经营", "娱乐场所", "旅馆业", "印章刻制", "典当行", "拍卖企业", "再生资源回收"]


def padding_entries(real: Sequence[Entry], total: int, seed: int = 7) -> list[Entry]:
    """Generated look-alike entries so the catalog has ``total`` entries (benchmark only).

    They reuse real departments and categories and combine administrative wording, so they are
    plausible distractors for lexical and dense retrieval alike."""
    rng = random.Random(seed)
    out: list[Entry] = []
    need = total - len(real)
    for i in range(max(0, need)):
        base = real[rng.randrange(len(real))] if real else None
        thing = rng.choice(_THINGS)
        action = rng.choice(_ACTIONS)
        place = rng.choice(_PLACES)
        name = f"{thing}{action}（{place}）" if rng.random() < 0.5 else f"{place}{thing}{action}"
        desc = f"{place}范围内{thing}相关单位或个人办理{action}，按规定提交申请材料，经审核后出具结果。"
        out.append(Entry(
            id=f"pad-{i:06d}", name=name, kind=base.kind if base else "government",
            category=base.category if base else "市场准营", department=base.department if base else "江阴市行政审批局",
            description=desc, materials=[f"{thing}{action}申请表", "申请人身份证明"],
            aliases=[f"{thing}{action}"], online=rng.random() < 0.5, appointment=rng.random() < 0.3,
        ))
    return out


# ---------------------------------------------------------------------------------------- quality
@dataclass
class QueryRun:
    """One golden query's candidates and components, reusable for any fusion setting."""

    q: GoldenQuery
    slots: np.ndarray
    passage: np.ndarray
    keymax: np.ndarray
    lexical: np.ndarray
    hits: np.ndarray  # bool per candidate: is it an expected entry
    in_dense: np.ndarray  # bool per candidate: among the dense top-k (what dense-only returns)


def collect(engine: SearchEngine, queries: Sequence[GoldenQuery], candidates: int | None = None) -> list[QueryRun]:
    st = engine.state
    runs = []
    for gq in queries:
        ranked = engine.rank(gq.q, "hybrid", candidates=candidates)
        ids = [st.slot_ids[s] for s in ranked.slots]
        hits = np.array([i in gq.expected for i in ids], dtype=bool)
        k = candidates or engine.config.candidates
        in_dense = np.zeros(len(ids), dtype=bool)
        in_dense[np.argsort(-np.maximum(ranked.passage, ranked.keymax), kind="stable")[:k]] = True
        runs.append(QueryRun(gq, ranked.slots, ranked.passage, ranked.keymax, ranked.lexical, hits, in_dense))
    return runs


@dataclass
class Quality:
    n: int = 0
    hit1: float = 0.0
    hit5: float = 0.0
    mrr: float = 0.0
    confident: float = 0.0  # in-scope queries marked confident
    confident_wrong: float = 0.0  # in-scope queries marked confident whose top result is not expected
    n_oos: int = 0
    rejected: float = 0.0   # out-of-scope queries marked not confident
    misses: list[str] = field(default_factory=list)


def evaluate(runs: Sequence[QueryRun], oos: Sequence[QueryRun], mode: str, cfg) -> Quality:
    threshold = {"hybrid": cfg.confidence, "dense": cfg.confidence_dense, "bm25": cfg.confidence_bm25}[mode]
    quality = Quality(n=len(runs), n_oos=len(oos))
    for run in runs:
        order, fused = _ordered(run, mode, cfg)
        fused = _confidence_values(run, order, fused, mode, cfg)
        hits = run.hits[order]
        first = int(np.argmax(hits)) if hits.any() else None
        quality.hit1 += first == 0
        quality.hit5 += first is not None and first < 5
        quality.mrr += 1.0 / (first + 1) if first is not None and first < 10 else 0.0
        confident = _confident(run, order, fused, threshold, mode, cfg)
        quality.confident += confident
        quality.confident_wrong += confident and first != 0
        if first is None or first >= 5:
            quality.misses.append(run.q.q)
    for run in oos:
        order, fused = _ordered(run, mode, cfg)
        fused = _confidence_values(run, order, fused, mode, cfg)
        quality.rejected += not _confident(run, order, fused, threshold, mode, cfg)
    if runs:
        quality.hit1 /= len(runs)
        quality.hit5 /= len(runs)
        quality.mrr /= len(runs)
        quality.confident /= len(runs)
        quality.confident_wrong /= len(runs)
    if oos:
        quality.rejected /= len(oos)
    return quality


def _confident(run: QueryRun, order: np.ndarray, values: np.ndarray, threshold: float, mode: str, cfg) -> bool:
    """What SearchEngine.confident_for says for this run (the top value against the threshold; in hybrid
    search, not when the top results share the words that matched)."""
    if not (len(values) and values[0] >= threshold):
        return False
    return not (mode == "hybrid" and shared_match(run.keymax[order], cfg.confidence_ties))


def _confidence_values(run: QueryRun, order: np.ndarray, fused: np.ndarray, mode: str, cfg) -> np.ndarray:
    """What the confidence threshold is compared with (first element: the top result)."""
    if mode == "hybrid" and cfg.confidence_feature == "dense" and len(order):
        return combine(run.passage[order], run.keymax[order], cfg)
    return fused


def _ordered(run: QueryRun, mode: str, cfg) -> tuple[np.ndarray, np.ndarray]:
    """Order of the candidates a mode would return (dense-only sees only dense candidates, etc.)."""
    keep = np.ones(len(run.slots), dtype=bool)
    if mode == "bm25":
        keep = run.lexical > 0
    elif mode == "dense":
        keep = run.in_dense
    idx = np.nonzero(keep)[0]
    fused = fuse(combine(run.passage[idx], run.keymax[idx], cfg), run.lexical[idx], mode, cfg)
    order = idx[np.lexsort((run.slots[idx], -fused))]
    return order, np.sort(fused)[::-1]


def tune(runs: Sequence[QueryRun], oos: Sequence[QueryRun], cfg) -> tuple[Any, list[tuple]]:
    """Grid over the fusion on the tune split; then the confidence thresholds per mode.

    Fusion: maximise MRR (ties: hit@1). Confidence: the threshold that maximises
    rejection + in-scope confident, subject to in-scope confident >= 0.95 when reachable."""
    grid = []
    for pw in (0.0, 0.2, 0.3, 0.5, 1.0):
        for w in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
            for sat in (5.0, 10.0, 20.0, 40.0, 80.0):
                c = replace(cfg, passage_weight=pw, dense_weight=w, lexical_saturation=sat)
                qh = evaluate(runs, [], "hybrid", c)
                grid.append((round(qh.mrr, 4), round(qh.hit1, 4), round(qh.hit5, 4), pw, w, sat))
    grid.sort(reverse=True)
    best = grid[0]
    cfg = replace(cfg, passage_weight=best[3], dense_weight=best[4], lexical_saturation=best[5])
    chosen = {}
    for mode in MODES:
        chosen[mode] = calibrate(runs, oos, mode, cfg)
    cfg = replace(cfg, confidence=chosen["hybrid"][0], confidence_dense=chosen["dense"][0],
                  confidence_bm25=chosen["bm25"][0])
    by_dense = replace(cfg, confidence_feature="dense")
    by_dense = replace(by_dense, confidence=calibrate(runs, oos, "hybrid", by_dense)[0])
    if calibrate(runs, oos, "hybrid", by_dense)[1] > chosen["hybrid"][1]:
        cfg = by_dense
    return cfg, grid


def _top_value(run: QueryRun, mode: str, cfg) -> float:
    order, fused = _ordered(run, mode, cfg)
    values = _confidence_values(run, order, fused, mode, cfg)
    return float(values[0]) if len(values) else 0.0


def calibrate(runs: Sequence[QueryRun], oos: Sequence[QueryRun], mode: str, cfg) -> tuple[float, tuple]:
    """(threshold, (constraint met, confident + rejected)) maximising the key on these runs."""
    pos = np.array([_top_value(r, mode, cfg) for r in runs])
    neg = np.array([_top_value(r, mode, cfg) for r in oos])
    best_t, best_key = 0.0, (-1.0, -1.0)
    for t in np.unique(np.concatenate([pos, neg, [0.0, 1.0]])):
        conf = float((pos >= t).mean()) if len(pos) else 0.0
        rej = float((neg < t).mean()) if len(neg) else 0.0
        key = (1.0 if conf >= 0.95 else 0.0, conf + rej)
        if key > best_key:
            best_t, best_key = float(t), key
    # halfway to the next lower observed score, so the threshold is not tight on one sample
    lower = np.concatenate([pos, neg])
    lower = lower[lower < best_t]
    return (round((best_t + lower.max()) / 2, 4) if len(lower) else round(best_t, 4)), best_key


# ---------------------------------------------------------------------------------------- speed
def percentiles(samples: Sequence[float]) -> tuple[float, float, float]:
    data = np.array(samples) * 1000.0
    return (float(np.percentile(data, 50)), float(np.percentile(data, 95)), float(np.percentile(data, 99)))


def latency(engine: SearchEngine, queries: Sequence[str], rounds: int = 2) -> dict[str, tuple[float, float, float]]:
    """Hybrid search and bare query encoding, interleaved query by query in the same run."""
    for q in queries[:10]:  # warm up
        engine.search(q)
    search_t, encode_t = [], []
    for _ in range(rounds):
        for q in queries:
            t0 = time.perf_counter()
            engine.encoder.query([q])
            t1 = time.perf_counter()
            engine.search(q)
            t2 = time.perf_counter()
            encode_t.append(t1 - t0)
            search_t.append(t2 - t1)
    return {"hybrid": percentiles(search_t), "encode": percentiles(encode_t)}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def current_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return float("nan")


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def coverage(queries: Iterable[GoldenQuery], entries: dict[str, Entry]) -> dict[str, Any]:
    """Kinds and categories covered, and how many queries share no 2-character string with the
    name of any expected service."""
    kinds, categories, no_overlap, missing = set(), set(), 0, []
    total = 0
    for gq in queries:
        total += 1
        known = [entries[i] for i in gq.expected if i in entries]
        if not known:
            missing.append(gq.q)
            continue
        for e in known:
            kinds.add(e.kind)
            if e.kind == "government":
                categories.add(e.category)
        qgrams = {gq.q[i:i + 2] for i in range(len(gq.q) - 1)}
        if all(not (qgrams & {e.name[i:i + 2] for i in range(len(e.name) - 1)}) for e in known):
            no_overlap += 1
    return {"queries": total, "kinds": sorted(kinds), "government_categories": sorted(categories),
            "no_shared_bigram": no_overlap, "unknown_ids": missing}


def median(xs: Sequence[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


class PaddingEncoder:
    """Real encodings for the real catalog; for generated padding entries, vectors synthesised from
    a pool of real encodings of padding texts plus noise (cosine ~0.95 to the pool vector).

    Embedding 100,000 generated entries for real takes about an hour on 2 shared cores, so the
    benchmark times the pool and extrapolates the embedding part of the build time
    (``extrapolated_s``); ``lifebot bench search --embed-padding`` embeds every text instead."""

    def __init__(self, inner, real_texts: set[str], pool_texts: Sequence[str], seed: int = 11):
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.real_texts = real_texts
        start = time.perf_counter()
        self.pool = np.concatenate([inner.passage(list(pool_texts[i:i + 64])) for i in range(0, len(pool_texts), 64)])
        self.per_text_s = (time.perf_counter() - start) / max(1, len(pool_texts))
        self.rng = np.random.default_rng(seed)
        self.synthetic = 0

    @property
    def extrapolated_s(self) -> float:
        return self.synthetic * self.per_text_s

    def query(self, texts):
        return self.inner.query(texts)

    def passage(self, texts):
        real = [i for i, t in enumerate(texts) if t in self.real_texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if real:
            out[real] = self.inner.passage([texts[i] for i in real])
        fake = [i for i, t in enumerate(texts) if t not in self.real_texts]
        if fake:
            self.synthetic += len(fake)
            picks = [int(hashlib.md5(texts[i].encode("utf-8")).hexdigest()[:8], 16) % len(self.pool) for i in fake]
            noise = self.rng.normal(size=(len(fake), self.dim)).astype(np.float32) / np.sqrt(self.dim) * 0.33
            vec = self.pool[picks] + noise
            out[fake] = vec / np.linalg.norm(vec, axis=1, keepdims=True)
        return out


def ann_recall(engine: SearchEngine, queries: Sequence[str], k: int = 10) -> float | None:
    """Recall@k of the faiss index's row search against exact search over the same rows."""
    st = engine.state
    if st.dense.kind == "flat":
        return None
    vectors = st.table.vectors
    hits = total = 0
    for q in queries:
        qv = engine.encoder.query([q])[0]
        _, got = st.dense.search(qv, k)
        exact = st.table.ids[np.argpartition(-(vectors @ qv), k)[:k]]
        hits += len(set(got.tolist()) & set(exact.tolist()))
        total += k
    return hits / total


def traditional_quality(engine: SearchEngine, queries: Sequence[GoldenQuery],
                        oos: Sequence[GoldenQuery]) -> dict[str, Quality]:
    """Hybrid quality of the golden queries typed in Traditional characters (OpenCC ``s2t``): as typed,
    and read as Simplified the way every search reads them (``validate_query``), beside the originals."""
    import opencc

    from catalog.simplified import to_simplified

    s2t = opencc.OpenCC("s2t").convert

    def retyped(convert: Callable[[str], str]) -> tuple[list[GoldenQuery], list[GoldenQuery]]:
        return [replace(q, q=convert(q.q)) for q in queries], [replace(q, q=convert(q.q)) for q in oos]

    variants = {"简体原句": (queries, oos), "繁体原样": retyped(s2t),
                "繁体读成简体": retyped(lambda text: to_simplified(s2t(text)))}
    return {label: evaluate(collect(engine, qs), collect(engine, os_), "hybrid", engine.config)
            for label, (qs, os_) in variants.items()}
