"""Start-up and shut-down of the API's heavy resources: the executor, the catalog and its index.

The index is loaded once at start-up (off the event loop); a background task polls the catalog
version and applies maintainers' edits incrementally, so a running API follows the catalog within
seconds without a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

from aiohttp import web

from api.typedefs import engine_key, executor_key, settings_key, store_key

log = logging.getLogger(__name__)


async def executor_ctx(app: web.Application) -> AsyncIterator[None]:
    executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="lifebot-cpu")
    app[executor_key] = executor
    yield
    executor.shutdown(wait=True, cancel_futures=True)


def _open(settings):
    from catalog.search.factory import engine_from_settings
    from catalog.store import CatalogStore

    store = CatalogStore(settings.db_url)
    return store, engine_from_settings(settings, store)


async def _follow_catalog(app: web.Application) -> None:
    settings = app[settings_key]
    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(settings.catalog_poll_seconds)
        try:
            store, engine = app[store_key], app[engine_key]
            version = await loop.run_in_executor(app[executor_key], store.version)
            if version != engine.catalog_version:
                touched = await loop.run_in_executor(app[executor_key], engine.refresh, store)
                log.info("catalog version %s: %s entries re-indexed", version, touched)
        except Exception:  # keep following; a database blip must not stop updates for good
            log.exception("catalog refresh failed; will retry")


async def catalog_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[settings_key]
    loop = asyncio.get_running_loop()
    store, engine = await loop.run_in_executor(app[executor_key], _open, settings)
    app[store_key], app[engine_key] = store, engine
    log.info("catalog version %s, %s entries indexed", engine.catalog_version, engine.size)
    follower = asyncio.create_task(_follow_catalog(app))
    yield
    follower.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await follower
    store.close()
