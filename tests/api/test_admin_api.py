"""The maintainers' admin API over a real catalog and index: edit with validation, history, rollback,
import with a preview, the no-confident-match report and the audit log."""

from __future__ import annotations

import asyncio
import dataclasses

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from api.main import create_app

from .staff_helpers import create_accounts, login


@pytest.fixture
async def admin(api_settings, seeded_store):
    create_accounts(api_settings.db_url)
    async with TestClient(TestServer(create_app(dataclasses.replace(api_settings)))) as client:
        client.csrf = await login(client, "li")
        yield client


async def _first(client) -> dict:
    return (await (await client.get("/api/admin/services?limit=1")).json())["items"][0]


async def test_browse_filters_by_words_and_pages(admin):
    everything = await (await admin.get("/api/admin/services?limit=200")).json()
    assert everything["total"] == 60
    first = everything["items"][0]
    found = await (await admin.get("/api/admin/services", params={"q": first["name"]})).json()
    assert first["id"] in [item["id"] for item in found["items"]]
    page = await (await admin.get("/api/admin/services?limit=10&offset=10")).json()
    assert [i["id"] for i in page["items"]] == [i["id"] for i in everything["items"][10:20]]
    response = await admin.get("/api/admin/services?limit=abc")
    assert response.status == 400 and (await response.json())["error"]["code"] == "bad_parameter"


async def test_edit_history_rollback_and_audit(admin):
    entry = await _first(admin)
    url = f"/api/admin/services/{entry['id']}"
    detail = await (await admin.get(url)).json()
    assert detail["fields"]["name"] == entry["name"] and "status" not in detail["fields"]
    original_aliases = detail["entry"]["aliases"]
    body = {"fields": {"aliases": "暗号甲乙丙|另一个叫法"}, "reason": "居民常这么说", "base_version": entry["version"]}
    response = await admin.patch(url, json=body, headers=admin.csrf)
    assert response.status == 200, await response.text()
    assert (await response.json())["version"] == entry["version"] + 1
    detail = await (await admin.get(url)).json()
    assert detail["entry"]["aliases"] == ["暗号甲乙丙", "另一个叫法"]
    newest = detail["history"][0]
    assert (newest["author"], newest["reason"]) == ("li", "居民常这么说")
    assert newest["changes"]["aliases"][1] == ["暗号甲乙丙", "另一个叫法"]
    # The same edit again changes nothing; a stale base version is a conflict.
    again = await admin.patch(url, json={**body, "base_version": entry["version"] + 1}, headers=admin.csrf)
    assert (await again.json())["changed"] is False
    stale = await admin.patch(url, json={**body, "fields": {"fee": "10元"}}, headers=admin.csrf)
    assert stale.status == 409 and (await stale.json())["error"]["code"] == "conflict"
    rolled = await admin.post(f"{url}/rollback", json={"version": entry["version"], "reason": "误改"},
                              headers=admin.csrf)
    assert rolled.status == 200 and (await rolled.json())["version"] == entry["version"] + 2
    assert (await (await admin.get(url)).json())["entry"]["aliases"] == original_aliases
    audit = (await (await admin.get("/api/admin/audit")).json())["items"]
    assert [(a["actor"], a["action"], a["target"]) for a in audit[:2]] == [
        ("li", "catalog_rollback", entry["id"]), ("li", "catalog_edit", entry["id"])]


async def test_bad_edits_are_refused_with_every_problem_and_change_nothing(admin):
    entry = await _first(admin)
    url = f"/api/admin/services/{entry['id']}"
    cases = [
        ({"fields": {"online": "也许"}, "reason": "x"}, 422, "invalid", "应为 true 或 false"),
        ({"fields": {"phone": "12"}, "reason": "x"}, 422, "invalid", "电话"),
        ({"fields": {"department": "不存在的部门"}, "reason": "x"}, 422, "invalid", "部门"),
        ({"fields": {"status": "retired"}, "reason": "x"}, 422, "invalid", "retire"),
        ({"fields": {"nonsense": "1"}, "reason": "x"}, 422, "invalid", "未知字段"),
        ({"fields": {"fee": "免费"}}, 400, "reason_required", "修改原因"),
        ({"fields": {}, "reason": "x"}, 400, "bad_parameter", "字段"),
    ]
    for body, status, code, words in cases:
        response = await admin.patch(url, json=body, headers=admin.csrf)
        error = (await response.json())["error"]
        assert (response.status, error["code"]) == (status, code), (body, error)
        assert words in error["message"], (body, error)
    assert (await (await admin.get(url)).json())["entry"]["version"] == entry["version"]
    missing = await admin.patch("/api/admin/services/no-such-id", json={"fields": {"fee": "1"}, "reason": "x"},
                                headers=admin.csrf)
    assert missing.status == 404


