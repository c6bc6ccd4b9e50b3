"""backup -> change -> restore gives back exactly the backed-up rows, on SQLite and PostgreSQL; the
replaced data is kept aside; a corrupted or foreign backup and a running assistant are refused."""

from __future__ import annotations

import json
import re
import socket
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from lifebot.backup import BackupError, make_backup, restore_backup
from lifebot.backup.restore import known_revisions
from lifebot.settings import Settings
from tests.ops.data import backed_up_files, change_everything, facts, populate, snapshot
from tests.pg import free_port


def make_settings(tmp_path: Path, database_url: str = "", tracker_url: str = "") -> Settings:
    """An assistant that is not running: its ports are free ones."""
    return Settings(var_dir=tmp_path / "var", database_url=database_url, tracker_url=tracker_url,
                    api_port=free_port(), rasa_port=free_port(), actions_port=free_port())


def round_trip(settings: Settings, tmp_path: Path, tracker_url: str, tracker_option: str | None):
    keys = populate(settings, tracker_url)
    before, tracker_before = snapshot(settings.db_url), snapshot(tracker_url)
    lines: list[str] = []
    folder = make_backup(settings, tmp_path / "backups", tracker_option, echo=lines.append)
    change_everything(settings, tracker_url, keys)
    changed, tracker_changed = snapshot(settings.db_url), snapshot(tracker_url)
    assert changed != before and tracker_changed != tracker_before
    kept = restore_backup(settings, folder, tracker_option, echo=lines.append)
    after = snapshot(settings.db_url)
    assert after == before  # every row of every table, exactly
    assert snapshot(tracker_url) == tracker_before
    assert facts(settings, keys) == {"passport": "普通护照签发", "booking": "booked", "saturday": 1,
                                     "tickets": [keys["ticket"]], "users": ["wang"], "login": True}
    return folder, kept, changed, tracker_changed, lines


def test_sqlite_backup_change_restore_gives_the_data_back_and_keeps_the_replaced_data(tmp_path):
    from catalog.search.factory import gate_index_dir

    settings = make_settings(tmp_path)
    markers = [index_dir / "catalog_instance.txt" for index_dir in (settings.index_dir, gate_index_dir(settings))]
    for marker in markers:
        marker.parent.mkdir(parents=True)
        marker.write_text("1\n")
    tracker_url = f"sqlite:///{settings.tracker_db}"
    folder, kept, changed, tracker_changed, lines = round_trip(settings, tmp_path, tracker_url, None)

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == backed_up_files(settings, "catalog.sqlite3", "tracker.sqlite3")
    assert manifest["catalog"]["kind"] == "sqlite"
    assert manifest["catalog"]["alembic_revision"] in known_revisions()
    assert manifest["catalog"]["catalog_version"] == 1
    assert manifest["catalog"]["tables"]["accounts_users"] == 1 and manifest["catalog"]["tables"]["bookings"] == 1 and manifest["catalog"]["tables"]["routing_tickets"] == 1
    assert manifest["versions"]["lifebot"] == "0.1.0"
    assert "index" in manifest["not_included"]
    # The replaced data is kept, openable, with every change made after the backup.
    assert re.fullmatch(rf"{re.escape(str(settings.var_dir))}/lifebot\.db\.aside-\d{{8}}T\d{{6}}Z", kept["catalog"])
    assert snapshot(f"sqlite:///{kept['catalog']}") == changed
    assert snapshot(f"sqlite:///{kept['tracker']}") == tracker_changed
    assert not any(m.exists() for m in markers)  # the next `lifebot setup` rebuilds the indexes from the restored catalog
    assert any("原来的数据保留在" in line for line in lines)


@pytest.mark.postgres
@pytest.mark.parametrize("tracker_from", ["option", "settings"])
def test_postgres_backup_change_restore_gives_the_data_back_and_keeps_the_replaced_data(
        tmp_path, postgres_server, postgres_url, tracker_from):
    """The tracker store is the one --tracker-url names, or else the settings' tracker_url (Rasa's)."""
    tracker_url = postgres_server.create_database(f"tracker_{tracker_from}")
    settings = make_settings(tmp_path, postgres_url, tracker_url if tracker_from == "settings" else "")
    option = tracker_url if tracker_from == "option" else None
    folder, kept, changed, tracker_changed, _ = round_trip(settings, tmp_path, tracker_url, option)

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == backed_up_files(settings, "catalog.pgdump", "tracker.pgdump")
    assert manifest["catalog"]["kind"] == "postgresql"
    assert manifest["tracker"]["tables"] == {"events": 1}
    # The replaced databases were renamed, not dropped.
    assert snapshot(postgres_server.url(kept["catalog"])) == changed
    assert snapshot(postgres_server.url(kept["tracker"])) == tracker_changed


