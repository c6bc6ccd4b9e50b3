"""The body of `lifebot bench route` (kept apart from bench.py, which holds the search benchmarks)."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import click

from lifebot.settings import ROOT

DOCS = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench-route:begin -->", "<!-- bench-route:end -->"
COMMAND = "lifebot bench route --tune --write-docs"


def run(settings, tune: bool, write_docs: bool) -> None:
    from catalog.search.encoder import make_encoder
    from routing.bench import cross_validate, evaluate, render
    from routing.classify.baseline import KeywordBaseline
    from routing.classify.cached import CachedEncoder
    from routing.classify.model import THRESHOLD, USE_ENCODER, RequestClassifier
    from routing.classify.taxonomy import labelled

    started = time.time()
    encoder = CachedEncoder(make_encoder(settings.encoder, settings.encoder_model_dir)) if USE_ENCODER else None
    tune_part, heldout = labelled("tune"), labelled("heldout")
    model = RequestClassifier.trained(encoder, examples=tune_part)
    results = {"分类模型": evaluate(model.predict, heldout, THRESHOLD), "关键词规则": evaluate(KeywordBaseline().predict, heldout)}
    header = (f"留出集 {len(heldout)} 条（分类模型只在 tune 部分 {len(tune_part)} 条和类别关键词上拟合；"
              f"置信阈值 {THRESHOLD}，低于它转 12345 分派台）。")
    text = render(results, header)
    if tune:
        folds = cross_validate(lambda train: RequestClassifier.trained(encoder, examples=train), tune_part,
                               (0.0, 0.1, THRESHOLD, 0.3))
        lines = ["", "tune 部分 5 折交叉验证（选阈值用）：", "", "| 阈值 | 部门+队伍准确率 | 转分派台比例 |", "|---|---|---|"]
        lines += [f"| {t} | {r['routing_accuracy']:.3f} | {r['desk_rate']:.3f} |" for t, r in folds.items()]
        text += "\n" + "\n".join(lines)
    click.echo(text)
    if write_docs:
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        section = f"{BEGIN}\n最近一次：{stamp}，命令 `{COMMAND}`，用时 {time.time() - started:.1f} s。\n\n{text}\n{END}"
        doc = DOCS.read_text(encoding="utf-8")
        if BEGIN in doc:
            doc = doc[: doc.index(BEGIN)] + section + doc[doc.index(END) + len(END):]
        else:
            doc = doc.rstrip("\n") + "\n\n## 派单（issue 7）\n\n" + INTRO + "\n\n" + section + "\n"
        DOCS.write_text(doc, encoding="utf-8")


INTRO = """标注集：`routing/data/labelled/`，408 条居民口语诉求，覆盖 25 个类别、21 个部门和单位、7 支综合行政执法队伍；
按文本哈希固定分成 tune（292 条）和留出（116 条）。分类模型（字 1-3 元 TF-IDF + e5 句向量，逻辑回归）
只在 tune 部分拟合，特征、C 和阈值只在 tune 部分的交叉验证上选；留出部分只在这里报告。关键词规则基线用
`routing/data/categories.csv` 里每个类别的关键词，命中最多者胜，没命中的转 12345 分派台。
转分派台的诉求在准确率里算错。"""
