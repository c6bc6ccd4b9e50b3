"""App factory and entry point of the life-service API."""

from __future__ import annotations

import logging

from aiohttp import web

from api.auth import networks
from api.booking_ctx import booking_ctx
from api.catalog_ctx import catalog_ctx, executor_ctx
from api.errors import error_middleware
from api.rate_limit import limits_from, rate_limit_middleware
from api.routes import setup_routes
from api.routing_ctx import routing_ctx
from api.staff_ctx import staff_ctx
from api.typedefs import rate_limits_key, settings_key
from lifebot.settings import Settings

log = logging.getLogger(__name__)


def create_app(settings: Settings) -> web.Application:
    """Build the app; every resource is opened and closed in cleanup_ctx, nothing at import time."""
    app = web.Application(middlewares=[error_middleware, rate_limit_middleware], client_max_size=64 * 1024)
    app[settings_key] = settings
    app[rate_limits_key], limits_store = limits_from(settings.rate_limits, settings.rate_limit_redis_url)
    if limits_store is not None:
        async def close_limits_store(_: web.Application) -> None:
            await limits_store.close()

        app.on_cleanup.append(close_limits_store)
    networks(tuple(settings.trusted_proxies))  # a bad entry stops the start, not every request
    app.cleanup_ctx.append(executor_ctx)
    app.cleanup_ctx.append(catalog_ctx)
    app.cleanup_ctx.append(routing_ctx)
    app.cleanup_ctx.append(staff_ctx)
    app.cleanup_ctx.append(booking_ctx)
    setup_routes(app)
    app.on_response_prepare.append(_no_sniffing)
    return app


async def _no_sniffing(request: web.Request, response: web.StreamResponse) -> None:
    """A browser opening an API URL never guesses HTML from JSON that holds a resident's text."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")


def run(settings: Settings) -> None:
    from lifebot.privacy import install_log_masking

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_log_masking()
    web.run_app(create_app(settings), host=settings.api_host, port=settings.api_port, access_log=None)
