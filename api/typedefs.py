"""Typed keys for everything the API app holds."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from aiohttp import web

from lifebot.settings import Settings

if TYPE_CHECKING:
    pass

settings_key = web.AppKey("settings", Settings)
executor_key = web.AppKey("executor", ThreadPoolExecutor)
rate_limits_key = web.AppKey("rate_limits", dict)  # class -> its take (api/rate_limit.py)
store_key = web.AppKey("store", "CatalogStore")
engine_key = web.AppKey("engine", "SearchEngine")
router_key = web.AppKey("router", "Router")
tickets_key = web.AppKey("tickets", "TicketStore")
staff_key = web.AppKey("staff", "Staff")
search_log_key = web.AppKey("search_log", list)
http_key = web.AppKey("http", "ClientSession")
booking_key = web.AppKey("booking", "BookingStore")
booking_executor_key = web.AppKey("booking_executor", ThreadPoolExecutor)
