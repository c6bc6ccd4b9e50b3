"""Liveness and what is loaded."""

from aiohttp import web

from api.typedefs import engine_key, settings_key


async def health(request: web.Request) -> web.Response:
    engine = request.app[engine_key]
    settings = request.app[settings_key]
    return web.json_response({
        "status": "ok",
        "catalog_version": engine.catalog_version,
        "index_size": engine.size,
        "encoder": settings.encoder,
        # Which embedding model serves ("tuned" or "stock"), its name and why (issue 10).
        "embedding_model": engine.model,
    })
