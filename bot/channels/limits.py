"""What every input channel lets through to the bot: a clear Chinese answer to empty, over-long or
too frequent input.

``guard(on_new_message)`` wraps the handler a channel's blueprint is given: a message with no words,
or longer than MAX_MESSAGE characters, is answered on its own output channel and never reaches NLU
(a 100 KB message would tie up the tokenizer and the model for nothing); control characters and
half UTF-16 pairs (which cannot be logged or stored as UTF-8) become spaces and "?"; Traditional
characters become Simplified (catalog/simplified.py), the only script the NLU was trained on.

One conversation (sender id) may send BURST messages at once and MESSAGES_PER_MINUTE a minute on
average (far above anyone typing or tapping buttons); beyond that a message is answered TOO_FAST, which
says it was not taken, and never reaches NLU. The buckets are per channel and per Rasa process; a
client that invents a new sender id for every message is not caught here; the scaled layout's nginx
limits chat requests per client address as well (docs/security.md).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage

from catalog.simplified import to_simplified
from lifebot.messages import TOO_FAST
from lifebot.rate_limit import TokenBuckets

MAX_MESSAGE = 500
EMPTY = "您好像没有输入内容，请直接说出您要办的事，比如“居住证怎么办”。"
TOO_LONG = f"您的消息太长了（超过 {MAX_MESSAGE} 个字），请简要说明您要办的事或要反映的问题。"
MESSAGES_PER_MINUTE = 30
BURST = 20
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def cleaned(text: Any) -> str:
    text = (text if isinstance(text, str) else "").encode("utf-8", "replace").decode("utf-8")  # lone surrogates -> "?"
    return to_simplified(CONTROL.sub(" ", text))


def refusal(text: str) -> str | None:
    """The answer instead of the bot's, or None when the message may go on."""
    if not text.strip():
        return EMPTY
    if len(text) > MAX_MESSAGE:
        return TOO_LONG
    return None


def guard(on_new_message: Callable[[UserMessage], Awaitable[Any]],
          buckets: TokenBuckets | None = None) -> Callable[[UserMessage], Awaitable[Any]]:
    if buckets is None:
        buckets = TokenBuckets(MESSAGES_PER_MINUTE, BURST)

    async def checked(message: UserMessage) -> Any:
        message.text = cleaned(message.text)
        answer = refusal(message.text) or (TOO_FAST if buckets.take(message.sender_id) > 0 else None)
        if answer is not None:
            await message.output_channel.send_text_message(message.sender_id, answer)
            return None
        return await on_new_message(message)

    return checked
