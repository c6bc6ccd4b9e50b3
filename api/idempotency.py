"""The idempotency key of a POST that creates something (a booking, a ticket): docs/reliability.md.

A client may send one, as the ``Idempotency-Key`` header or the ``idempotency_key`` field of the
JSON body (the header wins). A repeat of the request with the same key gets the booking or ticket
the first one made, with 200 instead of 201, and creates nothing.
"""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from api.errors import ApiError

HEADER = "Idempotency-Key"
FIELD = "idempotency_key"
KEY = re.compile(r"[\x21-\x7e]{1,100}")  # visible ASCII, as the column holds at most 100


def key_of(request: web.Request, body: dict[str, Any]) -> str | None:
    value = request.headers.get(HEADER)
    if value is None:
        value = body.get(FIELD)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not KEY.fullmatch(value):
        raise ApiError(400, "invalid_idempotency_key",
                       f"请求编号（{HEADER}）应为不超过 100 个字符的英文字母、数字或符号")
    return value
