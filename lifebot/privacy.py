"""Mask personal numbers before anything reaches a log: ID numbers and phone numbers never in clear."""

from __future__ import annotations

import re

ID_NUMBER = re.compile(r"(?<![0-9])([1-9]\d{5})\d{8}(\d{3}[\dXx])(?![0-9])")
MOBILE = re.compile(r"(?<![0-9])(1[3-9]\d)\d{4}(\d{4})(?![0-9])")


def mask_id_number(text: str) -> str:
    """320281199001011234 -> 320281********1234 (region kept, birth date hidden)."""
    return ID_NUMBER.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)


def mask_phone(text: str) -> str:
    """13812345678 -> 138****5678."""
    return MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


def masked(text: str | None) -> str:
    """What a log may show of a resident's message."""
    return mask_phone(mask_id_number(text or ""))