@pytest.fixture
def backed_up(tmp_path):
    """A SQLite assistant with data, its backup, then changes: (settings, backup folder, rows now)."""
    settings = make_settings(tmp_path)
    tracker_url = f"sqlite:///{settings.tracker_db}"
    keys = populate(settings, tracker_url)
    folder = make_backup(settings, tmp_path / "backups", echo=lambda _: None)
    change_everything(settings, tracker_url, keys)
    return settings, folder, snapshot(settings.db_url)


def refused(settings: Settings, folder: Path, now: dict, **options) -> BackupError:
    with pytest.raises(BackupError) as caught:
        restore_backup(settings, folder, echo=lambda _: None, **options)
    assert snapshot(settings.db_url) == now  # nothing touched
    assert not list(settings.var_dir.glob("*.aside-*"))
    return caught.value


def test_a_corrupted_backup_is_refused_and_nothing_is_touched(backed_up):
    settings, folder, now = backed_up
    data = bytearray((folder / "catalog.sqlite3").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / "catalog.sqlite3").write_bytes(bytes(data))
    error = refused(settings, folder, now)
    assert error.code == "bad_checksum"
    assert "catalog.sqlite3" in error.message and "校验和" in error.message


def test_a_missing_file_a_missing_folder_and_a_foreign_revision_are_refused(backed_up, tmp_path):
    settings, folder, now = backed_up
    assert refused(settings, tmp_path / "nowhere", now).code == "missing_backup"
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["catalog"]["alembic_revision"] = "9999"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    error = refused(settings, folder, now)
    assert error.code == "unknown_revision" and "9999" in error.message
    (folder / "tracker.sqlite3").unlink()
    assert refused(settings, folder, now).code == "missing_file"


def test_restore_refuses_while_the_assistant_answers_on_its_port_unless_forced(backed_up):
    settings, folder, now = backed_up
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", settings.api_port))
        listener.listen()
        error = refused(settings, folder, now)
        assert error.code == "assistant_running"
        assert str(settings.api_port) in error.message and "先停止" in error.message
        restore_backup(settings, folder, force=True, echo=lambda _: None)
    assert snapshot(settings.db_url) != now


def test_a_backup_taken_while_a_writer_holds_the_wal_is_consistent(tmp_path):
    """The online backup API copies committed data even with an open write transaction in WAL mode."""
    settings = make_settings(tmp_path)
    populate(settings, f"sqlite:///{settings.tracker_db}")
    committed = snapshot(settings.db_url)
    writer = sqlite3.connect(settings.var_dir / "lifebot.db")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM accounts_users")
    try:
        folder = make_backup(settings, tmp_path / "backups", echo=lambda _: None)
    finally:
        writer.rollback()
        writer.close()
    assert snapshot(f"sqlite:///{folder / 'catalog.sqlite3'}") == committed


def test_a_failed_load_puts_the_current_data_back(backed_up, monkeypatch):
    settings, folder, now = backed_up
    from lifebot.backup import sqlite_db

    def broken(backup_file, path):
        path.write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(sqlite_db, "load", broken)
    with pytest.raises(OSError):
        restore_backup(settings, folder, echo=lambda _: None)
    assert snapshot(settings.db_url) == now
    assert not list(settings.var_dir.glob("*.aside-*"))


def test_a_backup_folder_is_private_to_its_owner(backed_up):
    _, folder, _ = backed_up
    assert folder.stat().st_mode & 0o777 == 0o700


@pytest.mark.postgres
def test_postgres_restore_refuses_while_a_connection_is_open_and_a_failed_load_changes_nothing(
        tmp_path, postgres_url, monkeypatch):
    settings = make_settings(tmp_path, postgres_url)
    settings.var_dir.mkdir()
    tracker_url = f"sqlite:///{settings.tracker_db}"  # a PostgreSQL catalog beside a SQLite tracker
    keys = populate(settings, tracker_url)
    folder = make_backup(settings, tmp_path / "backups", echo=lambda _: None)
    change_everything(settings, tracker_url, keys)
    now = snapshot(settings.db_url)
    engine = sa.create_engine(postgres_url)
    with engine.connect():
        with pytest.raises(BackupError) as caught:
            restore_backup(settings, folder, echo=lambda _: None)
    engine.dispose()
    assert caught.value.code == "database_in_use" and "连接" in caught.value.message
    assert snapshot(settings.db_url) == now

    from lifebot.backup import postgres_db

    def broken(backup_file, url):
        raise BackupError("restore_failed", "恢复失败：模拟")

    monkeypatch.setattr(postgres_db, "load", broken)
    with pytest.raises(BackupError):
        restore_backup(settings, folder, echo=lambda _: None)
    assert snapshot(settings.db_url) == now  # the renamed database was put back under its name
