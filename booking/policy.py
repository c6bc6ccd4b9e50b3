"""Booking rules (tunable under ``booking:`` in the settings) and validation of what residents type."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from booking.errors import Invalid
from lifebot.privacy import mask_id_number
from lifebot.typed import half_width

# Not a run of digits inside a longer number (an ID number holds one).
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
NAME = re.compile(r"[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z·• ]{0,18}[\u4e00-\u9fffA-Za-z]")
ID_NUMBER = re.compile(r"[1-9]\d{16}[\dX]")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class Policy:
    capacity: int = 3  # bookings per window-service slot per hall
    home_capacity: int = 4  # home-service visits per time window
    slot_minutes: int = 30
    home_slot_minutes: int = 120
    lead_minutes: int = 60  # booking closes this long before a slot starts
    horizon_days: int = 14  # how far ahead one can book
    max_open: int = 3  # open bookings per phone number

    @classmethod
    def from_settings(cls, values: Mapping[str, Any] | None) -> Policy:
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(values or {}) - known
        if unknown:
            raise ValueError(f"unknown booking settings: {', '.join(sorted(unknown))}")
        return cls(**{k: int(v) for k, v in (values or {}).items()})


def _digits_run(value: Any) -> str:
    """What someone typed, half-width, without the spaces and hyphens people put in phone numbers."""
    return re.sub(r"[\s-]", "", half_width(str(value or "")))


def find_phone(text: Any) -> str | None:
    """The mobile number somewhere in what someone typed ("手机 139-1234-5678"), or None."""
    found = PHONE.search(_digits_run(text))
    return found.group(0) if found else None


def clean_phone(value: Any) -> str:
    phone = _digits_run(value)
    if not PHONE.fullmatch(phone):
        raise Invalid("invalid_phone", "手机号不对：请填写 11 位手机号，以 1 开头，用于接收预约信息。")
    return phone


def clean_name(value: Any) -> str:
    name = str(value or "").strip()
    if not NAME.fullmatch(name):
        raise Invalid("invalid_name", "姓名不对：请填写办事人的真实姓名（2 到 20 个汉字或字母）。")
    return name


def clean_id_number(value: Any) -> str:
    """The ID number checked (checksum included) and masked: the full number is never kept."""
    number = str(value or "").strip().upper()
    if not number:
        return ""
    valid = ID_NUMBER.fullmatch(number) is not None
    if valid:
        total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
        valid = _ID_CHECK[total % 11] == number[-1]
    if not valid:
        raise Invalid("invalid_id_number", "身份证号不对：请填写 18 位居民身份证号码（最后一位可能是 X）。")
    return mask_id_number(number)


def mask_name(name: str) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧***: what the API shows back."""
    return name[:1] + "*" * (len(name) - 1)
