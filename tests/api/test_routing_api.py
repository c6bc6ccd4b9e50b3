"""POST /api/route, GET /api/address, POST /api/tickets, GET /api/tickets/{no} over real HTTP.

The app (and its classifier) starts once per test, so each test walks a whole journey.
"""

from __future__ import annotations

import re


async def test_route_and_address_answer_without_creating_anything(client):
    response = await client.post("/api/route", json={"text": "工地晚上十二点还在施工，华士镇华西村"})
    assert response.status == 200
    body = await response.json()
    assert set(body) == {"department", "team", "grid", "category", "confidence", "urgent"}
    assert (body["department"], body["team"], body["category"]) == (
        "江阴市住房和城乡建设局", "城乡建设综合行政执法大队", "施工扰民")
    assert body["grid"]["name"] == "华西新市村" and body["grid"]["worker"]["role"] == "网格长"
    assert body["urgent"] is False
    urgent = await (await client.post("/api/route", json={"text": "楼道里闻到很重的煤气味"})).json()
    assert urgent["urgent"] is True
    place = await (await client.get("/api/address", params={"q": "澄江街道某某小区"})).json()
    assert (place["town"], place["grid"]["code"], place["question"]) == ("澄江街道", "JY01", None)
    unknown = await (await client.get("/api/address", params={"q": "我家楼下"})).json()
    assert unknown["grid"] is None and "哪个镇" in unknown["question"]
    # Nothing was filed.
    assert (await client.get("/api/tickets/202611270001", params={"phone": "13812345678"})).status == 404
    for bad, code in (({"text": ""}, "missing_text"), ({}, "missing_text"), ({"text": "吵" * 501}, "text_too_long")):
        response = await client.post("/api/route", json=bad)
        assert response.status == 400 and (await response.json())["error"]["code"] == code
    response = await client.post("/api/route", data="not json")
    assert response.status == 400 and (await response.json())["error"]["code"] == "invalid_json"


async def test_a_ticket_is_filed_routed_and_looked_up_by_number_and_phone(client):
    response = await client.post("/api/tickets", json={
        "text": "楼下饭店油烟太大，窗户都不敢开", "phone": "13812345678", "address": "澄江街道人民中路268号",
        "name": "王小明", "channel": "web", "conversation_id": "c-1"})
    assert response.status == 201
    ticket = await response.json()
    assert re.fullmatch(r"20\d{10}", ticket["number"])
    assert (ticket["department"], ticket["category"], ticket["status"]) == ("江阴市城市管理局", "餐饮油烟", "dispatched")
    assert ticket["grid"]["code"] == "JY01" and ticket["contact"]["phone"] == "138****5678"
    assert ticket["due_at"] > ticket["created_at"]
    found = await client.get(f"/api/tickets/{ticket['number']}", params={"phone": "13812345678"})
    assert found.status == 200 and (await found.json())["history"][-1]["label"] == "已派单"
    wrong = await client.get(f"/api/tickets/{ticket['number']}", params={"phone": "13900000000"})
    assert wrong.status == 404 and "核对" in (await wrong.json())["error"]["message"]
    missing = await client.get(f"/api/tickets/{ticket['number']}")
    assert missing.status == 400 and (await missing.json())["error"]["code"] == "missing_phone"
    callback = await (await client.post("/api/tickets", json={
        "text": "转人工", "phone": "13812345678", "kind": "callback"})).json()
    assert (callback["category"], callback["status"]) == ("人工回电", "received")
    for bad, code in (({"text": "路灯坏了"}, "invalid_phone"), ({"phone": "13812345678"}, "missing_text"),
                      ({"text": "路灯坏了", "phone": "13812345678", "channel": "fax"}, "invalid_channel")):
        response = await client.post("/api/tickets", json=bad)
        body = await response.json()
        assert response.status == 400 and body["error"]["code"] == code and body["error"]["message"], bad
