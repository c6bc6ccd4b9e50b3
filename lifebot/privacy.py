"""Mask personal numbers before anything reaches a log: ID numbers and phone numbers never in clear."""

from __future__ import annotations

import logging
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


def has_personal_number(text: str | None) -> bool:
    """Whether ``text`` holds a phone or ID number in clear."""
    return bool(text) and (ID_NUMBER.search(text) is not None or MOBILE.search(text) is not None)


def install_log_masking() -> None:
    """From now on every log record of this process carries masked text, whatever handler prints it.

    A record factory (not a formatter): Rasa, Sanic and coloredlogs add handlers of their own after
    the logging configuration is read, and each would need its own formatter.
    """
    previous = logging.getLogRecordFactory()
    if getattr(previous, "lifebot_masks", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        record.msg, record.args = masked(record.getMessage()), ()
        if record.exc_info:
            record.exc_text = masked(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = masked(record.stack_info)
        return record

    factory.lifebot_masks = True
    logging.setLogRecordFactory(factory)


class MaskingFilter(logging.Filter):
    """For logging configuration files (bot/logging.yml): naming it installs the masking."""

    def __init__(self, name: str = ""):
        super().__init__(name)
        install_log_masking()
