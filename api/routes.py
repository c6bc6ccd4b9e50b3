"""Every URL of the life-service API, in one place."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from api.handlers import bookings, chat, health, openapi, routing, search

STATIC = Path(__file__).parent / "static"


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/health", health.health)
    app.router.add_get("/api/openapi.json", openapi.openapi)
    app.router.add_get("/api/search", search.search)
    app.router.add_get("/api/services/{id}", search.service)
    app.router.add_post("/api/route", routing.route)
    app.router.add_get("/api/address", routing.address)
    app.router.add_post("/api/tickets", routing.create_ticket)
    app.router.add_get("/api/tickets/{no}", routing.get_ticket)
    app.router.add_get("/api/slots", bookings.slots)
    app.router.add_post("/api/bookings", bookings.create)
    app.router.add_get("/api/bookings/{code}", bookings.show)
    app.router.add_delete("/api/bookings/{code}", bookings.cancel)
    app.router.add_patch("/api/bookings/{code}", bookings.reschedule)
    app.router.add_get("/", chat.home)
    app.router.add_get("/chat", chat.page)
    app.router.add_get("/chat/config.js", chat.config)
    app.router.add_get("/chat/vendor/socket.io.min.js", chat.socketio_client)
    setup_staff_routes(app)
    app.router.add_static("/static/", STATIC, show_index=False)


def setup_staff_routes(app: web.Application) -> None:
    """The maintainers' admin, the operators' console, log-in and the action server's internal URL."""
    from api.handlers import (
        admin_entries,
        admin_import,
        admin_reports,
        auth,
        console_handovers,
        console_suggest,
        staff_pages,
    )

    app.router.add_get("/admin", staff_pages.admin)
    app.router.add_get("/console", staff_pages.console)
    app.router.add_post("/api/auth/login", auth.login)
    app.router.add_post("/api/auth/logout", auth.logout)
    app.router.add_get("/api/auth/me", auth.me)
    app.router.add_get("/api/admin/services", admin_entries.browse)
    app.router.add_get("/api/admin/services/{id}", admin_entries.detail)
    app.router.add_patch("/api/admin/services/{id}", admin_entries.edit)
    app.router.add_post("/api/admin/services/{id}/rollback", admin_entries.rollback)
    app.router.add_post("/api/admin/services/{id}/status", admin_entries.set_status)
    app.router.add_post("/api/admin/import", admin_import.preview)
    app.router.add_post("/api/admin/import/{token}", admin_import.apply)
    app.router.add_get("/api/admin/unmatched", admin_reports.unmatched)
    app.router.add_get("/api/admin/audit", admin_reports.audit)
    app.router.add_get("/api/console/suggest", console_suggest.suggest)
    app.router.add_get("/api/console/handovers", console_handovers.queue)
    app.router.add_post("/api/console/handovers/{id}/claim", console_handovers.claim)
    app.router.add_get("/api/console/handovers/{id}/messages", console_handovers.messages)
    app.router.add_post("/api/console/handovers/{id}/reply", console_handovers.reply)
    app.router.add_post("/api/console/handovers/{id}/release", console_handovers.release)
    app.router.add_post("/api/internal/handovers", console_handovers.record)
