"""Conversations live in the SQL tracker store, so they survive a restart of the Rasa server."""

from __future__ import annotations

import pytest

from .test_conversation import get_json, rasa_api, say

pytestmark = pytest.mark.e2e


def test_conversation_survives_a_rasa_restart(stack):
    say(stack, "e2e-restart", "居住证怎么办")
    stack.restart("rasa")
    tracker = get_json(rasa_api(stack, "/conversations/e2e-restart/tracker"))
    said = [e.get("text") for e in tracker["events"] if e.get("event") == "user"]
    assert said == ["居住证怎么办"]
    replies = say(stack, "e2e-restart", "孩子上户口去哪里")  # answered: 新生儿出生登记（落户）
    assert replies and "落户" in replies[0]["text"].splitlines()[0]
