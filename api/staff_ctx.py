"""Start-up and shut-down of the staff side: the accounts database, the search-log writer and the
HTTP client the console uses to talk to Rasa.

Searches are logged from a buffer flushed once a second off the event loop, so logging never slows
an answer down; whatever is buffered at shut-down is written before the app closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

from api.typedefs import executor_key, http_key, search_log_key, settings_key, staff_key

log = logging.getLogger(__name__)
FLUSH_SECONDS = 1.0


async def _flush(app: web.Application) -> None:
    buffer = app[search_log_key]
    if not buffer:
        return
    records, buffer[:] = list(buffer), []
    loop = asyncio.get_running_loop()
    try:
        await loop.run_in_executor(app[executor_key], app[staff_key].search_log.record_many, records)
    except Exception:  # a database blip loses at most one second of the log, never an answer
        log.exception("could not write %s search log records", len(records))


async def _flush_forever(app: web.Application) -> None:
    while True:
        await asyncio.sleep(FLUSH_SECONDS)
        await _flush(app)


async def staff_ctx(app: web.Application) -> AsyncIterator[None]:
    from accounts.staff import Staff

    loop = asyncio.get_running_loop()
    staff = await loop.run_in_executor(app[executor_key], Staff.from_settings, app[settings_key])
    app[staff_key], app[search_log_key] = staff, []
    app[http_key] = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
    flusher = asyncio.create_task(_flush_forever(app))
    yield
    flusher.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await flusher
    await _flush(app)
    await app[http_key].close()
    staff.close()
