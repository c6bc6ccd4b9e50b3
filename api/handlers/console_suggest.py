"""Hotline operators' console: live suggestions for what a caller says.

GET /api/console/suggest?q=... answers the top services with their key facts (the ``service_card``
shape the bot sends) and a reply text to read out. The console asks /api/route for the likely
department, team and grid of a complaint, and /api/tickets creates the ticket.
"""

from __future__ import annotations

import asyncio
import functools
import json
from typing import Any

from aiohttp import web

from api.auth import staff
from api.errors import ApiError
from api.handlers.search import log_search
from api.typedefs import engine_key, executor_key

TOP = 3
MAX_MATERIALS = 4


def service_card(entry: dict[str, Any]) -> dict[str, Any]:
    location = (entry.get("locations") or [{}])[0]
    place = "".join(p for p in (location.get("name", ""), f"（{location['address']}）" if location.get("address") else ""))
    return {"id": entry["id"], "name": entry["name"], "materials": list(entry.get("materials") or []),
            "place": place, "hours": location.get("hours", ""), "fee": entry.get("fee", ""),
            "online_url": entry.get("online_url", "") if entry.get("online") else "", "phone": entry.get("phone", "")}


def reply_text(cards: list[dict[str, Any]], departments: list[str], confident: bool) -> str:
    """What the operator can read out to the caller, in plain spoken Chinese."""
    if not cards:
        return "您说的情况我记下了，我帮您再查一下具体由哪个部门办理，请稍等。"
    if not confident:
        names = "、".join(f"「{c['name']}」" for c in cards[:2])
        return f"我跟您确认一下，您要办的是{names}中的哪一项？"
    card, department = cards[0], departments[0]
    parts = [f"您要办的是「{card['name']}」，由{department}负责。"]
    if card["materials"]:
        more = "等材料" if len(card["materials"]) > MAX_MATERIALS else ""
        parts.append(f"需要带：{'、'.join(card['materials'][:MAX_MATERIALS])}{more}。")
    if card["place"]:
        parts.append(f"办理地点在{card['place']}" + (f"，办公时间{card['hours']}。" if card["hours"] else "。"))
    if card["online_url"]:
        parts.append("这项业务也可以在网上办理。")
    if card["phone"]:
        parts.append(f"有疑问可以打咨询电话 {card['phone']}。")
    return "".join(parts)


def _suggest(engine, query: str) -> dict[str, Any]:
    result = engine.search(query, top=TOP)
    entries = [engine.entry(r["id"]) for r in result["results"]]
    cards = [service_card(e.to_dict()) for e in entries if e is not None]
    for card, hit in zip(cards, result["results"], strict=False):
        card["score"], card["department"] = hit["score"], hit["department"]
    departments = [hit["department"] for hit in result["results"]]
    return {"query": query, "confident": result["confident"], "services": cards,
            "reply": reply_text(cards, departments, result["confident"]), "_result": result}


@staff("operator")
async def suggest(request: web.Request) -> web.Response:
    from catalog.search import QueryError, validate_query

    try:
        query = validate_query(request.query.get("q", ""))
    except QueryError as exc:
        raise ApiError(400, exc.code, str(exc)) from None
    call = functools.partial(_suggest, request.app[engine_key], query)
    answer = await asyncio.get_running_loop().run_in_executor(request.app[executor_key], call)
    log_search(request, query, answer.pop("_result"), "console")
    return web.json_response(answer, dumps=functools.partial(json.dumps, ensure_ascii=False))
