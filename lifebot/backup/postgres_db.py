"""PostgreSQL: `pg_dump -Fc` of one snapshot, and `pg_restore` into a fresh database with the old one
renamed aside (never dropped)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from lifebot.backup.databases import describe
from lifebot.backup.errors import BackupError


def tool(name: str) -> str:
    """pg_dump / pg_restore: on PATH, else the newest Debian /usr/lib/postgresql/N/bin."""
    found = shutil.which(name)
    if found:
        return found
    for directory in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]),
                            reverse=True):
        if Path(directory, name).exists():
            return str(Path(directory, name))
    raise BackupError("missing_tool", f"找不到 {name}：请安装 PostgreSQL 客户端（apt-get install postgresql-client）")


def _params(url: str, database: str | None = None) -> dict[str, Any]:
    parsed = sa.engine.make_url(url)
    host = parsed.query.get("host") or parsed.host or "127.0.0.1"
    return {"host": host, "port": parsed.port or 5432, "user": parsed.username,
            "password": parsed.password, "dbname": database or parsed.database}


def _env(params: dict[str, Any]) -> dict[str, str]:
    """libpq's environment: the password never appears on a command line."""
    env = dict(os.environ)
    names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD", "dbname": "PGDATABASE"}
    for key, var in names.items():
        if params.get(key) is not None:
            env[var] = str(params[key])
    return env


def _connect(params: dict[str, Any]):
    import psycopg2

    try:
        return psycopg2.connect(**{k: v for k, v in params.items() if v is not None})
    except psycopg2.OperationalError as exc:
        raise BackupError("database_unreachable",
                          f"连接不上 PostgreSQL 数据库 {params['dbname']}（{params['host']}:{params['port']}）："
                          f"{str(exc).strip()}") from exc


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(argv, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name.replace('pg_', '')}_failed",
                          f"{what}失败：{result.stderr.strip()[-800:]}")


def dump(url: str, target: Path) -> dict[str, Any]:
    """Dump the database as one snapshot: the versions in the manifest are read in that same snapshot."""
    params = _params(url)
    conn = _connect(params)
    try:
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            info = describe(cursor, "postgresql")
            _run([tool("pg_dump"), "-Fc", f"--snapshot={snapshot}", "-f", str(target)], _env(params),
                 f"备份 PostgreSQL 数据库 {params['dbname']}")
        conn.rollback()
    finally:
        conn.close()
    return info


def put_aside(url: str, stamp: str) -> tuple[str | None, Callable[[], None]]:
    """Rename the database to ``<name>_aside_<stamp>``; returns that name (None if there was no
    database) and how to undo it. Refuses while anything is connected to it."""
    params = _params(url)
    name = params["dbname"]
    conn = _connect(_params(url, "postgres"))
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", (name,))
            row = cursor.fetchone()
            if row is None:  # nothing to keep: restore into a new database
                cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
                return None, lambda: _drop(url, name)
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (name,))
            users = cursor.fetchone()[0]
            if users:
                raise BackupError("database_in_use",
                                  f"PostgreSQL 数据库 {name} 还有 {users} 个连接：先停止所有使用它的进程"
                                  "（每台机器上的 API、Rasa、动作服务器）再恢复")
            aside = f"{name[:40]}_aside_{stamp.lower()}"
            cursor.execute(f'ALTER DATABASE "{name}" RENAME TO "{aside}"')
            cursor.execute(f'CREATE DATABASE "{name}" OWNER "{row[0]}" TEMPLATE template0 ENCODING \'UTF8\'')
    finally:
        conn.close()

    def undo() -> None:
        _drop(url, name)
        _admin(url, f'ALTER DATABASE "{aside}" RENAME TO "{name}"')

    return aside, undo


def _drop(url: str, name: str) -> None:
    _admin(url, f'DROP DATABASE IF EXISTS "{name}"')


def _admin(url: str, statement: str) -> None:
    """One statement on the server's maintenance database (outside a transaction, as CREATE/DROP/
    ALTER DATABASE need)."""
    conn = _connect(_params(url, "postgres"))
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(statement)
    finally:
        conn.close()


def check(path: Path) -> None:
    result = subprocess.run([tool("pg_restore"), "--list", str(path)], capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError("bad_database", f"备份里的 PostgreSQL 转储 {path.name} 无法读取：{result.stderr.strip()}")


def load(backup_file: Path, url: str) -> None:
    """pg_restore into the (fresh, empty) database, all or nothing."""
    params = _params(url)
    _run([tool("pg_restore"), "--exit-on-error", "--single-transaction", "-d", params["dbname"], str(backup_file)],
         _env(params), f"恢复 PostgreSQL 数据库 {params['dbname']}")
