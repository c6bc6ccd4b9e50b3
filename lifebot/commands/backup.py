"""`lifebot backup` and `lifebot restore`: what cannot be rebuilt, with a checksummed manifest."""

from __future__ import annotations

from pathlib import Path

import click

TRACKER_URL = click.option(
    "--tracker-url", envvar="LIFEBOT_TRACKER_URL", default=None,
    help="SQLAlchemy URL of a PostgreSQL tracker store (scaled layout); default the SQLite var/tracker.db.")


def _fail(exc) -> click.ClickException:
    return click.ClickException(f"{exc.message}（{exc.code}）")


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to put the backup in (a new lifebot-<time> folder inside); default var/backups.")
@TRACKER_URL
@click.pass_obj
def backup(settings, out: Path | None, tracker_url: str | None) -> None:
    """备份不能重建的数据：目录数据库（含历史、预约、工单、账号、审计和检索日志）、对话记录、模型卡。

    助手运行时也可以备份（SQLite 用在线备份接口，PostgreSQL 用 pg_dump 的一致快照）。
    检索索引、对话模型、缓存不备份：lifebot setup 会重建。

    Example: lifebot backup --out /srv/lifebot-backups
    """
    from lifebot.backup import BackupError, make_backup

    try:
        folder = make_backup(settings, out, tracker_url, echo=click.echo)
    except BackupError as exc:
        raise _fail(exc) from exc
    click.secho(f"备份完成：{folder}", fg="green")


@click.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Restore even though the assistant's ports answer.")
@TRACKER_URL
@click.pass_obj
def restore(settings, directory: Path, force: bool, tracker_url: str | None) -> None:
    """从备份恢复：先核对清单里每个文件的校验和；助手运行时拒绝恢复；当前数据改名保留，不删除。

    恢复后运行 lifebot setup（或 make run）重建检索索引。

    Example: lifebot restore var/backups/lifebot-20261127T020000Z
    """
    from lifebot.backup import BackupError, restore_backup

    try:
        restore_backup(settings, directory, tracker_url, force=force, echo=click.echo)
    except BackupError as exc:
        raise _fail(exc) from exc
    click.secho("恢复完成。运行 lifebot setup（或 make run）重建检索索引后再启动助手。", fg="green")
