"""Maintainers' admin: what residents asked that found no confident match, and the audit log."""

from __future__ import annotations

from aiohttp import web

from api.auth import blocking, staff
from api.handlers.admin_entries import READ_ROLES
from api.handlers.staff_io import int_param
from api.typedefs import staff_key


@staff(*READ_ROLES)
async def unmatched(request: web.Request) -> web.Response:
    days = int_param(request.query.get("days"), 30, "days", 366) or 30
    limit = int_param(request.query.get("limit"), 100, "limit", 500) or 100
    log = request.app[staff_key].search_log
    rows = await blocking(request, log.unmatched, days, limit)
    counts = await blocking(request, log.counts, days)
    return web.json_response({"days": days, **counts, "items": rows})


@staff(*READ_ROLES)
async def audit(request: web.Request) -> web.Response:
    params = request.query
    limit = int_param(params.get("limit"), 100, "limit", 500) or 100
    before = int_param(params.get("before"), 0, "before", 2**62) or None
    rows = await blocking(request, request.app[staff_key].audit.recent, limit, params.get("actor") or None,
                          params.get("action") or None, before)
    return web.json_response({"items": rows})
