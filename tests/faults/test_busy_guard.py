"""bot/channels/busy.py: a failed turn is answered BUSY, a good one is not, and turns do not mix."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels import busy
from lifebot.messages import BUSY

PROCESSOR = logging.getLogger(busy.PROCESSOR_LOGGER)


def message(sender: str = "resident") -> UserMessage:
    return UserMessage("居住证怎么办", CollectingOutputChannel(), sender)


async def answers(text: str, output: CollectingOutputChannel, sender: str) -> None:
    await output.send_text_message(sender, text)


async def test_a_good_turn_is_not_answered_busy():
    said = message()

    async def on_new_message(m: UserMessage) -> None:
        await answers("【居住证办理】", m.output_channel, m.sender_id)

    assert await busy.handle(on_new_message, said) is True
    assert [m["text"] for m in said.output_channel.messages] == ["【居住证办理】"]


async def test_a_silent_turn_is_not_answered_busy():
    """While an operator has the conversation the bot says nothing on purpose."""
    said = message()

    async def on_new_message(m: UserMessage) -> None:
        return None

    assert await busy.handle(on_new_message, said) is True
    assert said.output_channel.messages == []


async def test_a_failing_tracker_store_is_answered_busy(caplog):
    said = message()

    async def on_new_message(m: UserMessage) -> None:
        raise ConnectionError("could not connect to server: Connection refused")

    assert await busy.handle(on_new_message, said) is False
    assert [m["text"] for m in said.output_channel.messages] == [BUSY]
    assert "answered busy" in caplog.text


async def test_a_failed_action_is_answered_busy_and_rasa_still_logs_it(caplog):
    said = message()

    async def on_new_message(m: UserMessage) -> None:
        try:
            raise RuntimeError("Failed to execute custom action 'action_search_service'")
        except RuntimeError:  # what rasa.core.processor does: log, drop the action's events, go on
            PROCESSOR.exception("Encountered an exception while running action 'action_search_service'."
                                "Bot will continue, but the actions events are lost.")

    with caplog.at_level(logging.ERROR):
        assert await busy.handle(on_new_message, said) is False
    assert [m["text"] for m in said.output_channel.messages] == [BUSY]
    assert "Encountered an exception while running action" in caplog.text  # recorded, not swallowed


async def test_a_slow_turn_is_answered_busy_and_keeps_running():
    said = message()
    finished = asyncio.Event()

    async def on_new_message(m: UserMessage) -> None:
        await asyncio.sleep(0.3)
        await answers("【居住证办理】", m.output_channel, m.sender_id)
        finished.set()

    assert await busy.handle(on_new_message, said, timeout=0.05) is False
    assert [m["text"] for m in said.output_channel.messages] == [BUSY]
    await asyncio.wait_for(finished.wait(), 5)
    assert [m["text"] for m in said.output_channel.messages] == [BUSY, "【居住证办理】"]


async def test_one_conversations_failed_action_does_not_make_another_busy():
    failing, fine = message("a"), message("b")
    started = asyncio.Event()

    async def on_new_message(m: UserMessage) -> None:
        if m.sender_id == "a":
            await started.wait()
            PROCESSOR.error("Encountered an exception while running action 'action_booking_submit'.")
        else:
            started.set()
            await asyncio.sleep(0.05)
            await answers("好的", m.output_channel, m.sender_id)

    results = await asyncio.gather(busy.handle(on_new_message, failing), busy.handle(on_new_message, fine))
    assert results == [False, True]
    assert [m["text"] for m in failing.output_channel.messages] == [BUSY]
    assert [m["text"] for m in fine.output_channel.messages] == ["好的"]


def fail_safe_store_without_database():
    """Rasa's FailSafeTrackerStore around a tracker store whose database is gone (imported here:
    rasa.core.tracker_store warns about SQLAlchemy 2.0 on import)."""
    from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore

    class BrokenStore(InMemoryTrackerStore):
        async def retrieve(self, sender_id):
            raise ConnectionError("could not connect to server")

        async def save(self, tracker):
            raise ConnectionError("could not connect to server")

    return FailSafeTrackerStore(BrokenStore(Domain.empty()))


async def test_rasas_fail_safe_store_falls_back_to_an_empty_conversation_unless_refused():
    agent = SimpleNamespace(tracker_store=fail_safe_store_without_database())
    assert await agent.tracker_store.retrieve("resident") is None  # Rasa's default: carry on, empty
    busy.refuse_fallback(agent)
    with pytest.raises(busy.TrackerStoreUnavailable):
        await agent.tracker_store.retrieve("resident")
    with pytest.raises(busy.TrackerStoreUnavailable):
        await agent.tracker_store.save(DialogueStateTracker("resident", []))


async def test_a_turn_stopped_by_the_tracker_store_is_answered_busy():
    said = message()

    async def on_new_message(m: UserMessage) -> None:
        busy._tracker_store_failed(ConnectionError("could not connect to server"))

    assert await busy.handle(on_new_message, said) is False
    assert [m["text"] for m in said.output_channel.messages] == [BUSY]
