"""Samples and checks shared by the catalog tests (import as ``tests.catalog.samples``): sample
entries, a hypothesis strategy for any valid Entry, and checks run on both SQLite and PostgreSQL.
"""

from __future__ import annotations

import string
import threading
from typing import Any

import sqlalchemy as sa
from hypothesis import strategies as st

from catalog.entry import KINDS, STATUSES, Entry, Location
from catalog.store import CatalogStore

DEPARTMENTS = ["江阴市公安局", "江阴市行政审批局", "江阴市民政局"]


def make_entry(entry_id: str = "gov-test-1", **changes: Any) -> Entry:
    values: dict[str, Any] = dict(
        id=entry_id, name=f"测试事项{entry_id}", kind="government", category="户籍证件",
        department="江阴市公安局", description="测试用的事项。", conditions="江阴户籍居民",
        materials=["居民身份证", "户口簿"], legal_time_limit="20个工作日", promised_time_limit="5个工作日",
        fee="不收费", locations=[Location("江阴市民中心", "江阴市澄江中路159号", "周一至周五 8:30-17:00")],
        online=True, online_url="https://example.gov.cn/", phone="0510-86862110", appointment=True,
        aliases=["测试"], source={"list": "authored", "code": ""},
    )
    values.update(changes)
    return Entry(**values)


# Any text a maintainer could mean: no surrogates and no control characters but tab and newline.
text = st.text(st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\n"), max_size=30)
nonblank = text.filter(lambda s: s.strip() != "")
ids = st.text(string.ascii_lowercase + string.digits + "-_.:", min_size=1, max_size=40).map(lambda s: "x" + s)
locations = st.builds(Location, name=text, address=text, hours=text)
entries = st.builds(
    Entry, id=ids, name=nonblank, kind=st.sampled_from(KINDS), category=nonblank, department=nonblank,
    description=text, conditions=text, materials=st.lists(text, max_size=4),
    legal_time_limit=text, promised_time_limit=text, fee=text, locations=st.lists(locations, max_size=3),
    online=st.booleans(), online_url=text, phone=text, appointment=st.booleans(),
    aliases=st.lists(text, max_size=4), status=st.sampled_from(STATUSES),
    source=st.dictionaries(st.sampled_from(["list", "code", "note"]), text),
)


def check_migrations_down_and_up(url: str) -> None:
    from catalog.store import migrate
    from catalog.store.core import create_engine

    CatalogStore(url).close()
    engine = create_engine(url)
    migrate.downgrade(engine, "base")
    assert not {"catalog_entries", "catalog_entry_versions", "catalog_meta"} & set(sa.inspect(engine).get_table_names())
    migrate.upgrade(engine)
    assert {"catalog_entries", "catalog_entry_versions", "catalog_meta"} <= set(sa.inspect(engine).get_table_names())
    engine.dispose()


CONCURRENT_FIELDS = ("description", "conditions", "legal_time_limit", "promised_time_limit", "fee", "category")


def concurrent_edits(store: CatalogStore) -> None:
    """Threads edit different fields of one entry at once: every thread's last edit must survive."""
    store.add(make_entry("a"), "张三", "新增")
    failures: list[BaseException] = []

    def work(name: str) -> None:
        try:
            for n in range(5):
                store.update("a", {name: f"{name}-{n}"}, f"维护人-{name}", "并发")
        except BaseException as exc:  # surfaced below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(name,)) for name in CONCURRENT_FIELDS]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    final = store.get("a")
    assert {name: getattr(final, name) for name in CONCURRENT_FIELDS} == {n: f"{n}-4" for n in CONCURRENT_FIELDS}
    history = store.history("a")
    assert len(history) == 1 + 5 * len(CONCURRENT_FIELDS)
    assert [h.catalog_version for h in history] == list(range(1, len(history) + 1))


def check_schema_matches_migrations(url: str, metadata=None, prefix: str = "catalog_") -> None:
    """A schema module and the migrations describe the same tables (autogenerate is empty).

    The one migration tree also creates other libraries' tables (bookings, tickets, ...): only the
    tables named ``prefix*`` are compared; each library checks its own.
    """
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    if metadata is None:
        from catalog.store.schema import metadata

    def ours(name, type_, parent_names) -> bool:  # reflected from the database
        table = name if type_ == "table" else parent_names.get("table_name")
        return table is None or table.startswith(prefix)

    def ours_in_metadata(obj, name, type_, reflected, compare_to) -> bool:  # other libraries share metadata
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table is None or table.startswith(prefix)

    store = CatalogStore(url)
    try:
        with store.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"version_table": "catalog_alembic_version",
                                                             "include_name": ours,
                                                             "include_object": ours_in_metadata})
            assert compare_metadata(context, metadata) == []
    finally:
        store.close()
