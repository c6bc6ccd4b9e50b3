"""How the bot's messages read in WeChat, and the channel's short memory of each resident.

WeChat shows text only: buttons become a numbered list and the resident answers with the number;
custom payloads (cards) are skipped because the text beside them already says everything.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

CHOOSE_HINT = "请回复数字选择："


def with_options(text: str, buttons: list[dict[str, Any]]) -> str:
    lines = [text.strip()] if text and text.strip() else []
    if buttons:
        lines.append(CHOOSE_HINT)
        lines += [f"{number}. {button.get('title', '')}" for number, button in enumerate(buttons, 1)]
    return "\n".join(lines)


def render(messages: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """The reply text for collected bot messages and the payloads its numbers stand for."""
    parts: list[str] = []
    options: list[str] = []
    for message in messages:
        buttons = message.get("buttons") or message.get("quick_replies") or []
        text = with_options(message.get("text") or "", buttons)
        if text:
            parts.append(text)
        if buttons:
            options = [b.get("payload") or b.get("title", "") for b in buttons]
    return "\n\n".join(parts), options


class Expiring:
    """A bounded mapping whose values are forgotten after ``ttl`` seconds."""

    def __init__(self, ttl: float, size: int = 10_000):
        self.ttl = ttl
        self.size = size
        self._items: OrderedDict[str, tuple[float, Any]] = OrderedDict()

    def get(self, key: str) -> Any:
        self._expire()
        item = self._items.get(key)
        return item[1] if item else None

    def put(self, key: str, value: Any) -> None:
        self._items[key] = (time.monotonic() + self.ttl, value)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def pop(self, key: str) -> Any:
        item = self._items.pop(key, None)
        return item[1] if item else None

    def _expire(self) -> None:
        now = time.monotonic()
        while self._items:
            key, (expires, _) = next(iter(self._items.items()))
            if expires > now:
                break
            del self._items[key]


class Choices:
    """The numbered options last offered to each resident (for 30 minutes)."""

    def __init__(self, ttl: float = 1800):
        self._offered = Expiring(ttl)

    def offer(self, openid: str, payloads: list[str]) -> None:
        if payloads:
            self._offered.put(openid, payloads)
        else:
            self._offered.pop(openid)

    def resolve(self, openid: str, text: str) -> str:
        """A number answering the last offer becomes that option's payload; anything else stays as said."""
        payloads = self._offered.get(openid)
        number = text.strip().rstrip(".。、")
        if payloads and number.isdigit() and 1 <= int(number) <= len(payloads):
            self._offered.pop(openid)
            return payloads[int(number) - 1]
        return text


@dataclass
class Handling:
    """One incoming message, by MsgId: the bot runs once however often WeChat retries it."""

    decided: asyncio.Event = field(default_factory=asyncio.Event)
    # The passive reply given (sent again to a retry: WeChat retries only when it got no answer),
    # or None when the answer goes out through the customer-service API.
    reply: str | None = None
