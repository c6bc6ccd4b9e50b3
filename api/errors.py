"""JSON errors: every failure an API client sees is {"error": {"code", "message"}}.

``code`` is machine-readable; ``message`` is Simplified Chinese a resident can read.
"""

from __future__ import annotations

import json
import logging

from aiohttp import web

log = logging.getLogger(__name__)

HTTP_MESSAGES = {
    400: "请求格式不正确",
    404: "没有这个接口",
    405: "不支持这种请求方式",
    413: "请求内容太大",
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def readable(body):
    """JSON may carry half a UTF-16 pair ("\\ud800"): such text can be neither stored nor logged, so 400."""
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ApiError(400, "invalid_text", "请求内容含有无法识别的字符") from None
    return body


def json_error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


@web.middleware
async def error_middleware(request: web.Request, handler):
    try:
        return await handler(request)
    except ApiError as exc:
        return json_error(exc.status, exc.code, exc.message)
    except web.HTTPException as exc:
        if exc.status < 400 or not request.path.startswith("/api/"):
            raise
        code = exc.reason.lower().replace(" ", "_")
        return json_error(exc.status, code, HTTP_MESSAGES.get(exc.status, exc.reason))
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return json_error(500, "internal_error", "系统繁忙，请稍后再试")
