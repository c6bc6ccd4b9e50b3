"""Start-up of routing: the classifier (fitted off the event loop) and the ticket store."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from aiohttp import web

from api.typedefs import engine_key, executor_key, router_key, settings_key, tickets_key


def _open(settings, encoder):
    from routing.classify.model import RequestClassifier
    from routing.router import Router
    from routing.tickets.store import TicketStore

    return Router(RequestClassifier.trained(encoder)), TicketStore(settings.db_url)


async def routing_ctx(app: web.Application) -> AsyncIterator[None]:
    from routing.classify.model import USE_ENCODER

    encoder = app[engine_key].encoder if USE_ENCODER else None
    loop = asyncio.get_running_loop()
    router, store = await loop.run_in_executor(app[executor_key], _open, app[settings_key], encoder)
    app[router_key], app[tickets_key] = router, store
    yield
    store.close()
