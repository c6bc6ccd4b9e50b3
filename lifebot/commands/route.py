"""`lifebot route`: where a resident's request would go (nothing is created)."""

from __future__ import annotations

import json
import sys

import click


def make_router(settings):
    from catalog.search.encoder import make_encoder
    from routing.classify.model import USE_ENCODER, RequestClassifier
    from routing.router import Router

    encoder = make_encoder(settings.encoder, settings.encoder_model_dir) if USE_ENCODER else None
    return Router(RequestClassifier.trained(encoder))


@click.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（与 POST /api/route 相同）。")
@click.pass_obj
def route(settings, text: str, as_json: bool) -> None:
    """判断一条诉求该由哪个部门、执法队伍和网格处理（不创建工单）。

    Example: lifebot route "楼下饭店油烟太大" --json
    """
    if not text.strip() or len(text) > 500:
        click.echo("错误：请说明要反映的问题（不超过 500 个字）", err=True)
        sys.exit(2)
    result = make_router(settings).route(text)
    body = result.to_dict()
    if as_json:
        click.echo(json.dumps(body, ensure_ascii=False))
        return
    grid = body["grid"]
    click.echo(f"类别：{body['category']}（把握 {body['confidence']:.2f}）")
    click.echo(f"部门：{body['department']}" + (f"；执法队伍：{body['team']}" if body["team"] else ""))
    click.echo(f"网格：{grid['code']} {grid['name']}（{grid['worker']['role']} {grid['worker']['name']}）"
               if grid else f"网格：未定（{result.place.question}）")
    if body["urgent"]:
        from routing.urgent import advice

        click.echo(advice(text))
