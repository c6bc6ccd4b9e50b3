"""Every URL of the life-service API, in one place."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from api.handlers import chat, health, routing, search

STATIC = Path(__file__).parent / "static"


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/health", health.health)
    app.router.add_get("/api/search", search.search)
    app.router.add_get("/api/services/{id}", search.service)
    app.router.add_post("/api/route", routing.route)
    app.router.add_get("/api/address", routing.address)
    app.router.add_post("/api/tickets", routing.create_ticket)
    app.router.add_get("/api/tickets/{no}", routing.get_ticket)
    app.router.add_get("/", chat.home)
    app.router.add_get("/chat", chat.page)
    app.router.add_get("/chat/config.js", chat.config)
    app.router.add_get("/chat/vendor/socket.io.min.js", chat.socketio_client)
    app.router.add_static("/static/", STATIC, show_index=False)
