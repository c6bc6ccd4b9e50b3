"""Figures of a load run: per level, turn latency and errors next to bare /model/parse; table, docs."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from lifebot.settings import ROOT

DOCS = ROOT / "docs" / "benchmarks.md"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def latency(turns: list[dict]) -> dict:
    """p50/p95/p99 over the turns that were answered, error rate over all of them."""
    ok = [t["ms"] for t in turns if not t["error"]]
    errors = Counter(t["error"] for t in turns if t["error"])
    return {"turns": len(turns), "errors": sum(errors.values()),
            "error_rate": round(sum(errors.values()) / len(turns), 4) if turns else 0.0,
            "error_kinds": dict(errors),
            "p50": round(percentile(ok, 50), 1), "p95": round(percentile(ok, 95), 1),
            "p99": round(percentile(ok, 99), 1), "max": round(max(ok, default=0.0), 1)}


def level(chat: dict, parse: dict, load_before: tuple, load_after: tuple) -> dict:
    turns, parsed = latency(chat["turns"]), latency(parse["turns"])
    by_kind = {}
    for kind in sorted({c["kind"] for c in chat["conversations"]}):
        done = [c for c in chat["conversations"] if c["kind"] == kind]
        by_kind[kind] = {"conversations": len(done), "reached": sum(c["reached"] for c in done),
                         "cut": sum(c["cut"] for c in done),
                         "turns": latency([t for t in chat["turns"] if t["kind"] == kind])}
    seconds = chat["seconds"] or 1
    return {
        "users": chat["users"], "seconds": chat["seconds"], "turns_per_s": round(len(chat["turns"]) / seconds, 2),
        "conversations": len(chat["conversations"]),
        "reached": sum(c["reached"] for c in chat["conversations"]),
        # Conversations still under way when the level's time ran out (stopped after the turn in flight).
        "cut": sum(c["cut"] for c in chat["conversations"]),
        "turn": turns, "parse": parsed, "by_kind": by_kind,
        "ratio_p50": round(turns["p50"] / parsed["p50"], 1) if parsed["p50"] else None,
        "ratio_p95": round(turns["p95"] / parsed["p95"], 1) if parsed["p95"] else None,
        "load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in load_after],
        "samples": [c for c in chat["conversations"] if "transcript" in c and not c["error"]],
        "failed_conversations": [c for c in chat["conversations"] if "transcript" in c and c["error"]],
        "failed_turns": [t for t in chat["turns"] + parse["turns"] if t["error"]][:20],
    }


def table(levels: list[dict]) -> str:
    rows = ["| 并发居民 | 对话数（达成 / 到时截断） | 轮次 | 轮次/秒 | 错误率 | 整轮 p50 / p95 / p99 ms | "
            "裸 /model/parse p50 / p95 / p99 ms | 倍数 p50 / p95 | 负载（前 → 后，1 分钟） |",
            "|---|---|---|---|---|---|---|---|---|"]
    for lv in levels:
        t, p = lv["turn"], lv["parse"]
        kinds = "，".join(f"{k} {n}" for k, n in sorted({**t["error_kinds"], **{
            f"parse {k}": n for k, n in p["error_kinds"].items()}}.items()))
        rows.append(f"| {lv['users']} | {lv['conversations']}（{lv['reached']} / {lv['cut']}） | {t['turns']} | "
                    f"{lv['turns_per_s']} | "
                    f"{t['error_rate']:.1%}{f'（{kinds}）' if kinds else ''} | "
                    f"{t['p50']:.0f} / {t['p95']:.0f} / {t['p99']:.0f} | "
                    f"{p['p50']:.0f} / {p['p95']:.0f} / {p['p99']:.0f} | {lv['ratio_p50']} / {lv['ratio_p95']} | "
                    f"{lv['load_before'][0]} → {lv['load_after'][0]} |")
    return "\n".join(rows)


def kinds_table(levels: list[dict]) -> str:
    rows = ["| 并发居民 | 对话类型 | 对话数（达成 / 到时截断） | 轮次 | 错误 | 整轮 p50 / p95 ms |",
            "|---|---|---|---|---|---|"]
    for lv in levels:
        for kind, k in lv["by_kind"].items():
            rows.append(f"| {lv['users']} | {kind} | {k['conversations']}（{k['reached']} / {k['cut']}） | "
                        f"{k['turns']['turns']} | "
                        f"{k['turns']['errors']} | {k['turns']['p50']:.0f} / {k['turns']['p95']:.0f} |")
    return "\n".join(rows)


def serving(model: dict | None) -> str:
    """Which embedding model searched, as the docs say it."""
    if not model:
        return "检索用的向量模型未记录（--url：不知道 API 在哪）"
    return f"检索用的向量模型 {model.get('model')}（`{model.get('encoder')}`）"


def write_docs(layout: str, command: str, report: dict, path: Path = DOCS) -> None:
    """Replace (or append) this layout's block in docs/benchmarks.md's load section."""
    begin, end = f"<!-- bench-load-{layout}:begin -->", f"<!-- bench-load-{layout}:end -->"
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(report["started"]))
    body = (f"{begin}\n布局 `{layout}`，{stamp}，命令 `{command}`；对话发往 {report['url']}，"
            f"裸 /model/parse 发往 {'、'.join(report['parse_urls'])}，"
            f"每档 {report['seconds_per_level']} s，居民每轮之间停 {report['think']} s 左右；"
            f"机器 {report['cpus']} 核，开始时负载 {' / '.join(str(x) for x in report['load_start'])}"
            f"（1 / 5 / 15 分钟）；{serving(report.get('embedding_model'))}。\n\n{table(report['levels'])}\n\n{kinds_table(report['levels'])}\n{end}")
    text = path.read_text(encoding="utf-8")
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + body + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    path.write_text(text, encoding="utf-8")
