"""Sample entries for the catalog tests (import as ``tests.catalog.samples``)."""

from __future__ import annotations

from typing import Any

from catalog.entry import Entry, Location

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
