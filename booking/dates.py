"""Resolve what residents say about dates and times ("明天下午", "下周一", "后天上午十点", "27号",
"12月3日") to calendar dates, relative to an injected "now" in Jiangyin time (Asia/Shanghai).

A pure library: no Rasa, no aiohttp. ``resolve(text, now)`` returns None when the text names no
date it can pin down; it never guesses a date the words do not give.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from lifebot.typed import half_width

JIANGYIN = ZoneInfo("Asia/Shanghai")
WEEKDAYS = "一二三四五六日"
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9}
_NUM = r"[0-9]{1,4}|[零〇一二两三四五六七八九十]{1,3}"

_RELATIVE_DAY = [("大后天", 3), ("后天", 2), ("明天", 1), ("明日", 1), ("明早", 1), ("明晚", 1),
                 ("今天", 0), ("今日", 0), ("今早", 0), ("今晚", 0)]
_WEEK = re.compile(r"(下下|下个?|这个?|本|上个?)?(?:周|星期|礼拜)([一二三四五六日天七])")
_ISO = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?")
_MONTH_DAY = re.compile(rf"({_NUM})月({_NUM})[日号]?")
_DAY_ONLY = re.compile(rf"(?<![月\d])({_NUM})[日号]")
_CLOCK = re.compile(rf"({_NUM})(?:点|时|[:：])(半|({_NUM})分?)?")
# What may follow a bare number in a reply ("8吧", "九。"): particles and punctuation, nothing that means more.
_BARE_TAIL = re.compile(r"[吧啊呀哈的吗嘛了哦噢.,!?~。]*$")  # after half_width: "，！？～" are ",!?~"
_PERIODS = [("上午", "morning"), ("早上", "morning"), ("早晨", "morning"), ("明早", "morning"),
            ("今早", "morning"), ("中午", "noon"), ("下午", "afternoon"), ("傍晚", "evening"),
            ("晚上", "evening"), ("明晚", "evening"), ("今晚", "evening")]
PERIOD_NAMES = {"morning": "上午", "noon": "中午", "afternoon": "下午", "evening": "晚上"}


@dataclass(frozen=True)
class When:
    """A resolved date; ``period`` ("morning", "afternoon", ...) and ``clock`` when the words gave them."""

    day: date
    period: str | None = None
    clock: time | None = None

    def text(self) -> str:
        """How the bot says it back: "11月28日（周六）下午"."""
        said = f"{self.day.month}月{self.day.day}日（周{WEEKDAYS[self.day.weekday()]}）"
        if self.clock is not None:
            return said + f"{self.clock.hour}:{self.clock.minute:02d}"
        return said + PERIOD_NAMES.get(self.period or "", "")


def number(text: str) -> int | None:
    """"27" / "二十七" / "十" / "两" -> int; None when it is not a number."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _DIGIT and ch != "十" for ch in text):
        return None
    if "十" not in text:
        value = 0
        for ch in text:
            value = value * 10 + _DIGIT[ch]
        return value
    tens, _, ones = text.partition("十")
    if (tens and tens not in _DIGIT) or (ones and ones not in _DIGIT):
        return None
    return (_DIGIT[tens] if tens else 1) * 10 + (_DIGIT[ones] if ones else 0)


def bare_number(text: str | None) -> int | None:
    """The number a reply is and nothing more ("8", "８", "八", "二十八吧"), else None ("8号", "8点", "好")."""
    said = _BARE_TAIL.sub("", _folded(text))
    return number(said) if said else None


def day_of_month(text: str | None, now: datetime) -> When | None:
    """A bare number said when asked for a day, as that day of the month: "8" -> the coming 8th
    (this month's, else next month's), as "8号" would be. None when ``text`` is not a bare number."""
    day = bare_number(text)
    return resolve(f"{day}号", now) if day is not None else None


def hour_of(text: str | None) -> time | None:
    """A bare number said when asked for a time, as that hour: "9" -> 9:00, "3" -> 15:00 (as "3点"
    would be). None when ``text`` is not a bare number."""
    hour = bare_number(text)
    return clock_of(f"{hour}点") if hour is not None else None


def _folded(text: str | None) -> str:
    """Half-width, without spaces: "８号 下午" -> "8号下午"."""
    return half_width(text or "").replace(" ", "")


def _today(now: datetime) -> date:
    return (now.astimezone(JIANGYIN) if now.tzinfo else now).date()


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day(text: str, today: date) -> date | None:
    match = _ISO.search(text)
    if match:
        return _safe_date(*(int(g) for g in match.groups()))
    match = _MONTH_DAY.search(text)
    if match:
        month, day = number(match.group(1)), number(match.group(2))
        if month is None or day is None:
            return None
        found = _safe_date(today.year, month, day)
        if found is not None and found < today:
            found = _safe_date(today.year + 1, month, day)
        return found
    for word, offset in _RELATIVE_DAY:
        if word in text:
            return today + timedelta(days=offset)
    match = _WEEK.search(text)
    if match:
        return _weekday(match.group(1) or "", _WEEKDAY[match.group(2)], today)
    if "月底" in text:
        return date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
    match = _DAY_ONLY.search(text)
    if match:
        day = number(match.group(1))
        if day is None:
            return None
        found = _safe_date(today.year, today.month, day)
        if found is None or found < today:
            year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
            found = _safe_date(year, month, day)
        return found
    return None


def _weekday(prefix: str, weekday: int, today: date) -> date:
    monday = today - timedelta(days=today.weekday())
    if prefix.startswith("下下"):
        return monday + timedelta(days=14 + weekday)
    if prefix.startswith("下"):
        return monday + timedelta(days=7 + weekday)
    if prefix.startswith("上"):
        return monday - timedelta(days=7 - weekday)
    this_week = monday + timedelta(days=weekday)
    if prefix:  # 这周五 / 本周五: this week's, even when already past (the caller says so)
        return this_week
    return this_week if this_week >= today else this_week + timedelta(days=7)


def _clock(text: str, period: str | None) -> time | None:
    for match in _CLOCK.finditer(text):
        hour = number(match.group(1))
        minute = 30 if match.group(2) == "半" else number(match.group(3) or "0")
        if hour is None or minute is None or hour > 24 or minute > 59:
            continue
        if period in ("afternoon", "evening") and hour < 12:
            hour += 12
        elif period == "noon" and hour < 6:
            hour += 12
        elif period is None and 1 <= hour <= 6:
            hour += 12  # "三点" for an appointment means 15:00: nobody books 3 a.m.
        if hour < 24:
            return time(hour, minute)
    return None


def _period(text: str) -> str | None:
    for word, period in _PERIODS:
        if word in text:
            return period
    return None


def clock_of(text: str | None) -> time | None:
    """Just the clock time in what someone said ("下午两点" -> 14:00, "9:30" -> 9:30), if any."""
    text = _folded(text)
    return _clock(text, _period(text))


def period_of(text: str | None) -> str | None:
    """"morning", "afternoon", ... when the words name a part of the day."""
    return _period(_folded(text))


def resolve(text: str | None, now: datetime) -> When | None:
    """The date (and part of day, clock time) that ``text`` names, relative to ``now``."""
    text = _folded(text)
    if not text:
        return None
    day = _day(text, _today(now))
    if day is None:
        return None
    period = _period(text)
    # Drop the date words so "12月3日" or "27号" is not read as a clock time.
    rest = _ISO.sub("", _MONTH_DAY.sub("", _DAY_ONLY.sub("", text)))
    clock = _clock(rest, period)
    if period is None and clock is not None:
        period = "morning" if clock < time(12) else "afternoon"
    return When(day, period, clock)
