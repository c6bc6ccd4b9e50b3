"""Hostile resident messages for the channel fuzzing: named cases and a hypothesis strategy."""

from __future__ import annotations

from hypothesis import strategies as st

from bot.channels.limits import EMPTY, MAX_MESSAGE, TOO_LONG

HTML = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>居住证怎么办"
CASES = {
    "empty": "",
    "blank": " \n\t ",
    "100KB": "居" * 34_200,  # 102,600 bytes of UTF-8
    "just over the limit": "办" * (MAX_MESSAGE + 1),
    "control characters": "\x00\x07\x1b[2J\x7f居住证怎么办",
    "emoji": "🏠🚑😀🇨🇳" * 20,
    "mixed scripts": "Привет 居住证 مرحبا こんにちは ÀÉÎ 한국어",
    "sql": "居住证'; DROP TABLE events; --",
    "sql or": "1' OR '1'='1' /*",
    "html": HTML,
    "templates": "{{7*7}} ${7*7} %s%n%x {0} \\u0000",
    "half surrogate": "\ud800居住证",
}
EXPECTED = {"empty": EMPTY, "blank": EMPTY, "100KB": TOO_LONG, "just over the limit": TOO_LONG}
NORMAL = "居住证怎么办"


def messages() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(sorted(CASES.values())), st.text(max_size=80))


def xml_safe(text: str) -> str:
    """Only what XML 1.0 can carry (WeChat's servers never send anything else)."""
    return "".join(c for c in text if c in "\t\n\r" or "\x20" <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd"
                   or c >= "\U00010000")
