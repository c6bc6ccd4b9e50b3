"""SQLite: copy a live database with the online backup API, and swap a copy in with the old one kept."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from lifebot.backup.databases import describe
from lifebot.backup.errors import BackupError

SIDE_FILES = ("-wal", "-shm", "-journal")


def dump(source: Path, target: Path) -> dict[str, Any]:
    """A consistent copy of ``source`` (even while the assistant writes to it) in one file."""
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)) as src, \
            closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
        info = describe(dst.cursor(), "sqlite")
    return info


def check(path: Path) -> None:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise BackupError("bad_database", f"备份里的数据库文件 {path.name} 已损坏（{result}）")


def put_aside(path: Path, stamp: str) -> tuple[Path | None, Callable[[], None]]:
    """Rename the current database (and its -wal/-shm, so it stays openable) to ``<name>.aside-<stamp>``;
    returns the new path (None when there was none) and how to undo it."""
    if not path.exists():
        return None, lambda: None
    with closing(sqlite3.connect(path, timeout=30)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # fold the WAL in while the names still match
    aside = path.with_name(f"{path.name}.aside-{stamp}")
    moved = []
    for suffix in ("", *SIDE_FILES):
        old = Path(f"{path}{suffix}")
        if old.exists():
            new = Path(f"{aside}{suffix}")
            os.replace(old, new)
            moved.append((old, new))

    def undo() -> None:
        for old, new in reversed(moved):
            os.replace(new, old)

    return aside, undo


def load(backup_file: Path, path: Path) -> None:
    """Copy ``backup_file`` to ``path`` (which was put aside), via a temporary name, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.restoring")
    with closing(sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)) as src, \
            closing(sqlite3.connect(partial)) as dst:
        src.backup(dst)
    os.replace(partial, path)
