"""``lifebot catalog ...``: the maintainers' tools for the service catalog."""

from __future__ import annotations

import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from catalog.errors import CatalogError
from catalog.fields import LABELS, parse_assignments

AUTHOR_HELP = "修改人（默认取环境变量 LIFEBOT_AUTHOR，否则为当前系统用户）"


class CatalogCommandError(click.ClickException):
    def show(self, file: Any = None) -> None:
        click.echo(f"错误：{self.format_message()}", err=True)


def _default_author() -> str:
    try:
        return os.environ.get("LIFEBOT_AUTHOR") or getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container: make them say who they are
        return ""


def change_options(func: Any) -> Any:
    func = click.option("--reason", default=None, help="修改原因（必填，写进历史记录）")(func)
    return click.option("--author", default=_default_author, show_default="$LIFEBOT_AUTHOR 或系统用户",
                        help=AUTHOR_HELP)(func)


def _who(author: str, reason: str | None) -> tuple[str, str]:
    from catalog.seed import SEED_AUTHOR

    if not reason or not reason.strip():
        raise CatalogCommandError("必须用 --reason 注明修改原因")
    if not author.strip():
        raise CatalogCommandError("必须用 --author 或环境变量 LIFEBOT_AUTHOR 注明修改人")
    if author.strip() == SEED_AUTHOR:
        raise CatalogCommandError(f"修改人不能是「{SEED_AUTHOR}」，这个名字留给 lifebot catalog seed")
    return author, reason


