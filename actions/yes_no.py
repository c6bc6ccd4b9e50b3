"""A resident's yes or no to a read-back ("请确认…"), read from the words as well as the intent.

Buttons send /affirm and /deny, but a resident may type a button's title instead, and the NLU reads
"确认预约" as checking a booking and "确认提交" as chitchat. No is read first: "不对" holds "对".
A bare number ("８", "八") is neither, whatever the NLU makes of it: it has read such numbers as
affirm, and a number must not confirm a booking or a report. It is still an answer to the read-back,
so the forms ask ``only_a_number`` first and say what they want rather than letting the rules answer
"affirm"; ``yes_or_no`` is for the rest.
"""

from __future__ import annotations

from booking.dates import bare_number

YES = ("对", "是", "确认", "提交", "好", "没错", "可以", "嗯", "行")
NO = ("不对", "不是", "错", "不要", "取消", "算了", "不用", "改", "不约", "不确认", "不提交")


def only_a_number(text: str) -> bool:
    """"８", "八", "2": a reply that is a number and nothing else."""
    return bare_number(text) is not None


def yes_or_no(text: str, intent: str | None) -> bool | None:
    """True for yes, False for no, None when the message says neither (a bare number: ask
    ``only_a_number`` first)."""
    if intent == "deny" or any(word in text for word in NO):
        return False
    if intent == "affirm" or any(word in text for word in YES):
        return True
    return None
