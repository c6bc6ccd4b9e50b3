"""The operators' console API: live suggestions, and the hand-over queue with concurrent claims."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
from aiohttp.test_utils import TestClient, TestServer

from api.main import create_app

from .staff_helpers import create_accounts, login

TOKEN = "internal-test-token"


@pytest.fixture
async def app_settings(api_settings, seeded_store):
    create_accounts(api_settings.db_url)
    # Rasa is not running here: the console's calls to it must fail cleanly.
    return dataclasses.replace(api_settings, internal_token=TOKEN, rasa_url="http://127.0.0.1:9")


@pytest.fixture
async def operators(app_settings):
    server = TestServer(create_app(app_settings))
    async with TestClient(server) as wang:
        async with TestClient(server) as zhao:
            wang.csrf, zhao.csrf = await login(wang, "wang"), await login(zhao, "zhao")
            yield wang, zhao


async def _queue(client, conversation_id: str) -> int:
    response = await client.post("/api/internal/handovers", headers={"X-Lifebot-Token": TOKEN},
                                 json={"conversation_id": conversation_id, "channel": "socketio", "text": "转人工"})
    assert response.status in (200, 201)
    return (await response.json())["id"]


async def test_suggestions_carry_service_cards_and_a_reply_to_read_out(operators):
    wang, _ = operators
    top = (await (await wang.get("/api/search", params={"q": "护照", "top": 1})).json())["results"][0]
    name = top["name"]
    response = await wang.get("/api/console/suggest", params={"q": name})
    assert response.status == 200
    body = await response.json()
    card = body["services"][0]
    assert card["name"] == name
    assert set(card) >= {"id", "name", "materials", "place", "hours", "fee", "online_url", "phone", "score"}
    if body["confident"]:
        assert body["reply"].startswith(f"您要办的是「{name}」")
    bad = await wang.get("/api/console/suggest", params={"q": ""})
    assert bad.status == 400 and "message" in (await bad.json())["error"]


async def test_two_operators_claiming_at_once_one_wins(operators):
    wang, zhao = operators
    for number in range(3):
        handover_id = await _queue(wang, f"conv-race-{number}")
        first, second = await asyncio.gather(
            wang.post(f"/api/console/handovers/{handover_id}/claim", headers=wang.csrf),
            zhao.post(f"/api/console/handovers/{handover_id}/claim", headers=zhao.csrf))
        statuses = sorted([first.status, second.status])
        assert statuses == [200, 409]
        loser = first if first.status == 409 else second
        assert (await loser.json())["error"]["code"] == "already_claimed"


async def test_queue_ownership_and_clean_errors(operators):
    wang, zhao = operators
    handover_id = await _queue(wang, "conv-own")
    assert await _queue(wang, "conv-own") == handover_id  # queued once while open
    items = (await (await zhao.get("/api/console/handovers")).json())["items"]
    assert [i["conversation_id"] for i in items] == ["conv-own"] and items[0]["status"] == "waiting"
    reply = await zhao.post(f"/api/console/handovers/{handover_id}/reply", json={"text": "您好"}, headers=zhao.csrf)
    assert reply.status == 409 and (await reply.json())["error"]["code"] == "not_claimed"
    assert (await wang.post(f"/api/console/handovers/{handover_id}/claim", headers=wang.csrf)).status == 200
    mine = (await (await wang.get("/api/console/handovers")).json())["items"][0]
    assert mine["mine"] is True and mine["operator"] == "wang"
    theirs = await zhao.post(f"/api/console/handovers/{handover_id}/release", headers=zhao.csrf)
    assert theirs.status == 409
    empty = await wang.post(f"/api/console/handovers/{handover_id}/reply", json={"text": " "}, headers=wang.csrf)
    assert empty.status == 400 and (await empty.json())["error"]["code"] == "text_required"
    down = await wang.post(f"/api/console/handovers/{handover_id}/reply", json={"text": "您好"}, headers=wang.csrf)
    assert down.status == 502
    assert await down.json() == {"error": {"code": "rasa_unavailable", "message": "对话服务暂时无法连接，请稍后再试"}}
    # Nothing was lost: the operator still holds the conversation.
    assert (await (await wang.get("/api/console/handovers")).json())["items"][0]["status"] == "claimed"
    missing = await wang.post("/api/console/handovers/999/claim", headers=wang.csrf)
    assert missing.status == 404
