"""`lifebot restore DIR`: verify, refuse while the assistant runs, keep the current data aside, load."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from lifebot.backup import manifest, postgres_db, sqlite_db
from lifebot.backup.databases import Database, databases
from lifebot.backup.errors import BackupError
from lifebot.settings import Settings


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from catalog.store.migrate import alembic_config

    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def check_revision(part: dict[str, Any]) -> None:
    revision = part.get("alembic_revision")
    known = known_revisions()
    if revision not in known:
        raise BackupError("unknown_revision",
                          f"备份的数据库结构版本 {revision} 不是当前代码认识的版本（{'、'.join(sorted(known))}）："
                          "它来自更新的代码。先把代码升级到做备份时的版本（git pull），再恢复")


def running_services(settings: Settings) -> list[str]:
    from lifebot.processes import _port_in_use, services
    from lifebot.rasa_auth import without_query

    return [f"{s.name} {without_query(s.health_url)}" for s in services(settings) if _port_in_use(s.health_url)]


def _check_file(db: Database, path: Path) -> None:
    (sqlite_db if db.kind == "sqlite" else postgres_db).check(path)


def _swap(db: Database, path: Path, stamp: str) -> tuple[str | None, Callable[[], None]]:
    if db.kind == "sqlite":
        aside, undo = sqlite_db.put_aside(db.sqlite_path, stamp)
        try:
            sqlite_db.load(path, db.sqlite_path)
        except BaseException:
            undo()
            raise
        return (str(aside) if aside else None), undo
    aside_name, undo = postgres_db.put_aside(db.url, stamp)
    try:
        postgres_db.load(path, db.url)
    except BaseException:
        undo()
        raise
    return aside_name, undo


def restore_backup(settings: Settings, directory: Path, tracker_url: str | None = None, force: bool = False,
                   echo: Callable[[str], None] = print) -> dict[str, str | None]:
    """Restore ``directory``; returns {role: where the replaced data was kept (None: there was none)}."""
    directory = Path(directory)
    found = manifest.read_verified(directory)
    if not found.get("catalog"):
        raise BackupError("bad_manifest", "备份清单里没有目录数据库")
    check_revision(found["catalog"])
    plan, notes = [], []
    for db in databases(settings, tracker_url):
        part = found.get(db.role)
        if part is None:
            notes.append(f"{db.label}：备份里没有，保留当前的")
            continue
        if part["kind"] != db.kind:
            raise BackupError("wrong_database_kind",
                              f"备份里的{db.label}是 {part['kind']}，当前设置使用的是 {db.kind}：请先改好设置"
                              "（LIFEBOT_DATABASE_URL / --tracker-url）再恢复")
        _check_file(db, directory / part["file"])
        plan.append((db, directory / part["file"]))
    busy = running_services(settings)
    if busy and not force:
        raise BackupError("assistant_running",
                          f"助手正在运行（{'；'.join(busy)} 有应答）：先停止它（Ctrl-C 或停止服务），再恢复；"
                          "确认这些端口不是助手时可加 --force")
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    kept: dict[str, str | None] = {}
    undos: list[Callable[[], None]] = []
    try:
        for db, path in plan:
            aside, undo = _swap(db, path, stamp)
            undos.append(undo)
            kept[db.role] = aside
            echo(f"{db.label}：已恢复；原来的数据保留在 {aside}" if aside else f"{db.label}：已恢复")
    except BaseException:
        for undo in reversed(undos):
            undo()
        raise
    _invalidate_index(settings)
    for note in notes:
        echo(note)
    return kept


def _invalidate_index(settings: Settings) -> None:
    """The next `lifebot setup` (or API start) rebuilds the index from the restored catalog; its
    incremental update would only be right if the restored history extended the indexed one."""
    from catalog.search.engine import INSTANCE_FILE
    from catalog.search.factory import gate_index_dir

    for index_dir in (settings.index_dir, gate_index_dir(settings)):
        (index_dir / INSTANCE_FILE).unlink(missing_ok=True)