async def test_an_edit_becomes_searchable_without_a_restart(admin):
    entry = await _first(admin)
    query = "蓝鲸牌暗号办事"
    before = await (await admin.get("/api/search", params={"q": query})).json()
    assert not before["results"] or before["results"][0]["id"] != entry["id"] or not before["confident"]
    body = {"fields": {"aliases": query}, "reason": "测试别名"}
    assert (await admin.patch(f"/api/admin/services/{entry['id']}", json=body, headers=admin.csrf)).status == 200
    for _ in range(100):
        found = await (await admin.get("/api/search", params={"q": query})).json()
        if found["results"] and found["results"][0]["id"] == entry["id"]:
            break
        await asyncio.sleep(0.2)
    assert found["results"][0]["id"] == entry["id"]


def _upload(content: str, name: str) -> aiohttp.FormData:
    form = aiohttp.FormData()
    form.add_field("file", content.encode("utf-8"), filename=name, content_type="text/csv")
    return form


async def test_import_previews_then_applies_exactly_the_preview(admin):
    entry = await _first(admin)
    csv_text = f"id,fee\n{entry['id']},每本 5 元\n"
    preview = await admin.post("/api/admin/import", data=_upload(csv_text, "fees.csv"), headers=admin.csrf)
    assert preview.status == 200, await preview.text()
    planned = await preview.json()
    assert planned["ok"] and planned["added"] == [] and planned["errors"] == []
    assert planned["changed"][0]["id"] == entry["id"]
    assert planned["changed"][0]["changes"]["fee"][1] == "每本 5 元"
    assert (await (await admin.get(f"/api/admin/services/{entry['id']}")).json())["entry"]["fee"] != "每本 5 元"
    applied = await admin.post(f"/api/admin/import/{planned['token']}", json={"reason": "新收费标准"},
                               headers=admin.csrf)
    assert applied.status == 200 and (await applied.json())["written"] == 1
    assert (await (await admin.get(f"/api/admin/services/{entry['id']}")).json())["entry"]["fee"] == "每本 5 元"
    again = await admin.post(f"/api/admin/import/{planned['token']}", json={"reason": "x"}, headers=admin.csrf)
    assert again.status == 404


async def test_import_refuses_a_stale_preview_and_reports_bad_rows(admin):
    entry = await _first(admin)
    planned = await (await admin.post("/api/admin/import", data=_upload(f"id,fee\n{entry['id']},8元\n", "a.csv"),
                                      headers=admin.csrf)).json()
    edit = {"fields": {"fee": "9元"}, "reason": "同时有人改"}
    assert (await admin.patch(f"/api/admin/services/{entry['id']}", json=edit, headers=admin.csrf)).status == 200
    stale = await admin.post(f"/api/admin/import/{planned['token']}", json={"reason": "x"}, headers=admin.csrf)
    assert stale.status == 409 and "重新上传" in (await stale.json())["error"]["message"]
    bad = await (await admin.post("/api/admin/import", data=_upload(f"id,online\n{entry['id']},也许\n", "b.csv"),
                                  headers=admin.csrf)).json()
    assert not bad["ok"] and "第 2 行" in bad["errors"][0]
    refused = await admin.post(f"/api/admin/import/{bad['token']}", json={"reason": "x"}, headers=admin.csrf)
    assert refused.status == 422
    wrong = await admin.post("/api/admin/import", data=_upload("x", "notes.txt"), headers=admin.csrf)
    assert wrong.status == 400 and (await wrong.json())["error"]["code"] == "bad_format"


async def test_unmatched_report_counts_what_residents_searched(admin):
    for query in ("我家狗丢了找谁 13812345678", "我家狗丢了找谁 13812345678", "火星移民办理"):
        assert (await admin.get("/api/search", params={"q": query, "source": "bot"})).status == 200
    for _ in range(50):
        report = await (await admin.get("/api/admin/unmatched")).json()
        if report["total"] >= 3:
            break
        await asyncio.sleep(0.2)
    queries = [(item["query"], item["count"]) for item in report["items"]]
    assert ("我家狗丢了找谁 138****5678", 2) in queries
    assert "13812345678" not in str(report)
    counts = [count for _, count in queries]
    assert counts == sorted(counts, reverse=True)
