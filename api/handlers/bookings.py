"""Appointments: free slots, book, check, cancel and reschedule by code plus phone (issue 6)."""

from __future__ import annotations

import asyncio
import functools
import json
from datetime import datetime
from typing import Any

from aiohttp import web

from api.errors import ApiError, readable
from api.idempotency import key_of
from api.typedefs import booking_executor_key, booking_key

STATUS = {"invalid": 400, "conflict": 409, "not_found": 404}
REQUIRED = {"service_id": "服务编号", "hall": "办理地点", "date": "日期", "slot": "时段", "name": "姓名",
            "phone": "手机号"}
OPTIONAL = ("id_number", "address", "channel")


def _now() -> datetime:
    from booking.dates import JIANGYIN

    return datetime.now(JIANGYIN)


async def _call(request: web.Request, method: str, *args: Any, **kwargs: Any) -> Any:
    from booking.errors import BookingError

    store = request.app[booking_key]
    call = functools.partial(getattr(store, method), *args, **kwargs)
    try:
        return await asyncio.get_running_loop().run_in_executor(request.app[booking_executor_key], call)
    except BookingError as exc:
        raise ApiError(STATUS[exc.kind], exc.code, exc.message) from None


def _day(value: str | None):
    from booking.errors import BookingError
    from booking.store import parse_day

    try:
        return parse_day(value)
    except BookingError as exc:
        raise ApiError(400, exc.code, exc.message) from None


def _text(body: dict[str, Any], name: str, label: str, required: bool = True) -> str:
    value = body.get(name)
    if value is None or value == "":
        if required:
            raise ApiError(400, "missing_field", f"缺少{label}（{name}）")
        return ""
    if not isinstance(value, str) or len(value) > 200:
        raise ApiError(400, "bad_field", f"{label}（{name}）应为不超过 200 字的文字")
    return value.strip()


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ApiError(400, "bad_json", "请求内容不是有效的 JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "bad_json", "请求内容应为 JSON 对象")
    return readable(body)


def _phone(request: web.Request) -> str:
    phone = request.query.get("phone", "")
    if not phone:
        raise ApiError(400, "missing_parameter", "请提供预约时留的手机号（phone）")
    return phone


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=lambda obj: json.dumps(obj, ensure_ascii=False))


async def slots(request: web.Request) -> web.Response:
    service_id = request.query.get("service_id", "")
    if not service_id:
        raise ApiError(400, "missing_parameter", "请提供服务编号（service_id）")
    if not request.query.get("date"):
        raise ApiError(400, "missing_parameter", "请提供日期（date），如 2026-12-03")
    day, hall, now = _day(request.query["date"]), request.query.get("hall") or None, _now()
    found = await _call(request, "available", service_id, day, now, hall)
    halls = (await _call(request, "service", service_id))[1]
    answer: dict[str, Any] = {"service_id": service_id, "date": day.isoformat(), "slots": found, "halls": halls}
    if hall is not None and not any(s["remaining"] for s in found):
        free = await _call(request, "next_free_days", service_id, hall, day, now)
        answer["next_free_days"] = [d.isoformat() for d in free]
    return _json(answer)


async def create(request: web.Request) -> web.Response:
    """201 with the new booking; 200 with the earlier one for a repeated idempotency key."""
    body = await _body(request)
    key = key_of(request, body)
    values = {name: _text(body, name, label) for name, label in REQUIRED.items()}
    extra = {name: _text(body, name, name, required=False) for name in OPTIONAL}
    if key and (earlier := await _call(request, "by_key", key, values["phone"])) is not None:
        return _json(earlier)
    day = _day(values.pop("date"))
    booked = await _call(request, "book", values["service_id"], values["hall"], day, values["slot"],
                         values["name"], values["phone"], _now(), **extra, idempotency_key=key or "")
    return _json(booked, status=201)


async def show(request: web.Request) -> web.Response:
    return _json(await _call(request, "get", request.match_info["code"], _phone(request)))


async def cancel(request: web.Request) -> web.Response:
    return _json(await _call(request, "cancel", request.match_info["code"], _phone(request), _now()))


async def reschedule(request: web.Request) -> web.Response:
    body = await _body(request)
    day = _day(_text(body, "date", "日期"))
    slot = _text(body, "slot", "时段")
    hall = _text(body, "hall", "办理地点", required=False) or None
    return _json(await _call(request, "reschedule", request.match_info["code"], _phone(request), day, slot,
                             _now(), hall=hall))
