"""GET /api/openapi.json: the API's OpenAPI description (api/openapi.yaml), as JSON."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from aiohttp import web

SPEC = Path(__file__).resolve().parent.parent / "openapi.yaml"


@functools.cache
def load_spec() -> dict[str, Any]:
    """The description, read once on first use (never at import time)."""
    import yaml

    return yaml.safe_load(SPEC.read_text(encoding="utf-8"))


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(load_spec())
