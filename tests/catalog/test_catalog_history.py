"""History, rollback, retire and restore."""

from __future__ import annotations

import pytest

from catalog.errors import CatalogError, NotFound
from catalog.history import changes, render
from catalog.store import CatalogStore


def test_history_records_who_when_what_why(store: CatalogStore, entry_factory) -> None:
    store.add(entry_factory("a"), "张三", "新增")
    store.update("a", {"phone": "12345", "materials": ["居民身份证"]}, "李四", "窗口电话改为热线")
    records = changes(store.history("a"))
    assert [(r["version"], r["author"], r["reason"]) for r in records] == [
        (1, "张三", "新增"), (2, "李四", "窗口电话改为热线")]
    assert records[0]["created"] and records[0]["changes"] == {}
    assert records[1]["changes"] == {"phone": ["0510-86862110", "12345"],
                                     "materials": [["居民身份证", "户口簿"], ["居民身份证"]]}
    assert all(r["created_at"].endswith("+00:00") for r in records)
    text = render(records)
    assert "修改人：李四" in text and "phone: 0510-86862110 -> 12345" in text


def test_rollback_creates_a_new_version_equal_to_the_old_one(store: CatalogStore, entry_factory) -> None:
    store.add(entry_factory("a"), "张三", "新增")
    store.update("a", {"phone": "12345"}, "李四", "改电话")
    store.update("a", {"fee": "20元"}, "李四", "改收费")
    v = store.version()
    rolled = store.rollback("a", 1, "王五", "误改")
    assert rolled.version == 4
    assert (rolled.phone, rolled.fee) == ("0510-86862110", "不收费")
    last = store.history("a")[-1]
    assert (last.author, last.reason) == ("王五", "回滚到第 1 版：误改")
    assert store.changed_since(v) == ["a"]
    assert store.rollback("a", 1, "王五", "再来一次") is None  # already equal: nothing written
    with pytest.raises(NotFound, match="没有第 9 版"):
        store.rollback("a", 9, "王五", "x")


def test_retire_and_restore(store: CatalogStore, entry_factory) -> None:
    store.add(entry_factory("a"), "张三", "新增")
    assert store.set_status("a", "retired", "张三", "停办").status == "retired"
    assert store.entries() == [] and store.get("a").status == "retired"
    with pytest.raises(CatalogError, match="已经是停用状态"):
        store.set_status("a", "retired", "张三", "again")
    assert store.set_status("a", "active", "张三", "恢复").status == "active"
    assert [v.entry.status for v in store.history("a")] == ["active", "retired", "active"]
    # Rolling back to the retired version retires it again.
    assert store.rollback("a", 2, "张三", "再停").status == "retired"
