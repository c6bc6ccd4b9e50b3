"""Answer BUSY (lifebot.messages) when Rasa could not process a resident's message.

Two kinds of failure reach a channel differently:

* the tracker store (or the lock store, or anything else around the turn) fails: ``on_new_message``
  raises;
* a custom action fails (action server dead, restarting, timing out): Rasa's processor logs
  "Encountered an exception while running action ..." and carries on with the action's events lost,
  so the turn ends normally and often says nothing at all.

``handle`` catches the first and notices the second with a log filter on Rasa's processor logger that
marks the turn running in the current task (a context variable, so concurrent conversations do not
see each other's failures). A turn that takes longer than ``timeout`` seconds is answered BUSY too;
it keeps running, so whatever it says later still reaches channels that can deliver it.

Rasa wraps the tracker store in a ``FailSafeTrackerStore`` which, when the database fails, carries
on with an empty in-memory conversation: the resident would get an answer out of context (a form's
button "已经过期了") and the turn would be kept nowhere. ``refuse_fallback`` gives that wrapper the
error callback it accepts, which raises, so such a turn fails and is answered BUSY.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage

from lifebot.messages import BUSY

log = logging.getLogger(__name__)

PROCESSOR_LOGGER = "rasa.core.processor"
ACTION_FAILED = "Encountered an exception while running action"
TURN_TIMEOUT = 60.0


class TrackerStoreUnavailable(Exception):
    """The tracker store failed: the turn stops rather than going on without the conversation."""


def _tracker_store_failed(error: Exception) -> None:
    raise TrackerStoreUnavailable(f"tracker store unavailable: {error}") from error


def refuse_fallback(agent: Any) -> None:
    """Make the agent's FailSafeTrackerStore raise instead of falling back to an in-memory tracker."""
    from rasa.core.tracker_store import FailSafeTrackerStore

    store = getattr(agent, "tracker_store", None)
    if isinstance(store, FailSafeTrackerStore) and store._on_tracker_store_error is not _tracker_store_failed:
        store._on_tracker_store_error = _tracker_store_failed


def _rasa_agent() -> Any:
    """The agent of the Rasa server this process runs (the one Sanic app), or None."""
    from sanic import Sanic
    from sanic.exceptions import SanicException

    try:
        return getattr(Sanic.get_app().ctx, "agent", None)
    except SanicException:  # no app (a unit test), or not exactly one
        return None


_turn: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("lifebot_turn_failures", default=None)


class _ActionFailures(logging.Filter):
    """Records (never suppresses) Rasa's "action failed" log line against the running turn."""

    def filter(self, record: logging.LogRecord) -> bool:
        failures = _turn.get()
        if failures is not None and str(record.msg).startswith(ACTION_FAILED):
            failures.append(str(record.msg))
        return True


_FILTER = _ActionFailures()


def _watch_processor() -> None:
    logger = logging.getLogger(PROCESSOR_LOGGER)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)


async def _turn_of(on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage) -> list[str]:
    failures: list[str] = []
    _turn.set(failures)  # this task's own context: see asyncio.ensure_future below
    await on_new_message(message)
    return failures


async def handle(on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage,
                 timeout: float = TURN_TIMEOUT) -> bool:
    """Process ``message``; on failure send BUSY through its output channel. True when it went well."""
    _watch_processor()
    refuse_fallback(_rasa_agent())  # each turn: Rasa may have loaded a new agent (a new model)
    task = asyncio.ensure_future(_turn_of(on_new_message, message))  # a copy of the context per turn
    try:
        failures = await asyncio.wait_for(asyncio.shield(task), timeout)
    except asyncio.TimeoutError:
        log.error("turn for %s took over %.0f s: answered busy", message.sender_id, timeout)
        failures = ["timeout"]
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("turn for %s failed: answered busy", message.sender_id)
        failures = ["exception"]
    else:
        if failures:
            log.error("an action failed in the turn for %s: answered busy", message.sender_id)
    if not failures:
        return True
    await message.output_channel.send_text_message(message.sender_id, BUSY)
    return False
