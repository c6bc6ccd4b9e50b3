"""The official account's customer-service message API (客服消息), through wechatpy's client.

Used when an answer is too slow for WeChat's 5-second passive reply, and as the channel's output for
messages that do not answer a resident's request (an operator writing from the console). The API
base is configurable, so tests point it at a local fake of api.weixin.qq.com.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa.core.channels.channel import OutputChannel
from wechatpy.client import WeChatClient
from wechatpy.exceptions import WeChatClientException

from bot.channels.wechat_replies import with_options

log = logging.getLogger(__name__)

# A customer-service text message may carry 2048 bytes; keep a margin for the JSON escaping.
MAX_TEXT_BYTES = 2000


class OfficialAccountClient(WeChatClient):
    """wechatpy's client with every URL (the access token's included) under a configurable base."""

    def __init__(self, appid: str, secret: str, api_base: str, timeout: float = 5.0):
        super().__init__(appid, secret, timeout=timeout)
        self.API_BASE_URL = api_base.rstrip("/") + "/cgi-bin/"

    def fetch_access_token(self) -> dict[str, Any]:
        return self._fetch_access_token(url=self.API_BASE_URL + "token", params={
            "grant_type": "client_credential", "appid": self.appid, "secret": self.secret})


def split_text(text: str, limit: int = MAX_TEXT_BYTES) -> list[str]:
    """Pieces of at most ``limit`` UTF-8 bytes, cut at line ends where possible."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        if len((current + line).encode()) <= limit:
            current += line
            continue
        if current:
            pieces.append(current)
        while len(line.encode()) > limit:
            cut = _fitting(line, limit)
            pieces.append(line[:cut])
            line = line[cut:]
        current = line
    pieces.append(current)
    return [p.strip("\n") for p in pieces if p.strip()]


def _fitting(line: str, limit: int) -> int:
    """How many leading characters of ``line`` fit in ``limit`` bytes."""
    count = min(len(line), limit)
    while len(line[:count].encode()) > limit:
        count -= 1
    return count


class CustomerService:
    """Sends texts to one resident; wechatpy's blocking client runs in the default executor."""

    def __init__(self, client: OfficialAccountClient):
        self.client = client

    async def send_text(self, openid: str, text: str) -> bool:
        loop = asyncio.get_running_loop()
        for piece in split_text(text):
            try:
                await loop.run_in_executor(None, self.client.message.send_text, openid, piece)
            except WeChatClientException as exc:
                # 45015: the resident wrote more than 48 hours ago; 45047: too many messages in a row.
                log.error("customer-service message to %s failed: %s %s", mask_openid(openid),
                          exc.errcode, exc.errmsg)
                return False
            except Exception:
                log.exception("customer-service message to %s failed", mask_openid(openid))
                return False
        return True


class WeChatOutput(OutputChannel):
    """Output through the customer-service API: text is sent, custom payloads are already said in text."""

    @classmethod
    def name(cls) -> str:
        return "wechat"

    def __init__(self, service: CustomerService):
        self.service = service

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.service.send_text(recipient_id, text)

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: list[dict[str, Any]],
                                     **kwargs: Any) -> None:
        await self.service.send_text(recipient_id, with_options(text, buttons))

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        return None


def mask_openid(openid: str) -> str:
    return openid[:6] + "…" if len(openid) > 6 else openid
