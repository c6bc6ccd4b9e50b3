"""The staff pages: /admin (maintainers, reviewers) and /console (hotline operators).

Static HTML and JS; the data comes from the staff APIs behind log-in. Served with headers that keep
them out of frames and caches and allow scripts only from this site.
"""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

STATIC = Path(__file__).resolve().parent.parent / "static"
HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


async def admin(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "admin" / "index.html", headers=HEADERS)


async def console(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "console" / "index.html", headers=HEADERS)
