"""What every input channel lets through to the bot: a clear Chinese answer to empty or over-long input.

``guard(on_new_message)`` wraps the handler a channel's blueprint is given: a message with no words,
or longer than MAX_MESSAGE characters, is answered on its own output channel and never reaches NLU
(a 100 KB message would tie up the tokenizer and the model for nothing); control characters and
half UTF-16 pairs (which cannot be logged or stored as UTF-8) become spaces and U+FFFD.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage

MAX_MESSAGE = 500
EMPTY = "您好像没有输入内容，请直接说出您要办的事，比如“居住证怎么办”。"
TOO_LONG = f"您的消息太长了（超过 {MAX_MESSAGE} 个字），请简要说明您要办的事或要反映的问题。"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def cleaned(text: Any) -> str:
    text = (text if isinstance(text, str) else "").encode("utf-8", "replace").decode("utf-8")  # lone surrogates -> "?"
    return CONTROL.sub(" ", text)


def refusal(text: str) -> str | None:
    """The answer instead of the bot's, or None when the message may go on."""
    if not text.strip():
        return EMPTY
    if len(text) > MAX_MESSAGE:
        return TOO_LONG
    return None


def guard(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[Any]]:
    async def checked(message: UserMessage) -> Any:
        message.text = cleaned(message.text)
        answer = refusal(message.text)
        if answer is not None:
            await message.output_channel.send_text_message(message.sender_id, answer)
            return None
        return await on_new_message(message)

    return checked
