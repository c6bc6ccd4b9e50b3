"""Local stand-ins the WeChat tests start: the official API (access token + customer-service send)
and a delaying proxy in front of the real action server (to make an answer slow on purpose)."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from typing import Any

import aiohttp
from aiohttp import web


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Background:
    """An aiohttp app served on 127.0.0.1:<free port> from a thread with its own event loop."""

    def __init__(self, app: web.Application):
        self.app = app
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._runner = web.AppRunner(app)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)
        return self

    async def _start(self) -> None:
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    def __exit__(self, *exc) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)


class FakeOfficialApi(Background):
    """api.weixin.qq.com as far as the channel uses it: /cgi-bin/token and /cgi-bin/message/custom/send."""

    def __init__(self, appid: str, secret: str):
        self.appid, self.secret = appid, secret
        self.tokens_issued = 0
        self.sent: list[dict[str, Any]] = []
        self.expire_next_send = False
        app = web.Application()
        app.router.add_get("/cgi-bin/token", self.token)
        app.router.add_post("/cgi-bin/message/custom/send", self.send)
        super().__init__(app)

    def current_token(self) -> str:
        return f"token-{self.tokens_issued}"

    async def token(self, request: web.Request) -> web.Response:
        query = request.query
        if (query.get("grant_type"), query.get("appid"), query.get("secret")) != (
                "client_credential", self.appid, self.secret):
            return web.json_response({"errcode": 40125, "errmsg": "invalid appsecret"})
        self.tokens_issued += 1
        return web.json_response({"access_token": self.current_token(), "expires_in": 7200})

    async def send(self, request: web.Request) -> web.Response:
        if self.expire_next_send or request.query.get("access_token") != self.current_token():
            self.expire_next_send = False
            return web.json_response({"errcode": 42001, "errmsg": "access_token expired"})
        body = json.loads(await request.read())
        if body.get("msgtype") != "text" or not body.get("touser") or not body.get("text", {}).get("content"):
            return web.json_response({"errcode": 44002, "errmsg": "empty post data"})
        self.sent.append(body)
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    def wait_for_sent(self, count: int, timeout: float) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(self.sent) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return list(self.sent)


class DelayingActionProxy(Background):
    """Forwards Rasa's action calls to the real action server, after ``delay`` seconds."""

    def __init__(self, target: str):
        self.target = target
        self.delay = 0.0
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_post("/webhook", self.forward)
        super().__init__(app)

    async def forward(self, request: web.Request) -> web.Response:
        await asyncio.sleep(self.delay)
        async with aiohttp.ClientSession() as session:
            async with session.post(f"{self.target}/webhook", data=await request.read(),
                                    headers={"Content-Type": "application/json"}) as answer:
                return web.Response(body=await answer.read(), status=answer.status,
                                    content_type="application/json")
