"""Reading the JSON bodies of staff requests."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from api.errors import ApiError

MAX_REASON = 500


async def json_body(request: web.Request) -> dict[str, Any]:
    if request.content_type != "application/json":
        raise ApiError(415, "json_required", "请用 JSON 格式提交")
    try:
        body = await request.json()
    except ValueError:
        raise ApiError(400, "bad_json", "请求内容不是合法的 JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "bad_json", "请求内容应为 JSON 对象")
    return body


def reason_of(body: dict[str, Any]) -> str:
    reason = body.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ApiError(400, "reason_required", "请填写修改原因（会记入历史）")
    if len(reason) > MAX_REASON:
        raise ApiError(400, "bad_parameter", f"修改原因不能超过 {MAX_REASON} 字")
    return reason.strip()


def text_of(body: dict[str, Any], name: str, label: str, limit: int) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ApiError(400, f"{name}_required", f"请填写{label}")
    if len(value) > limit:
        raise ApiError(400, "bad_parameter", f"{label}不能超过 {limit} 字")
    return value.strip()
