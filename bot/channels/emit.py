"""Send a json_message payload passed as emit() keyword arguments as the event's data.

Kept apart from socketio_cards.py so it can be tested without importing rasa.core (which starts
JAX in the test process, and JAX warns on every later fork, e.g. the browser tests').
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

EMIT_ARGUMENTS = {"data", "to", "room", "skip_sid", "namespace", "callback", "ignore_queue"}


def payload_as_data(emit: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(emit)
    async def wrapped(event: str, data: Any = None, **kwargs: Any) -> Any:
        payload = {key: kwargs.pop(key) for key in list(kwargs) if key not in EMIT_ARGUMENTS}
        return await emit(event, payload if payload and data is None else data, **kwargs)

    return wrapped
