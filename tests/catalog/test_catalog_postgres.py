"""The PostgreSQL URL path, against a real server the tests start themselves (tests/pg.py)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from catalog.errors import InvalidEntry
from catalog.fields import content
from catalog.importer import apply, plan
from catalog.seed import seed
from catalog.store import CatalogStore
from lifebot.cli import main
from tests.catalog.samples import (
    check_migrations_down_and_up,
    check_schema_matches_migrations,
    concurrent_edits,
    entries,
    make_entry,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_store(postgres_url: str):
    store = CatalogStore(postgres_url)
    assert store.engine.dialect.name == "postgresql"
    yield store
    store.close()


def test_round_trip(postgres_server) -> None:
    store = CatalogStore(postgres_server.create_database("roundtrip"))

    @settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(entry=entries)
    def check(entry) -> None:
        expected = content(entry)
        store.put_many([entry], "hypothesis", "往返测试")
        assert content(store.get(entry.id)) == expected

    try:
        check()
    finally:
        store.close()


def test_versions_history_rollback(pg_store: CatalogStore) -> None:
    pg_store.add(make_entry("a"), "张三", "新增")
    pg_store.update("a", {"phone": "12345"}, "李四", "改热线")
    v = pg_store.version()
    pg_store.rollback("a", 1, "王五", "误改")
    assert pg_store.changed_since(v) == ["a"] and pg_store.get("a").phone == "0510-86862110"
    assert [(h.version, h.author) for h in pg_store.history("a")] == [(1, "张三"), (2, "李四"), (3, "王五")]
    pg_store.set_status("a", "retired", "张三", "停办")
    assert pg_store.entries() == [] and len(pg_store.entries(include_retired=True)) == 1


def test_reopening_does_not_migrate_twice(postgres_url: str) -> None:
    CatalogStore(postgres_url).close()
    store = CatalogStore(postgres_url)
    assert store.version() == 0
    store.close()


def test_broken_import_writes_nothing(pg_store: CatalogStore, tmp_path: Path) -> None:
    pg_store.add(make_entry("a"), "张三", "新增")
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(make_entry("b").to_dict()) + "\n" + '{"id": "a", "online": "maybe"}\n',
                    encoding="utf-8")
    with pytest.raises(InvalidEntry):
        apply(pg_store, plan(pg_store, path), "张三", "x")
    assert pg_store.get("b") is None and pg_store.version() == 1


def test_seed(pg_store: CatalogStore, tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text("".join(json.dumps(make_entry(f"g-{i}").to_dict()) + "\n" for i in range(300)), encoding="utf-8")
    assert len(seed(pg_store, [path]).added) == 300
    assert seed(pg_store, [path]).unchanged == 300


def test_concurrent_writers_get_distinct_catalog_versions(pg_store: CatalogStore) -> None:
    pg_store.put_many([make_entry(f"e{i}") for i in range(8)], "张三", "准备")
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for n in range(5):
                pg_store.update(f"e{i}", {"fee": f"{n}元"}, f"维护人{i}", "并发")
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert pg_store.version() == 1 + 8 * 5
    versions = [h.catalog_version for i in range(8) for h in pg_store.history(f"e{i}")[1:]]
    assert sorted(versions) == list(range(2, 42))


def test_cli_against_postgres(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIFEBOT_DATABASE_URL", postgres_url)
    runner = CliRunner()
    doc = json.dumps(make_entry("gov-a").to_dict(), ensure_ascii=False)
    assert runner.invoke(main, ["catalog", "add", "-", "--reason", "新增", "--author", "张三"], input=doc).exit_code == 0
    assert runner.invoke(main, ["catalog", "edit", "gov-a", "fee=5元", "--reason", "调价", "--author", "李四"]).exit_code == 0
    history = runner.invoke(main, ["catalog", "history", "gov-a"]).output
    assert "修改人：李四" in history and "fee: 不收费 -> 5元" in history
    exported = runner.invoke(main, ["catalog", "export", "--format", "jsonl"]).output
    assert json.loads(exported)["fee"] == "5元"


def test_concurrent_edits_of_one_entry_lose_nothing(pg_store: CatalogStore) -> None:
    concurrent_edits(pg_store)


def test_migrations_go_down_and_up(postgres_url: str) -> None:
    check_migrations_down_and_up(postgres_url)


def test_schema_matches_migrations(postgres_url: str) -> None:
    check_schema_matches_migrations(postgres_url)


def test_the_seed_files_give_the_same_content_fingerprint_in_sqlite_and_postgresql(pg_store, tmp_path) -> None:
    """run-scaled seeds its PostgreSQL catalog from the files `make run` seeds SQLite from; the domain
    model trained on one serves the other only if their fingerprints agree (model_choice.tuned_status)."""
    from catalog.fields import content_fingerprint
    from catalog.seed import SERVICES_DIR

    files = sorted(SERVICES_DIR.glob("*.jsonl"))
    sqlite = CatalogStore(f"sqlite:///{tmp_path / 'catalog.db'}")
    try:
        seed(sqlite, files)
        seed(pg_store, files)
        assert sqlite.instance() != pg_store.instance() and len(pg_store.entries()) > 2000
        assert content_fingerprint(pg_store.entries()) == content_fingerprint(sqlite.entries())
        pg_store.update(pg_store.entries()[0].id, {"fee": "5元"}, "李四", "调价")
        assert content_fingerprint(pg_store.entries()) != content_fingerprint(sqlite.entries())
    finally:
        sqlite.close()
