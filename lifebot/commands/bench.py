"""`lifebot bench`: measurements (search quality and speed)."""

from __future__ import annotations

import click


@click.group()
def bench() -> None:
    """性能与质量测量。

    Example: lifebot bench search
    """


@bench.command("search")
@click.pass_obj
def search_bench(settings) -> None:
    """在黄金查询集上测量搜索质量与速度（混合 / 仅 BM25 / 仅向量）。

    Example: lifebot bench search --scale 20000
    """
    raise click.ClickException("尚未实现")
