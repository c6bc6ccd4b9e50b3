"""WeChat official account (微信公众号) as a Rasa input channel, served at /webhooks/wechat/webhook.

The official-account message protocol, with wechatpy: URL verification (echostr), signature check
(a forged or stale signature gets 403 and nothing reaches the bot), plaintext and safe mode (AES),
text, voice (the recognition text WeChat adds when speech recognition is on), subscribe and
unsubscribe events. WeChat waits 5 seconds for a passive reply; an answer not ready within
``reply_timeout`` is acknowledged with "success" and sent through the customer-service message API
when it is. WeChat drops a passive reply longer than 2048 bytes without a word, so a longer answer
goes out in pieces through the same API (or, without it, is cut with a note). A turn that fails is
answered with BUSY (bot/channels/busy.py). WeChat retries a message it got no answer for (same
MsgId): the bot hears it once.
Settings: see ``WeChatSettings`` and docs/wechat.md.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.replies import create_reply
from wechatpy.utils import check_signature

from bot.channels import busy
from bot.channels.limits import guard
from bot.channels.wechat_client import (
    MAX_TEXT_BYTES,
    CustomerService,
    OfficialAccountClient,
    WeChatOutput,
    mask_openid,
    split_text,
)
from bot.channels.wechat_replies import Choices, Expiring, Handling, render
from lifebot.privacy import masked

log = logging.getLogger(__name__)

NOT_UNDERSTOOD_VOICE = "抱歉，这条语音没听清。请再说一遍，或者直接打字告诉我您要办的事。"
UNSUPPORTED = "目前我只能看懂文字和语音消息。请用文字告诉我您要办的事，比如“居住证怎么办”。"
GREETING_PAYLOAD = "/greet"
CUT_NOTE = "（内容较长，这里只显示了前一部分。可以问得更具体些，或拨打 12345 咨询。）"


@dataclass(frozen=True)
class WeChatSettings:
    token: str = ""
    appid: str = ""
    encoding_aes_key: str = ""
    appsecret: str = ""
    api_base: str = "https://api.weixin.qq.com"
    # Seconds to wait for the bot before answering "success" and using the customer-service API;
    # WeChat gives up after 5 s, so keep a margin for the network.
    reply_timeout: float = 4.0
    # A request whose timestamp is further than this from now is refused as stale (replay).
    max_clock_skew: float = 300.0

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None,
                         env: dict[str, str] | None = None) -> WeChatSettings:
        """credentials.yml values; LIFEBOT_WECHAT_<NAME> environment variables override them."""
        credentials, env = credentials or {}, os.environ if env is None else env
        unknown = set(credentials) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown wechat settings in credentials.yml: {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {}
        for spec in fields(cls):
            value = env.get(f"LIFEBOT_WECHAT_{spec.name.upper()}") or credentials.get(spec.name)
            if value not in (None, ""):
                values[spec.name] = float(value) if spec.type in ("float", float) else str(value).strip()
        settings = cls(**values)
        if settings.encoding_aes_key and len(settings.encoding_aes_key) != 43:
            raise ValueError("wechat encoding_aes_key must be the 43 characters shown in the official "
                             "account's settings (EncodingAESKey)")
        return settings


def _text(body: str, status: int = 200) -> HTTPResponse:
    return response.text(body, status=status)


class WeChatInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(WeChatSettings.from_credentials(credentials))

    def __init__(self, settings: WeChatSettings):
        self.settings = settings
        self.crypto = (WeChatCrypto(settings.token, settings.encoding_aes_key, settings.appid)
                       if settings.token and settings.encoding_aes_key else None)
        self.service = (CustomerService(OfficialAccountClient(settings.appid, settings.appsecret,
                                                              settings.api_base))
                        if settings.appid and settings.appsecret else None)
        self.handling = Expiring(ttl=60)
        self.choices = Choices()
        self.background: set[asyncio.Task] = set()
        if not settings.token:
            log.warning("wechat channel not configured (no token): its webhook answers 503")

    def get_output_channel(self) -> OutputChannel | None:
        return WeChatOutput(self.service) if self.service else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("wechat_webhook", __name__)
        on_new_message = guard(on_new_message)

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": bool(self.settings.token)})

        @hook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            refused = self._refusal(request)
            if refused:
                return refused
            return _text(request.args.get("echostr", ""))

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            refused = self._refusal(request)
            if refused:
                return refused
            args = request.args
            encrypted = args.get("encrypt_type") == "aes"
            xml = request.body.decode("utf-8", errors="replace")
            if encrypted:
                if self.crypto is None:
                    log.error("wechat sent a safe-mode message but no encoding_aes_key is configured")
                    return _text("encoding_aes_key not configured", 503)
                try:
                    xml = self.crypto.decrypt_message(xml, args.get("msg_signature", ""),
                                                      args.get("timestamp", ""), args.get("nonce", ""))
                except (InvalidSignatureException, InvalidAppIdException):
                    return _text("invalid signature", 403)
                except Exception:
                    return _text("malformed encrypted message", 400)
            try:
                message = parse_message(xml)
            except Exception:
                return _text("malformed message", 400)
            if message is None or not message.source:  # an empty body parses to None
                return _text("malformed message", 400)
            reply = await self._answer(message, on_new_message)
            if not reply:
                return _text("success")
            rendered = create_reply(reply, message=message, render=True)
            if encrypted:
                rendered = self.crypto.encrypt_message(rendered, args.get("nonce", ""), args.get("timestamp"))
            return response.text(rendered, content_type="application/xml")

        return hook

    def _refusal(self, request: Request) -> HTTPResponse | None:
        """403 unless the request carries a fresh, valid signature; 503 while not configured."""
        if not self.settings.token:
            return _text("wechat channel not configured", 503)
        args = request.args
        timestamp = args.get("timestamp", "")
        try:
            stale = abs(time.time() - int(timestamp)) > self.settings.max_clock_skew
        except ValueError:
            stale = True
        if stale:
            return _text("stale or missing timestamp", 403)
        try:
            check_signature(self.settings.token, args.get("signature", ""), timestamp, args.get("nonce", ""))
        except InvalidSignatureException:
            return _text("invalid signature", 403)
        return None

    async def _answer(self, message: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> str:
        """The passive reply text, or "" when there is none (or it goes out later)."""
        key = str(message.id) if getattr(message, "id", None) else (
            f"{message.source}:{message.create_time}:{getattr(message, 'event', message.type)}")
        seen: Handling | None = self.handling.get(key)
        if seen is not None:
            await seen.decided.wait()
            log.info("wechat retry of %s from %s answered once", key, mask_openid(message.source))
            return seen.reply or ""
        handling = Handling()
        self.handling.put(key, handling)
        try:
            handling.reply = await self._run(message, on_new_message)
        finally:
            handling.decided.set()
        return handling.reply or ""

    def _said(self, message: Any) -> str | None:
        """What reaches the bot for a message: the resident's words, a payload, or None (a fixed reply)."""
        if message.type == "text":
            return self.choices.resolve(message.source, message.content or "")
        if message.type == "voice":
            return (message.recognition or "").strip() or None
        if message.type == "event" and message.event == "subscribe":
            return GREETING_PAYLOAD
        return None

    async def _run(self, message: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> str | None:
        openid = message.source
        if message.type == "event":
            if message.event != "subscribe":
                # unsubscribe and other events: acknowledged, nothing to say (WeChat delivers nothing then).
                log.info("wechat event %s from %s", message.event, mask_openid(openid))
                if message.event == "unsubscribe":
                    self.choices.offer(openid, [])
                return None
        said = self._said(message)
        if said is None:
            return NOT_UNDERSTOOD_VOICE if message.type == "voice" else UNSUPPORTED
        log.info("wechat %s from %s: %s", message.type, mask_openid(openid), masked(said))
        collector = CollectingOutputChannel()
        metadata = {"wechat_msg_type": message.type}
        task = asyncio.ensure_future(busy.handle(on_new_message, UserMessage(
            said, collector, openid, input_channel=self.name(), metadata=metadata)))
        try:
            await asyncio.wait_for(asyncio.shield(task), self.settings.reply_timeout)
        except asyncio.TimeoutError:
            self._later(task, collector, openid)
            return None
        text, options = render(collector.messages)
        self.choices.offer(openid, options)
        return self._passive(text, openid)

    def _passive(self, text: str, openid: str) -> str | None:
        """The passive reply for an answer: itself when it fits one WeChat text; else None, the answer
        going out in pieces through the customer-service API; without that API, its first part and a note."""
        if len(text.encode()) <= MAX_TEXT_BYTES:
            return text or None
        if self.service is not None:
            self._in_background(self.service.send_text(openid, text))
            return None
        log.warning("long answer to %s cut: set appid and appsecret to send it whole", mask_openid(openid))
        room = MAX_TEXT_BYTES - len(("\n" + CUT_NOTE).encode())
        return split_text(text, room)[0] + "\n" + CUT_NOTE

    def _later(self, task: asyncio.Future, collector: CollectingOutputChannel, openid: str) -> None:
        """The answer was too slow for a passive reply: send it with the customer-service API."""
        async def deliver() -> None:
            await task
            text, options = render(collector.messages)
            self.choices.offer(openid, options)
            if not text:
                return
            if self.service is None:
                log.error("slow answer to %s lost: set appid and appsecret for the customer-service API",
                          mask_openid(openid))
                return
            await self.service.send_text(openid, text)

        self._in_background(deliver())

    def _in_background(self, work: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(work)
        self.background.add(task)
        task.add_done_callback(self.background.discard)