class StoreGroup(click.Group):
    """Turns catalog errors into a Chinese message and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        from sqlalchemy.exc import ArgumentError, OperationalError

        try:
            return super().invoke(ctx)
        except CatalogError as exc:
            raise CatalogCommandError(str(exc)) from None
        except (OperationalError, ArgumentError) as exc:
            raise CatalogCommandError(f"无法打开目录数据库：{exc.args[0] if exc.args else exc}") from None
        except OSError as exc:
            raise CatalogCommandError(f"无法读写文件 {exc.filename or ''}：{exc.strerror or exc}") from None


def open_store(ctx: click.Context) -> Any:
    from catalog.store import CatalogStore
    from lifebot.settings import load_settings

    settings = ctx.find_root().obj or load_settings()
    store = CatalogStore(settings.db_url)
    ctx.call_on_close(store.close)
    return store


def _known() -> tuple[list[str] | None, dict[str, set[str]] | None]:
    from catalog.validate import load_categories, load_departments

    return load_departments(), load_categories()


def _check_against_catalog(store: Any, entry: Any) -> None:
    """Refuse an entry the catalog validation would flag as an error (bad phone, unknown department...)."""
    from catalog.validate import check_in_catalog

    report = check_in_catalog(store.entries(include_retired=True), entry, *_known())
    if report.errors:
        raise CatalogCommandError("\n".join(str(p) for p in report.errors))


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(cls=StoreGroup)
def catalog() -> None:
    """维护服务目录：查看、增改、停用、导入导出、历史与回滚、校验。

    \b
    示例：lifebot catalog list --kind government --department 江阴市公安局
    """


@catalog.command()
@click.option("--data-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="种子文件目录（默认 catalog/data/services）")
@click.pass_context
def seed(ctx: click.Context, data_dir: Path | None) -> None:
    """把 catalog/data/services/*.jsonl 载入目录库（可重复执行，不覆盖维护人的修改）。

    \b
    示例：lifebot catalog seed
    """
    from catalog.seed import SERVICES_DIR
    from catalog.seed import seed as run_seed

    directory = data_dir or SERVICES_DIR
    paths = sorted(directory.glob("*.jsonl"))
    if not paths:
        raise CatalogCommandError(f"{directory} 下没有 .jsonl 种子文件")
    report = run_seed(open_store(ctx), paths)
    click.echo(report.summary())


@catalog.command("list")
@click.option("--kind", help="类型：government / public / convenience / welfare / information")
@click.option("--category", help="分类")
@click.option("--department", help="部门")
@click.option("--status", type=click.Choice(["active", "retired", "all"]), default="active", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_context
def list_(ctx: click.Context, kind: str | None, category: str | None, department: str | None,
          status: str, as_json: bool) -> None:
    """列出条目。

    \b
    示例：lifebot catalog list --kind convenience --status all --json
    """
    found = [e for e in open_store(ctx).entries(include_retired=status != "active")
             if (status in ("all", e.status)) and kind in (None, e.kind)
             and category in (None, e.category) and department in (None, e.department)]
    if as_json:
        _print_json([e.to_dict() for e in found])
        return
    for e in found:
        click.echo(f"{e.id}\t{e.kind}\t{e.category}\t{e.name}{'（已停用）' if e.status == 'retired' else ''}")
    click.echo(f"共 {len(found)} 条", err=True)


@catalog.command()
@click.argument("entry_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_context
def show(ctx: click.Context, entry_id: str, as_json: bool) -> None:
    """显示一个条目的全部字段。

    \b
    示例：lifebot catalog show gov-hpf-unit-register --json
    """
    from catalog.fields import format_value

    data = open_store(ctx).require(entry_id).to_dict()
    if as_json:
        _print_json(data)
        return
    for name, value in data.items():
        click.echo(f"{LABELS[name]}（{name}）：{format_value(name, value)}")


@catalog.command()
@click.argument("args", nargs=-1, metavar="[FILE|-] [字段=值]...")
@click.option("--id", "entry_id", help="编号")
@click.option("--name", help="名称")
@click.option("--kind", help="类型")
@click.option("--category", help="分类")
@click.option("--department", help="部门")
@change_options
@click.pass_context
def add(ctx: click.Context, args: tuple[str, ...], entry_id: str | None, name: str | None, kind: str | None,
        category: str | None, department: str | None, author: str, reason: str | None) -> None:
    """新增条目：从 JSON 文件、标准输入（-）或选项和 字段=值 读入。

    \b
    示例：lifebot catalog add new.json --reason "新增服务"
          （new.json 是一个条目的 JSON，可用 lifebot catalog show ID --json > new.json 取样再改）
    示例：lifebot catalog add --id conv-unlock --name 开锁服务 --kind convenience \\
            --category 开锁换锁 --department 江阴市便民服务平台 phone=0510-86860001 --reason 新增
    """
    from catalog.fields import entry_from_document

    author, reason = _who(author, reason)
    files = [a for a in args if "=" not in a]
    if len(files) > 1:
        raise CatalogCommandError("一次只能从一个文件新增；批量请用 lifebot catalog import")
    doc: dict[str, Any] = {}
    if files:
        text = sys.stdin.read() if files[0] == "-" else Path(files[0]).read_text(encoding="utf-8")
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CatalogCommandError(f"不是合法的 JSON（{exc.msg}，第 {exc.lineno} 行）") from None
        if not isinstance(doc, dict):
            raise CatalogCommandError("文件应为一个 JSON 对象；批量请用 lifebot catalog import")
    options = dict(id=entry_id, name=name, kind=kind, category=category, department=department)
    doc.update({k: v for k, v in options.items() if v is not None})
    doc.update(parse_assignments(tuple(a for a in args if "=" in a)))
    for managed in ("version", "updated_at"):
        doc.pop(managed, None)
    entry = entry_from_document(doc)
    store = open_store(ctx)
    if store.get(entry.id) is not None:
        raise CatalogCommandError(f"编号 {entry.id} 已存在，不能重复添加；修改请用 edit")
    _check_against_catalog(store, entry)
    saved = store.add(entry, author, reason)
    click.echo(f"已新增 {saved.id} {saved.name}（第 {saved.version} 版）")


@catalog.command()
@click.argument("entry_id", metavar="ID")
@click.argument("assignments", nargs=-1, required=True, metavar="字段=值...")
@change_options
@click.pass_context
def edit(ctx: click.Context, entry_id: str, assignments: tuple[str, ...], author: str, reason: str | None) -> None:
    """修改条目的字段。列表写成 JSON 或用 | 分隔，布尔值写 true/false，locations 和 source 写 JSON。

    修改前会校验（类型、电话格式、部门、重名），有错误就不写入。

    \b
    示例：lifebot catalog edit gov-hpf-unit-register phone=0510-86863701 "aliases=公积金开户|单位公积金开户" --reason "别名补充"
    """
    from catalog.fields import NOT_EDITABLE, entry_from_document

    author, reason = _who(author, reason)
    changes = parse_assignments(assignments)
    for name in changes:
        if name in NOT_EDITABLE:
            raise CatalogCommandError(f"字段 {name} 不能用 edit 修改：{NOT_EDITABLE[name]}")
    store = open_store(ctx)
    entry = entry_from_document({**store.require(entry_id).to_dict(), **changes})
    _check_against_catalog(store, entry)
    saved = store.update(entry_id, changes, author, reason)
    click.echo("没有变化" if saved is None else f"已修改 {entry_id}（第 {saved.version} 版）")


def _set_status(ctx: click.Context, entry_id: str, status: str, author: str, reason: str | None) -> None:
    author, reason = _who(author, reason)
    saved = open_store(ctx).set_status(entry_id, status, author, reason)
    click.echo(f"已{'停用' if status == 'retired' else '恢复'} {entry_id}（第 {saved.version} 版）")


@catalog.command()
@click.argument("entry_id", metavar="ID")
@change_options
@click.pass_context
def retire(ctx: click.Context, entry_id: str, author: str, reason: str | None) -> None:
    """停用条目（保留历史，可用 restore 恢复）。

    \b
    示例：lifebot catalog retire gov-hpf-unit-register --reason "事项已取消"
    """
    _set_status(ctx, entry_id, "retired", author, reason)


@catalog.command()
@click.argument("entry_id", metavar="ID")
@change_options
@click.pass_context
def restore(ctx: click.Context, entry_id: str, author: str, reason: str | None) -> None:
    """恢复已停用的条目。

    \b
    示例：lifebot catalog restore gov-hpf-unit-register --reason "服务恢复"
    """
    _set_status(ctx, entry_id, "active", author, reason)


@catalog.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "jsonl"]), default=None,
              help="文件格式（默认按扩展名判断）")
@click.option("--dry-run", is_flag=True, help="只显示差异和校验结果，不写入")
@change_options
@click.pass_context
def import_(ctx: click.Context, file: Path, fmt: str | None, dry_run: bool, author: str,
            reason: str | None) -> None:
    """从 CSV、XLSX 或 JSONL 导入（整批一个事务：任何一行有错就一条也不写）。

    \b
    示例：lifebot catalog import changes.xlsx --dry-run
    示例：lifebot catalog import changes.csv --reason "2026 年事项清单调整"
    """
    from catalog.importer import apply, plan, render

    if not dry_run:
        author, reason = _who(author, reason)
    store = open_store(ctx)
    planned = plan(store, file, fmt, *_known())
    click.echo(render(planned))
    if not planned.ok:
        raise CatalogCommandError("导入有错误，未写入任何条目" if not dry_run else "预演发现错误")
    if dry_run:
        click.echo("（预演，未写入）")
        return
    assert reason is not None
    count = apply(store, planned, author, reason)
    click.echo(f"已导入：{count} 条写入，目录版本 {store.version()}")


@catalog.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "xlsx"]), default="jsonl", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="输出文件（默认标准输出；xlsx 必须指定）")
@click.option("--status", type=click.Choice(["active", "retired", "all"]), default="all", show_default=True)
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None, status: str) -> None:
    """导出全部条目（JSONL 每行一个条目，含全部字段）。

    \b
    示例：lifebot catalog export --format jsonl > catalog.jsonl
    示例：lifebot catalog export --format xlsx --output catalog.xlsx
    """
    from catalog import exporter

    found = [e for e in open_store(ctx).entries(include_retired=True) if status in ("all", e.status)]
    if fmt == "xlsx":
        if output is None:
            raise CatalogCommandError("导出 xlsx 需要用 --output 指定文件")
        exporter.write_xlsx(found, output)
    elif output is None:
        (exporter.write_jsonl if fmt == "jsonl" else exporter.write_csv)(found, click.get_text_stream("stdout"))
    else:
        with output.open("w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as out:
            (exporter.write_jsonl if fmt == "jsonl" else exporter.write_csv)(found, out)
    if output is not None:
        click.echo(f"已导出 {len(found)} 条到 {output}", err=True)


@catalog.command()
@click.argument("entry_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_context
def history(ctx: click.Context, entry_id: str, as_json: bool) -> None:
    """显示条目的每个版本：谁、何时、改了什么、为什么。

    \b
    示例：lifebot catalog history gov-hpf-unit-register
    """
    from catalog.history import changes, render

    records = changes(open_store(ctx).history(entry_id))
    if as_json:
        _print_json(records)
    else:
        click.echo(render(records))


@catalog.command()
@click.argument("entry_id", metavar="ID")
@click.argument("version", type=int)
@change_options
@click.pass_context
def rollback(ctx: click.Context, entry_id: str, version: int, author: str, reason: str | None) -> None:
    """把条目恢复成某个旧版本的内容（记为一个新版本）。

    \b
    示例：lifebot catalog rollback gov-hpf-unit-register 1 --reason "误改"
    """
    author, reason = _who(author, reason)
    saved = open_store(ctx).rollback(entry_id, version, author, reason)
    click.echo("当前内容已与该版本相同，没有变化" if saved is None
               else f"已把 {entry_id} 回滚到第 {version} 版的内容（新版本：第 {saved.version} 版）")


@catalog.command("validate")
@click.option("--warnings", "show_warnings", is_flag=True, help="逐条列出提醒（默认只列错误、提醒只计数）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_context
def validate_(ctx: click.Context, show_warnings: bool, as_json: bool) -> None:
    """校验目录：缺少字段、重名、电话格式、未知部门和分类。有错误时退出码为 1。

    \b
    示例：lifebot catalog validate --warnings
    """
    from collections import Counter

    from catalog.validate import validate

    departments, categories = _known()
    report = validate(open_store(ctx).entries(include_retired=True), departments, categories)
    if as_json:
        _print_json({"errors": [vars(p) for p in report.errors], "warnings": [vars(p) for p in report.warnings]})
    else:
        for problem in report.errors + (report.warnings if show_warnings else []):
            click.echo(str(problem))
        counts = Counter(p.message for p in report.warnings)
        if not show_warnings and counts:
            click.echo("提醒：" + "，".join(f"{k} {n} 条" for k, n in counts.most_common()))
        if departments is None:
            click.echo("（未找到 departments.csv，未检查部门）")
        if categories is None:
            click.echo("（未找到 categories.csv，未检查分类是否在清单中）")
        click.echo(f"共 {len(report.errors)} 个错误，{len(report.warnings)} 个提醒")
    if report.errors:
        ctx.exit(1)
