"""Too many messages from one conversation (bot/channels/limits.py): refused with TOO_FAST, kept apart
from everything the bot did take."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import requests
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels.limits import BURST, EMPTY, TOO_FAST, guard
from lifebot.rasa_auth import rasa_token, with_token
from lifebot.rate_limit import TokenBuckets


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_guard_refuses_beyond_the_burst_per_sender_without_reaching_the_bot():
    clock, reached = Clock(), []

    async def bot(message: UserMessage) -> None:
        reached.append((message.sender_id, message.text))

    checked = guard(bot, TokenBuckets(per_minute=30, burst=2, clock=clock))
    out = CollectingOutputChannel()
    for sender, text in [("a", "一"), ("a", "  "), ("a", "二"), ("a", "三"), ("b", "四")]:
        await checked(UserMessage(text, out, sender))
    assert reached == [("a", "一"), ("a", "二"), ("b", "四")]  # an empty message spends nothing
    assert [m["text"] for m in out.messages] == [EMPTY, TOO_FAST]
    clock.now += 2.0  # 30 a minute: one more every 2 s
    await checked(UserMessage("五", out, "a"))
    assert reached[-1] == ("a", "五")


async def test_guard_passes_traditional_characters_on_as_simplified():
    reached = []

    async def bot(message: UserMessage) -> None:
        reached.append(message.text)

    await guard(bot)(UserMessage("戶口遷進來怎麼辦", CollectingOutputChannel(), "t"))
    assert reached == ["户口迁进来怎么办"]


def test_rest_a_flood_from_one_sender_is_refused_beyond_the_burst(stack):
    """BURST + 5 messages at once from one sender: the burst is answered, the rest told TOO_FAST, and
    the tracker holds exactly the messages that were answered."""
    sender = f"flood-{int(time.time() * 1000)}"
    url = f"{stack.settings.rasa_base_url}/webhooks/rest/webhook"

    def say(i: int) -> list[dict]:
        answer = requests.post(url, json={"sender": sender, "message": f"你好{i}"}, timeout=120)
        assert answer.status_code == 200, answer.text[:300]
        return answer.json()

    with ThreadPoolExecutor(BURST + 5) as pool:  # all at once: the guard answers before the turn's lock
        replies = list(pool.map(say, range(BURST + 5)))
    refused = [r for r in replies if [m.get("text") for m in r] == [TOO_FAST]]
    # one more may slip through if the requests took over two seconds to arrive
    assert 4 <= len(refused) <= 5, [[m.get("text") for m in r] for r in replies]
    assert all(TOO_FAST not in str(r) for r in replies if r not in refused)
    url = with_token(f"{stack.settings.rasa_base_url}/conversations/{sender}/tracker", rasa_token(stack.settings))
    deadline, taken = time.monotonic() + 60, []
    while time.monotonic() < deadline:  # a turn answered BUSY after the channel's timeout is saved later
        taken = [e["text"] for e in requests.get(url, timeout=30).json()["events"] if e.get("event") == "user"]
        if len(taken) >= len(replies) - len(refused):
            break
        time.sleep(1)
    assert len(taken) == len(replies) - len(refused)
