"""`lifebot backup`: one folder per backup, written under a temporary name and renamed when complete."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from lifebot.backup import manifest, postgres_db, sqlite_db
from lifebot.backup.databases import Database, databases
from lifebot.backup.errors import BackupError
from lifebot.settings import Settings

MODEL_CARD = "model_card.json"


def _dump(db: Database, directory: Path) -> dict[str, Any] | None:
    target = directory / db.file_name()
    if db.kind == "sqlite":
        if not db.sqlite_path.is_file():
            return None
        info = sqlite_db.dump(db.sqlite_path, target)
    else:
        info = postgres_db.dump(db.url, target)
    return {"kind": db.kind, "file": target.name, **info}


def make_backup(settings: Settings, out: Path | None = None, tracker_url: str | None = None,
                echo: Callable[[str], None] = print) -> Path:
    """Back up into ``<out>/lifebot-<UTC time>/`` (``out`` defaults to var/backups); returns that folder."""
    out = Path(out) if out else settings.var_dir / "backups"
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    final = out / f"lifebot-{stamp}"
    partial = out / f".lifebot-{stamp}.partial"
    if final.exists():
        raise BackupError("backup_exists", f"{final} 已存在：一秒内只能做一次备份，请稍后再试")
    try:
        out.mkdir(parents=True, exist_ok=True)
        partial.mkdir(mode=0o700)  # residents' personal data: the owner only
    except OSError as exc:
        raise BackupError("cannot_write", f"无法创建备份目录 {partial}：{exc.strerror}") from exc
    try:
        parts: dict[str, Any] = {}
        for db in databases(settings, tracker_url):
            part = _dump(db, partial)
            if part is None and db.role == "catalog":
                raise BackupError("missing_database", f"没有找到{db.label} {db.sqlite_path}：先运行 lifebot setup")
            parts[db.role] = part
            echo(f"{db.label}：" + ("不存在，跳过" if part is None else _summary(part)))
        card = settings.model_dir / "tuned" / MODEL_CARD
        parts["model_card"] = None
        if card.is_file():
            shutil.copy2(card, partial / MODEL_CARD)
            parts["model_card"] = {"file": MODEL_CARD}
            echo("已安装的领域模型：模型卡已备份（权重不备份，make model 可重建）")
        manifest.write(partial, manifest.build(partial, parts))
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


def _summary(part: dict[str, Any]) -> str:
    rows = sum(part["tables"].values())
    text = f"{part['kind']}，{len(part['tables'])} 张表，{rows} 行"
    if "catalog_version" in part:
        text += f"，目录版本 {part['catalog_version']}，数据库结构 {part.get('alembic_revision')}"
    return text
