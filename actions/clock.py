"""The time in Jiangyin, in one place so that tests can set it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

JIANGYIN = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    return datetime.now(JIANGYIN)
