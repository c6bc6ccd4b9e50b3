"""Every URL of the life-service API, in one place."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from api.handlers import bookings, chat, health, search

STATIC = Path(__file__).parent / "static"


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/health", health.health)
    app.router.add_get("/api/search", search.search)
    app.router.add_get("/api/services/{id}", search.service)
    app.router.add_get("/api/slots", bookings.slots)
    app.router.add_post("/api/bookings", bookings.create)
    app.router.add_get("/api/bookings/{code}", bookings.show)
    app.router.add_delete("/api/bookings/{code}", bookings.cancel)
    app.router.add_patch("/api/bookings/{code}", bookings.reschedule)
    app.router.add_get("/", chat.home)
    app.router.add_get("/chat", chat.page)
    app.router.add_get("/chat/config.js", chat.config)
    app.router.add_get("/chat/vendor/socket.io.min.js", chat.socketio_client)
    app.router.add_static("/static/", STATIC, show_index=False)
