"""`lifebot bench`: measurements (search quality and speed)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from lifebot.settings import ROOT

DOCS = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench-search:begin -->", "<!-- bench-search:end -->"


@click.group()
def bench() -> None:
    """性能与质量测量。

    Example: lifebot bench search
    """


@bench.command("search")
@click.option("--scale", "scales", default="20000", show_default=True,
              help="逗号分隔的扩充规模（用生成的条目把目录补到这么多条）；0 表示不测规模。例：20000,100000")
@click.option("--rounds", default=2, show_default=True, help="延迟测量时每条查询重复几轮。")
@click.option("--tune", is_flag=True, help="在黄金集的 tune 一半上重新选择融合参数和置信阈值（test 一半只用于报告）。")
@click.option("--embed-padding", is_flag=True,
              help="生成的扩充条目也真实向量化（10 万条约需一小时）；默认用 2000 条真实编码加噪声合成，并按实测吞吐外推构建时间。")
@click.option("--from-db", is_flag=True, help="用数据库里的目录（默认读 catalog/data/services/*.jsonl，与干净检出一致）。")
@click.option("--write-docs", is_flag=True, help="把结果表写进 docs/benchmarks.md 的搜索一节。")
@click.option("--json", "json_out", type=click.Path(dir_okay=False), default=None, help="另存一份 JSON 结果。")
@click.option("--models", default="", help="比较向量模型（逗号分隔：stock,converted,tuned），只测这一项。")
@click.option("--traditional", is_flag=True, help="黄金查询换成繁体字再测（原样 / 读成简体），只测这一项。")
@click.pass_obj
def search_bench(settings, scales: str, rounds: int, tune: bool, embed_padding: bool, from_db: bool,
                 write_docs: bool, json_out: str | None, models: str, traditional: bool) -> None:
    """在黄金查询集上测量搜索质量与速度（混合 / 仅 BM25 / 仅向量），并在扩充到 2 万、10 万条时重复。

    Example: lifebot bench search --scale 20000,100000 --write-docs
    """
    from catalog.search import bench as b
    from catalog.search.config import SearchConfig
    from catalog.search.encoder import make_encoder
    from catalog.search.jieba_tokenizer import dictionary_words, make_jieba_tokenizer
    from catalog.search.synonyms import Synonyms
    from catalog.search.vectors import entry_texts

    started = time.time()
    cfg = SearchConfig.from_mapping(settings.search)
    if from_db:
        from catalog.store import CatalogStore

        store = CatalogStore(settings.db_url)
        real = store.entries()
        store.close()
    else:
        real = b.load_catalog_files()
    queries, oos = b.load_golden()
    entries = {e.id: e for e in real}
    cov = b.coverage(queries, entries)
    encoder = make_encoder(settings.encoder, settings.encoder_model_dir)
    synonyms = Synonyms.load()
    report: dict = {"catalog": len(real), "golden": len(queries), "out_of_scope": len(oos), "coverage": cov,
                    "encoder": encoder.name, "scales": []}
    echo = click.echo
    echo(f"目录 {len(real)} 条；黄金查询 {len(queries)} 条（tune {sum(q.split == 'tune' for q in queries)}），"
         f"范围外 {len(oos)} 条；编码器 {encoder.name}")
    echo(f"覆盖：类型 {', '.join(cov['kinds'])}；政务类别 {len(cov['government_categories'])} 个；"
         f"与正确名称无共同二字串 {cov['no_shared_bigram']}/{cov['queries']}")
    if cov["unknown_ids"]:
        echo(f"警告：{len(cov['unknown_ids'])} 条黄金查询的答案不在目录里，例如 {cov['unknown_ids'][:3]}", err=True)
        queries = [q for q in queries if any(i in entries for i in q.expected)]

    if models:
        from catalog.search import model_bench

        kinds = [m.strip() for m in models.split(",") if m.strip()]
        if unknown := set(kinds) - set(model_bench.MODELS):
            raise click.BadParameter(f"未知的模型：{', '.join(sorted(unknown))}（可选 {', '.join(model_bench.MODELS)}）")
        tokenizer = make_jieba_tokenizer(words=dictionary_words(real, synonyms.terms()))
        rows = model_bench.compare(kinds, settings.model_dir, settings.embedding_cache_dir, real, tokenizer,
                                   queries, oos, cfg, synonyms, rounds=rounds, echo=echo)
        table = model_bench.render_table(rows)
        echo("\n" + table + f"\n\n用时 {time.time() - started:.0f} s")
        if json_out:
            Path(json_out).write_text(json.dumps({"models": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
        return

    if traditional:
        engine = b.memory_engine(encoder, real, cfg, synonyms, cache_dir=settings.embedding_cache_dir)
        rows = b.traditional_quality(engine, queries, oos)
        echo("\n| 查询 | hit@1 | hit@5 | MRR | 范围外拒答率 | 范围内有把握率 |\n|---|---|---|---|---|---|")
        for label, q in rows.items():
            echo(f"| {label} | {q.hit1:.3f} | {q.hit5:.3f} | {q.mrr:.3f} | {q.rejected:.3f} | {q.confident:.3f} |")
        echo(f"\n混合搜索，{len(queries)} 条黄金查询、{len(oos)} 条范围外；用时 {time.time() - started:.0f} s")
        if json_out:
            Path(json_out).write_text(json.dumps({label: vars(q) for label, q in rows.items()}, ensure_ascii=False,
                                                 indent=1), encoding="utf-8")
        return

    sizes = [len(real)] + [int(s) for s in scales.split(",") if s.strip() and int(s) > len(real)]
    for size in sizes:
        padding = b.padding_entries(real, size)
        catalog = list(real) + padding
        rss_before = b.current_rss_mb()
        build_encoder, extrapolated = encoder, 0.0
        if padding and not embed_padding:
            pool = [t for e in padding[:1000] for t in entry_texts(e)][:2000]
            build_encoder = b.PaddingEncoder(encoder, {t for e in real for t in entry_texts(e)}, pool)
        t0 = time.perf_counter()
        tokenizer = make_jieba_tokenizer(words=dictionary_words(catalog, synonyms.terms()))
        t_tok = time.perf_counter() - t0
        engine = b.memory_engine(build_encoder, catalog, cfg, synonyms, tokenizer, progress=sys.stderr.isatty())
        t_build = time.perf_counter() - t0
        if build_encoder is not encoder:
            extrapolated = build_encoder.extrapolated_s
            t_build += extrapolated
            engine.encoder = encoder
        runs = b.collect(engine, queries)
        oos_runs = b.collect(engine, oos)
        if tune and size == len(real):
            tune_runs = [r for r in runs if r.q.split == "tune"]
            tune_oos = [r for r in oos_runs if r.q.split == "tune"]
            cfg, grid = b.tune(tune_runs, tune_oos, cfg)
            engine.config = cfg
            echo("\n融合参数网格（tune 一半，按 MRR 排序，前 5）：MRR hit@1 hit@5 passage_weight dense_weight "
                 "lexical_saturation")
            for row in grid[:5]:
                echo("  " + "  ".join(str(x) for x in row))
            echo(f"选定：passage_weight={cfg.passage_weight} dense_weight={cfg.dense_weight} "
                 f"lexical_saturation={cfg.lexical_saturation} "
                 f"confidence={cfg.confidence}（{cfg.confidence_feature}） confidence_dense={cfg.confidence_dense} "
                 f"confidence_bm25={cfg.confidence_bm25}")
            report["tuned"] = {k: getattr(cfg, k) for k in ("passage_weight", "dense_weight", "lexical_saturation",
                                                            "confidence", "confidence_feature",
                                                            "confidence_dense", "confidence_bm25")}
        quality = {}
        for mode in ("hybrid", "bm25", "dense"):
            for split in ("all", "tune", "test"):
                sel = [r for r in runs if split == "all" or r.q.split == split]
                sel_oos = [r for r in oos_runs if split == "all" or r.q.split == split]
                quality[(mode, split)] = b.evaluate(sel, sel_oos, mode, cfg)
        lat = b.latency(engine, [q.q for q in queries] + [q.q for q in oos], rounds=rounds)
        recall = b.ann_recall(engine, [q.q for q in queries[:100]])
        row = {
            "size": size, "faiss": engine.state.dense.kind, "build_s": round(t_build, 1),
            "build_extrapolated_s": round(extrapolated, 1), "rows": int(len(engine.state.table.ids)),
            "ann_recall10": None if recall is None else round(recall, 3),
            "tokenizer_s": round(t_tok, 2),
            "hybrid_ms": [round(x, 2) for x in lat["hybrid"]], "encode_ms": [round(x, 2) for x in lat["encode"]],
            "rss_mb": round(b.current_rss_mb(), 0), "rss_delta_mb": round(b.current_rss_mb() - rss_before, 0),
            "peak_rss_mb": round(b.peak_rss_mb(), 0),
            "quality": {f"{m}/{s}": {"hit1": q.hit1, "hit5": q.hit5, "mrr": q.mrr, "rejected": q.rejected,
                                     "confident": q.confident, "confident_wrong": q.confident_wrong,
                                     "n": q.n, "n_oos": q.n_oos}
                        for (m, s), q in quality.items()},
            "misses": quality[("hybrid", "all")].misses,
        }
        report["scales"].append(row)
        echo("")
        echo(render_scale(row))
        engine = runs = oos_runs = None  # free the index before the next size
    report["seconds"] = round(time.time() - started, 1)
    table = render(report)
    echo("\n" + table)
    if json_out:
        Path(json_out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    if write_docs:
        write_section(table, report)
        echo(f"已写入 {DOCS.relative_to(ROOT)}")


def render_scale(row: dict) -> str:
    h, e = row["hybrid_ms"], row["encode_ms"]
    extra = f"（其中 {row['build_extrapolated_s']} s 为扩充条目向量化的外推）" if row["build_extrapolated_s"] else ""
    lines = [f"规模 {row['size']} 条，{row['rows']} 个向量（faiss {row['faiss']}）：构建 {row['build_s']} s{extra}；"
             f"混合查询 p50/p95/p99 {h[0]:.1f}/{h[1]:.1f}/{h[2]:.1f} ms；"
             f"纯编码 {e[0]:.1f}/{e[1]:.1f}/{e[2]:.1f} ms；RSS {row['rss_mb']:.0f} MB（峰值 {row['peak_rss_mb']:.0f} MB）"]
    for mode in ("hybrid", "bm25", "dense"):
        q = row["quality"][f"{mode}/all"]
        lines.append(f"  {mode:<7} hit@1 {q['hit1']:.3f}  hit@5 {q['hit5']:.3f}  MRR {q['mrr']:.3f}  "
                     f"范围外拒答 {q['rejected']:.3f}  范围内有把握 {q['confident']:.3f}"
                     f"（其中答错 {q['confident_wrong']:.3f}）")
    return "\n".join(lines)


def render(report: dict) -> str:
    base = report["scales"][0]
    out = ["### 质量（黄金集；tune 一半用来选融合参数和置信阈值，test 一半只报告）", "",
           f"目录 {report['catalog']} 条，黄金查询 {report['golden']} 条，范围外 {report['out_of_scope']} 条；"
           f"编码器 `{report['encoder']}`。", "",
           "| 方法 | 数据 | hit@1 | hit@5 | MRR | 范围外拒答率 | 范围内有把握率 |",
           "|---|---|---|---|---|---|---|"]
    names = {"hybrid": "混合", "bm25": "仅 BM25", "dense": "仅向量"}
    for mode in ("hybrid", "bm25", "dense"):
        for split in ("all", "tune", "test"):
            q = base["quality"][f"{mode}/{split}"]
            out.append(f"| {names[mode]} | {split} ({q['n']}/{q['n_oos']}) | {q['hit1']:.3f} | {q['hit5']:.3f} | "
                       f"{q['mrr']:.3f} | {q['rejected']:.3f} | {q['confident']:.3f} |")
    out += ["", "### 速度与规模（2 核；同一次运行里测混合查询和纯查询编码）", "",
            "| 条目数 | 向量数 | faiss（近似/精确 recall@10） | 构建 s | 混合 p50/p95/p99 ms | 纯编码 p50/p95/p99 ms | 混合/编码 p50 | "
            "混合 hit@1 | 混合 hit@5 | 常驻内存 MB | 峰值内存 MB | 8 并发 QPS（API） |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in report["scales"]:
        h, e = row["hybrid_ms"], row["encode_ms"]
        q = row["quality"]["hybrid/all"]
        build = f"{row['build_s']}" + ("*" if row["build_extrapolated_s"] else "")
        faiss_kind = row["faiss"] if row["ann_recall10"] is None else f"{row['faiss']} ({row['ann_recall10']:.3f})"
        out.append(f"| {row['size']} | {row['rows']} | {faiss_kind} | {build} | {h[0]:.1f} / {h[1]:.1f} / {h[2]:.1f} | "
                   f"{e[0]:.1f} / {e[1]:.1f} / {e[2]:.1f} | {h[0] / e[0]:.2f}x | {q['hit1']:.3f} | {q['hit5']:.3f} | "
                   f"{row['rss_mb']:.0f} | {row['peak_rss_mb']:.0f} | 见 API 一节 |")
    if any(row["build_extrapolated_s"] for row in report["scales"]):
        out += ["", "\\* 扩充条目（生成的干扰项）的向量由 2000 条真实编码加噪声合成，构建时间里它们的向量化部分按实测"
                "吞吐外推；加 `--embed-padding` 可全部真实向量化（10 万条约一小时）。查询延迟、内存和近似检索都在真实规模的"
                "索引上实测。"]
    return "\n".join(out)


def write_section(table: str, report: dict) -> None:
    cmd = "lifebot bench search " + " ".join(sys.argv[3:]) if len(sys.argv) > 3 else "lifebot bench search"
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    body = f"{BEGIN}\n最近一次：{stamp}，命令 `{cmd}`，用时 {report['seconds']} s。\n\n{table}\n{END}"
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# 基准测试\n\n## 搜索\n\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + body + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text, encoding="utf-8")


@bench.command("api")
@click.option("--clients", default="1,8", show_default=True, help="逗号分隔的并发客户端数。")
@click.option("--requests", "total", default=400, show_default=True, help="每种并发下发出的请求总数。")
@click.pass_obj
def api_bench(settings, clients: str, total: int) -> None:
    """启动 API（测试端口），用黄金集查询并发请求 GET /api/search，报告 QPS 与延迟。

    Example: lifebot bench api --clients 1,8 --requests 400
    """
    import asyncio
    import os

    from catalog.search.bench import load_golden
    from lifebot.bench_api import load
    from lifebot.processes import Stack

    queries = [q.q for q in load_golden()[0]]
    settings_path = click.get_current_context().find_root().params.get("settings_path")
    stack = Stack(settings, settings_path, echo=click.echo, base_env=dict(os.environ))
    stack.services = [s for s in stack.services if s.name == "api"]
    stack.start()
    token = {"X-Lifebot-Token": stack.env["LIFEBOT_INTERNAL_TOKEN"]}  # measured, not rate-limited
    try:
        asyncio.run(load(settings.api_base_url, queries, 2, 20, token))  # warm-up
        click.echo("| 并发客户端 | 请求数 | 错误 | QPS | 延迟 p50 / p95 / p99 ms |")
        click.echo("|---|---|---|---|---|")
        for n in (int(c) for c in clients.split(",")):
            click.echo(asyncio.run(load(settings.api_base_url, queries, n, total, token)).row())
    finally:
        stack.stop()


@bench.command("nlu")
@click.pass_obj
def nlu_bench(settings) -> None:
    """在留出的 NLU 测试集（tests/nlu/test_nlu.yml，不参与训练）上测意图准确率和实体 F1。

    Example: lifebot bench nlu
    """
    from lifebot.nlu_eval import evaluate

    click.echo(evaluate().summary())


@bench.command("route")
@click.option("--tune", is_flag=True, help="另报 tune 部分的 5 折交叉验证（阈值就是在这上面选的）。")
@click.option("--write-docs", is_flag=True, help="把结果表写进 docs/benchmarks.md 的派单一节。")
@click.pass_obj
def route_bench(settings, tune: bool, write_docs: bool) -> None:
    """派单分类：分类模型与关键词规则基线，在留出集上按部门、执法队伍报准确率和错分。

    Example: lifebot bench route --write-docs
    """
    from lifebot.commands.route_bench import run

    run(settings, tune, write_docs)
@bench.command("console")
@click.option("--queries", "count", default=60, show_default=True, help="打字模拟的黄金集查询条数。")
@click.pass_obj
def console_bench(settings, count: int) -> None:
    """启动 API，模拟话务员逐字输入黄金集查询，测 GET /api/console/suggest 的延迟（目标 < 300 ms）。

    Example: lifebot --settings settings/test.yaml bench console --queries 60
    """
    import asyncio
    import os

    from accounts.staff import Staff
    from catalog.search.bench import load_golden
    from lifebot.bench_console import bench_account, load
    from lifebot.processes import Stack

    queries = [q.q for q in load_golden()[0]][:count]
    settings_path = click.get_current_context().find_root().params.get("settings_path")
    staff = Staff.from_settings(settings)
    username, password = bench_account(staff)
    stack = Stack(settings, settings_path, echo=click.echo, base_env=dict(os.environ))
    stack.services = [s for s in stack.services if s.name == "api"]
    stack.start()
    try:
        asyncio.run(load(settings.api_base_url, username, password, queries[:5]))  # warm-up
        result = asyncio.run(load(settings.api_base_url, username, password, queries))
        click.echo("| 请求数 | 错误 | 延迟 p50 / p95 / p99 ms | 最大 ms |")
        click.echo("|---|---|---|---|")
        click.echo(result.row())
    finally:
        stack.stop()
        staff.users.set_active(username, False)
        staff.close()
@bench.command("booking")
@click.option("--clients", default="1,8", show_default=True, help="逗号分隔的并发客户端数。")
@click.option("--requests", "total", default=1000, show_default=True, help="每种并发下的预约请求数。")
@click.option("--database-url", default="", help="用这个数据库（如 PostgreSQL）；默认临时目录里的 SQLite。")
@click.pass_obj
def booking_bench(settings, clients: str, total: int, database_url: str) -> None:
    """在全新的数据库上启动 API，并发提交预约（每个请求一个空位、一个手机号），报告每秒预约数。

    Example: lifebot bench booking --clients 1,8 --requests 1000
    """
    import asyncio
    import dataclasses
    import os
    import tempfile

    from booking.halls import ALL_TOWN_HALLS
    from catalog.seed import seed
    from catalog.store import CatalogStore
    from lifebot.bench_booking import load, places
    from lifebot.processes import Stack

    var_dir = Path(tempfile.mkdtemp(prefix="lifebot-bench-booking-"))
    run = dataclasses.replace(settings, var_dir=var_dir, database_url=database_url, api_port=_free_port())
    store = CatalogStore(run.db_url)
    seed(store)
    service = next(e.id for e in store.entries() if e.appointment and e.locations
                   and e.locations[0].name == ALL_TOWN_HALLS)
    store.close()
    env = {**os.environ, "LIFEBOT_VAR_DIR": str(var_dir), "LIFEBOT_API_PORT": str(run.api_port),
           **({"LIFEBOT_DATABASE_URL": database_url} if database_url else {})}
    settings_path = click.get_current_context().find_root().params.get("settings_path")
    stack = Stack(run, settings_path, echo=click.echo, base_env=env)
    stack.services = [s for s in stack.services if s.name == "api"]
    stack.start()
    token = {"X-Lifebot-Token": stack.env["LIFEBOT_INTERNAL_TOKEN"]}  # measured, not rate-limited
    try:
        counts = [int(c) for c in clients.split(",")]
        todo = asyncio.run(places(run.api_base_url, service, total * len(counts) + 20, token))
        asyncio.run(load(run.api_base_url, todo[:20], 2, 90_000_000, token))  # warm-up
        click.echo(f"服务 {service}，数据库 {run.db_url.split(':')[0]}")
        click.echo("| 并发客户端 | 请求数 | 成功 | 拒绝 | 每秒预约数 | 延迟 p50 / p95 / p99 ms |")
        click.echo("|---|---|---|---|---|---|")
        for k, n in enumerate(counts):
            batch = todo[20 + k * total: 20 + (k + 1) * total]
            click.echo(asyncio.run(load(run.api_base_url, batch, n, k * total, token)).row())
    finally:
        stack.stop()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@bench.command("load")
@click.option("--url", default="", help="Rasa 的地址（或其 REST 接口 …/webhooks/rest/webhook）；默认设置里的单机 Rasa。")
@click.option("--parse-url", default="",
              help="测裸 /model/parse 用的 Rasa 地址，逗号分隔可给多台（并发居民平均分到各台）；默认同 --url。")
@click.option("--start", type=click.Choice(["single"]), default=None,
              help="自己在临时数据目录里启动单机助手（API、动作服务器、Rasa）再测，测完停掉并删除目录。")
@click.option("--users", default="1,10,50", show_default=True, help="逗号分隔的并发居民数，每个一档。")
@click.option("--seconds", default=60.0, show_default=True, help="每档最多多少秒（到时说完当前这句就停）。")
@click.option("--conversations", default=0, show_default=True, help="每档最多多少段对话；0 表示只按时间。")
@click.option("--think", default=1.0, show_default=True, help="居民每轮之间平均停几秒（0.5–1.5 倍随机）。")
@click.option("--timeout", default=60.0, show_default=True, help="一轮超过这么多秒算超时错误。")
@click.option("--seed", default=9, show_default=True, help="随机种子（选哪句话、点哪个按钮）。")
@click.option("--json", "json_out", type=click.Path(dir_okay=False), default=None, help="另存一份 JSON 结果。")
@click.option("--write-docs", "layout", default="", help="把表格写进 docs/benchmarks.md，按布局名分块（如 single、scaled）。")
@click.pass_context
def load_bench(ctx: click.Context, url: str, parse_url: str, start: str | None, users: str, seconds: float,
               conversations: int, think: float, timeout: float, seed: int, json_out: str | None,
               layout: str) -> None:
    """模拟居民通过 REST 渠道进行多轮对话（问服务再追问、预约、反映问题、闲聊），报告各并发档的整轮延迟和
    错误率，并在同一次运行里以同样并发对同样的话测裸 Rasa /model/parse 作为下限。

    Example: lifebot bench load --start single --users 1,10,50 --seconds 60 --json load.json
    """
    import contextlib

    from lifebot.load import report
    from lifebot.load.run import base_of, measure, single_stack
    from lifebot.rasa_auth import rasa_token

    settings = ctx.obj
    levels = [int(n) for n in users.split(",") if n.strip()]
    if not levels or min(levels) < 1:
        raise click.BadParameter("并发居民数要是正整数，如 1,10,50", param_hint="--users")
    if start and url:
        raise click.BadParameter("--start 和 --url 只能选一个", param_hint="--start")
    settings_path = ctx.find_root().params.get("settings_path")
    try:
        with (single_stack(settings, settings_path, click.echo) if start else contextlib.nullcontext()) as started:
            target = base_of(started.rasa_url if started else url or settings.rasa_base_url)
            token = started.token if started else rasa_token(settings)
            parse_urls = [base_of(u) for u in parse_url.split(",") if u.strip()] or [target]
            result = measure(target, parse_urls, token, levels, seconds, conversations, think, timeout, seed,
                             click.echo)
            # Known only for the stack started here; with --url the API may be anywhere (or several).
            result["embedding_model"] = started.embedding_model if started else None
    except (RuntimeError, TimeoutError) as exc:
        raise click.ClickException(str(exc)) from None
    result["command"] = "lifebot " + " ".join(sys.argv[1:])
    click.echo("\n" + report.table(result["levels"]) + "\n\n" + report.kinds_table(result["levels"]))
    if json_out:
        Path(json_out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    if layout:
        report.write_docs(layout, result["command"], result)
        click.echo(f"已写入 {report.DOCS.relative_to(ROOT)}")
