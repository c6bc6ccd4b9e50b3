"""The resident web chat page; it talks to Rasa's socketio channel directly."""

from __future__ import annotations

import json
from pathlib import Path

from aiohttp import web

from api.typedefs import settings_key
from lifebot.messages import BUSY
from lifebot.settings import ROOT

PAGE = Path(__file__).resolve().parent.parent / "static" / "chat" / "index.html"
SOCKETIO_CLIENT = ROOT / "web" / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"


async def home(request: web.Request) -> web.Response:
    raise web.HTTPFound("/chat")


async def page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(PAGE, headers={"Cache-Control": "no-cache"})


async def config(request: web.Request) -> web.Response:
    settings = request.app[settings_key]
    # Without an explicit URL, the page reaches Rasa on the host it was served from.
    body = {"rasaUrl": settings.rasa_url, "rasaPort": settings.rasa_port, "busy": BUSY}
    return web.Response(text=f"window.LIFEBOT = {json.dumps(body)};", content_type="application/javascript")


async def socketio_client(request: web.Request) -> web.StreamResponse:
    if not SOCKETIO_CLIENT.exists():
        raise web.HTTPNotFound(text="socket.io client missing: run `make setup`")
    return web.FileResponse(SOCKETIO_CLIENT)
