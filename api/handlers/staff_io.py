"""Reading staff requests (JSON bodies, parameters) and turning catalog errors into JSON errors."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from api.auth import blocking
from api.errors import ApiError, readable

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
    return readable(body)


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


def int_param(value: str | None, default: int, name: str, high: int) -> int:
    try:
        number = int(value) if value else default
    except ValueError:
        raise ApiError(400, "bad_parameter", f"参数 {name} 必须是整数") from None
    if not 0 <= number <= high:
        raise ApiError(400, "bad_parameter", f"参数 {name} 超出范围")
    return number


async def catalog_call(request: web.Request, func, *args):
    """Catalog errors become JSON: 404 not_found, 422 invalid (with every problem), 409 conflict."""
    from catalog.errors import CatalogError, InvalidEntry, NotFound

    try:
        return await blocking(request, func, *args)
    except NotFound as exc:
        raise ApiError(404, "not_found", str(exc)) from None
    except InvalidEntry as exc:
        raise InvalidProblems(exc.problems) from None
    except CatalogError as exc:
        raise ApiError(409, "conflict", str(exc)) from None


class InvalidProblems(ApiError):
    def __init__(self, problems: list[str]):
        super().__init__(422, "invalid", "；".join(problems))
