"""`lifebot search`: query the catalog from the shell."""

from __future__ import annotations

import json
import sys

import click


def _tristate(value: str | None) -> bool | None:
    return None if value is None else value == "yes"


@click.command()
@click.argument("query")
@click.option("--top", default=5, show_default=True, type=click.IntRange(1, 50), help="返回几条结果。")
@click.option("--kind", default=None, help="只看某一类：government / public / convenience / welfare / information。")
@click.option("--category", default=None, help="只看某个分类，例如 户籍办理。")
@click.option("--department", default=None, help="只看某个部门。")
@click.option("--online", type=click.Choice(["yes", "no"]), default=None, help="只看能/不能网上办的。")
@click.option("--bookable", type=click.Choice(["yes", "no"]), default=None, help="只看能/不能预约的。")
@click.option("--explain", is_flag=True, help="说明每条结果为什么匹配。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（与 GET /api/search 相同）。")
@click.pass_obj
def search(settings, query, top, kind, category, department, online, bookable, explain, as_json) -> None:
    """在服务目录里搜索居民说的话。

    Example: lifebot search "孩子要上户口" --top 5 --json
    """
    from catalog.search.factory import engine_from_settings
    from catalog.search.validate import QueryError, validate_query

    try:
        validate_query(query)
    except QueryError as exc:
        if as_json:
            click.echo(json.dumps(exc.to_dict(), ensure_ascii=False))
        click.echo(f"错误：{exc.message}", err=True)
        sys.exit(2)
    engine = engine_from_settings(settings)
    result = engine.search(query, top=top, kind=kind, category=category, department=department,
                           online=_tristate(online), bookable=_tristate(bookable), explain=explain)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(format_table(result))


def format_table(result: dict) -> str:
    lines = [f"查询：{result['query']}"]
    if not result["results"]:
        lines.append("没有找到相关服务。")
        return "\n".join(lines)
    if not result["confident"]:
        lines.append("（没有把握：目录里可能没有您要办的事，以下仅供参考）")
    lines.append(f"{'序号':<4}{'分数':<8}{'名称':<24}{'分类':<10}部门")
    for i, item in enumerate(result["results"], 1):
        lines.append(f"{i:<6}{item['score']:<10.4f}{item['name']:<24}{item['category']:<10}{item['department']}")
        if "explain" in item:
            lines.append(f"      {item['explain']['summary']}")
    return "\n".join(lines)
