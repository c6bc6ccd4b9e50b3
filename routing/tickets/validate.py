"""Checks on a new ticket's fields; each failure has a machine-readable code and a Chinese message."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lifebot.typed import half_width

PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
CHANNELS = ("web", "wechat", "hotline", "console", "api")
MAX_TEXT = 500
KINDS = ("report", "callback")


class TicketError(Exception):
    status = 400

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


class TicketNotFound(TicketError):
    status = 404


class BadTransition(TicketError):
    status = 409


class KeyReused(TicketError):
    """An idempotency key already filed a ticket for another phone."""

    status = 409


class Busy(TicketError):
    """Not the request's fault: it may be sent again as it is."""

    status = 503


@dataclass
class NewTicket:
    text: str
    phone: str
    address: str | None = None
    name: str | None = None
    channel: str = "api"
    conversation_id: str | None = None
    # "report" (a resident's report, routed) or "callback" (the bot's out-of-hours hand-over)
    kind: str = "report"
    # The client's key of this request (api/idempotency.py): a repeat gets the first ticket back.
    idempotency_key: str | None = None


def normalise_phone(value: Any) -> str:
    phone = re.sub(r"[\s()（）]", "", half_width(str(value or "")))  # "１３８…" as typed in full width
    if not PHONE.match(phone):
        raise TicketError("invalid_phone", "联系电话不正确，请填写 11 位手机号或带区号的固定电话")
    return phone


def new_ticket(body: Any) -> NewTicket:
    if not isinstance(body, dict):
        raise TicketError("invalid_body", "请求内容应为 JSON 对象")
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise TicketError("missing_text", "请说明要反映的问题")
    if len(text) > MAX_TEXT:
        raise TicketError("text_too_long", f"问题描述不能超过 {MAX_TEXT} 个字")
    optional: dict[str, str | None] = {}
    for key, limit in (("address", 200), ("name", 40), ("conversation_id", 100)):
        value = body.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            raise TicketError(f"invalid_{key}", {"address": "地址", "name": "姓名", "conversation_id": "会话编号"}[key]
                              + f"应为不超过 {limit} 个字的文字")
        optional[key] = value.strip() if isinstance(value, str) and value.strip() else None
    channel = body.get("channel") or "api"
    if channel not in CHANNELS:
        raise TicketError("invalid_channel", f"渠道只能是 {'、'.join(CHANNELS)} 之一")
    kind = body.get("kind") or "report"
    if kind not in KINDS:
        raise TicketError("invalid_kind", "kind 只能是 report 或 callback")
    return NewTicket(text=text.strip(), phone=normalise_phone(body.get("phone")), channel=channel, kind=kind,
                     **optional)
