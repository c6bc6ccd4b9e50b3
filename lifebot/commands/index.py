"""`lifebot index`: build and inspect the search index (var/index)."""

from __future__ import annotations

import json

import click


@click.group()
def index() -> None:
    """搜索索引的构建与查看。

    Example: lifebot index build
    """


@index.command()
@click.option("--rebuild", is_flag=True, help="删除现有索引后从头构建。")
@click.pass_obj
def build(settings, rebuild: bool) -> None:
    """按当前服务目录构建（或增量更新）搜索索引（Rasa 用的 jieba 词典由 lifebot setup 生成）。

    Example: lifebot index build --rebuild
    """
    from catalog.search.factory import engine_from_settings

    engine = engine_from_settings(settings, progress=True, rebuild=rebuild)
    click.echo(f"索引就绪：{engine.size} 条服务，目录版本 {engine.catalog_version}，位置 {settings.index_dir}")


@index.command()
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@click.pass_obj
def status(settings, as_json: bool) -> None:
    """查看索引与服务目录是否一致。

    Example: lifebot index status
    """
    from catalog.search.engine import read_index_config
    from catalog.store import CatalogStore

    info = read_index_config(settings.index_dir)
    store = CatalogStore(settings.db_url)
    try:
        version = store.version()
    finally:
        store.close()
    if info is None:
        report = {"index_dir": str(settings.index_dir), "exists": False, "catalog_version": version,
                  "up_to_date": False}
    else:
        report = {
            "index_dir": str(settings.index_dir), "exists": True, "model": info["model"],
            "dimensions": info["dimensions"], "entries": info["entries"], "faiss": info["faiss"]["type"],
            "built_at": info["built_at"], "index_catalog_version": info["catalog_version"],
            "catalog_version": version, "up_to_date": info["catalog_version"] == version,
        }
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    if not report["exists"]:
        click.echo(f"还没有索引（{settings.index_dir}）。请运行：lifebot index build")
        return
    state = "一致" if report["up_to_date"] else "落后，下次启动或 lifebot index build 时增量更新"
    click.echo(f"索引目录：{report['index_dir']}\n模型：{report['model']}（{report['dimensions']} 维，faiss {report['faiss']}）\n"
               f"条目：{report['entries']}\n构建时间：{report['built_at']}\n"
               f"索引目录版本 {report['index_catalog_version']}，服务目录版本 {report['catalog_version']}：{state}")
