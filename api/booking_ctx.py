"""Start-up and shut-down of the booking store and its own thread pool.

Booking calls wait on the database (locks, fsync), not on the CPU, so they get their own pool and
never queue behind a search.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

from aiohttp import web

from api.typedefs import booking_executor_key, booking_key, engine_key, settings_key

BOOKING_THREADS = 8


async def booking_ctx(app: web.Application) -> AsyncIterator[None]:
    from booking.policy import Policy
    from booking.store import BookingStore

    settings = app[settings_key]
    executor = ThreadPoolExecutor(max_workers=BOOKING_THREADS, thread_name_prefix="lifebot-booking")
    engine = app[engine_key]  # the catalog as indexed: follows maintainers' edits
    store = await asyncio.get_running_loop().run_in_executor(
        executor, lambda: BookingStore(settings.db_url, engine.entry, Policy.from_settings(settings.booking)))
    app[booking_key], app[booking_executor_key] = store, executor
    yield
    executor.shutdown(wait=True, cancel_futures=True)
    store.close()
