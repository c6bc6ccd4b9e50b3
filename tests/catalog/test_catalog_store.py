"""The store: round trip (property-based), versions, changed_since, refusals that change nothing."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from hypothesis import HealthCheck, given, settings

from catalog.entry import Entry
from catalog.errors import CatalogError, InvalidEntry, NotFound
from catalog.fields import content
from catalog.store import CatalogStore, migrate
from tests.catalog.samples import (
    check_migrations_down_and_up,
    check_schema_matches_migrations,
    concurrent_edits,
    entries,
)


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory):
    store = CatalogStore(f"sqlite:///{tmp_path_factory.mktemp('roundtrip') / 'catalog.db'}")
    yield store
    store.close()


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(entry=entries)
def test_round_trip(shared_store: CatalogStore, entry: Entry) -> None:
    expected = content(entry)
    shared_store.put_many([entry], author="hypothesis", reason="往返测试")
    stored = shared_store.get(entry.id)
    assert stored is not None
    assert content(stored) == expected
    assert stored == Entry.from_dict(json.loads(json.dumps(stored.to_dict())))
    assert (stored.version, stored.updated_at) == (entry.version, entry.updated_at)
    assert entry.id in shared_store.changed_since(shared_store.version() - 1)


def test_versions_and_changed_since(store: CatalogStore, entry_factory) -> None:
    assert store.version() == 0 and store.entries() == []
    store.add(entry_factory("a"), "张三", "新增")
    store.add(entry_factory("b"), "张三", "新增")
    v = store.version()
    assert v == 2
    assert store.update("a", {"phone": "12345"}, "李四", "电话更新").version == 2
    assert store.version() == 3
    assert store.changed_since(v) == ["a"]
    store.set_status("b", "retired", "李四", "停办")
    assert store.changed_since(v) == ["a", "b"]
    assert [e.id for e in store.entries()] == ["a"]
    assert [e.id for e in store.entries(include_retired=True)] == ["a", "b"]


def test_no_change_writes_nothing(store: CatalogStore, entry_factory) -> None:
    store.add(entry_factory("a"), "张三", "新增")
    assert store.update("a", {"phone": "0510-86862110"}, "张三", "同值") is None
    assert store.version() == 1 and len(store.history("a")) == 1


def test_refusals_change_nothing(store: CatalogStore, entry_factory) -> None:
    store.add(entry_factory("a"), "张三", "新增")
    with pytest.raises(CatalogError, match="已存在"):
        store.add(entry_factory("a"), "张三", "重复")
    with pytest.raises(InvalidEntry, match="未知字段"):
        store.update("a", {"colour": "red"}, "张三", "x")
    with pytest.raises(InvalidEntry, match="应为 true 或 false"):
        store.update("a", {"online": "yes"}, "张三", "x")
    with pytest.raises(InvalidEntry, match="类型「shop」不存在"):
        store.update("a", {"kind": "shop"}, "张三", "x")
    with pytest.raises(InvalidEntry, match="控制字符"):
        store.update("a", {"description": "第一行\r第二行"}, "张三", "x")
    with pytest.raises(CatalogError, match="不能用 edit"):
        store.update("a", {"version": 9}, "张三", "x")
    with pytest.raises(CatalogError, match="修改原因"):
        store.update("a", {"phone": "12345"}, "张三", " ")
    with pytest.raises(NotFound):
        store.update("missing", {"phone": "12345"}, "张三", "x")
    # A batch with one bad entry writes none of them.
    with pytest.raises(InvalidEntry):
        store.put_many([entry_factory("b"), entry_factory("c", name="")], "张三", "批量")
    assert store.get("b") is None
    assert store.version() == 1 and store.get("a").version == 1


def test_reopen_keeps_data_and_migrations_are_idempotent(db_url: str, entry_factory) -> None:
    first = CatalogStore(db_url)
    first.add(entry_factory("a"), "张三", "新增")
    instance = first.instance()
    first.close()
    second = CatalogStore(db_url)
    assert second.get("a").name == "测试事项a" and second.version() == 1
    assert second.instance() == instance
    # The newest revision of the one tree (other libraries' migrations come after the catalog's);
    # get_current_head() fails if the tree ever forks.
    head = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
    with second.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM catalog_alembic_version")).scalar() == head
    second.close()


def test_each_new_database_gets_its_own_instance(tmp_path) -> None:
    stores = [CatalogStore(f"sqlite:///{tmp_path / name}.db") for name in ("one", "two")]
    assert stores[0].instance() != stores[1].instance()
    for store in stores:
        store.close()


def test_migrates_a_database_of_the_first_migrationless_store(db_url: str, entry_factory) -> None:
    engine = sa.create_engine(db_url, future=True)
    with engine.begin() as conn:
        conn.execute(sa.text(
            "CREATE TABLE catalog_entries (id VARCHAR(64) PRIMARY KEY, name VARCHAR(200) NOT NULL,"
            " kind VARCHAR(20) NOT NULL, status VARCHAR(10) NOT NULL, version INTEGER NOT NULL,"
            " catalog_version INTEGER NOT NULL, updated_at VARCHAR(40) NOT NULL, data TEXT NOT NULL)"))
        conn.execute(sa.text("CREATE TABLE catalog_meta (key VARCHAR(40) PRIMARY KEY, value INTEGER NOT NULL)"))
        entry = entry_factory("old", version=1, updated_at="2026-01-01T00:00:00+00:00")
        conn.execute(sa.text("INSERT INTO catalog_entries VALUES ('old', 'n', 'government', 'active', 1, 1,"
                             " '2026-01-01T00:00:00+00:00', :data)"), {"data": json.dumps(entry.to_dict())})
        conn.execute(sa.text("INSERT INTO catalog_meta VALUES ('version', 1)"))
    engine.dispose()
    store = CatalogStore(db_url)
    assert store.get("old") == entry and store.version() == 1
    assert [v.author for v in store.history("old")] == ["migration"]
    store.update("old", {"fee": "免费"}, "张三", "迁移后修改")
    assert [v.version for v in store.history("old")] == [1, 2]
    store.close()


def test_migrations_go_down_and_up(db_url: str) -> None:
    check_migrations_down_and_up(db_url)


def test_schema_matches_migrations(db_url: str) -> None:
    check_schema_matches_migrations(db_url)


def test_memory_url_works(entry_factory) -> None:
    store = CatalogStore("sqlite://")
    store.add(entry_factory("a"), "张三", "新增")
    assert store.get("a").id == "a"
    store.close()


def test_concurrent_edits_lose_nothing_on_sqlite(store: CatalogStore) -> None:
    concurrent_edits(store)
