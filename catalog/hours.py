"""Opening hours of the catalog's service places: parse, tell open or closed, find the next opening.

The catalog writes hours the way halls post them, e.g. "周一至周五 8:30-12:00，13:30-17:00；周六
9:00-12:00（部分窗口）". Offices that keep Monday-to-Friday hours follow mainland China's working-day
calendar (chinese-calendar): closed on public holidays, open on 调休 working days (a Saturday or Sunday
worked in lieu) with their weekday hours. Places open every day keep their hours on holidays unless
the text says "法定节假日除外".

chinese-calendar only knows the years it ships data for. For other years this module falls back to the
plain weekly pattern and says so (``Opening.calendar_covered`` is False), so a caller can add "节假日
安排以官方公告为准" instead of presenting a guess as fact.

A pure library: no Rasa, no aiohttp.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import chinese_calendar

WEEKDAY_NAMES = "一二三四五六日"
_DAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_DAY_SPEC = re.compile(r"(?:周|星期)([一二三四五六日天])(?:\s*[至到~\-–]\s*(?:周|星期)([一二三四五六日天]))?"
                       r"|每天|每日|全天")
_RANGE = re.compile(r"(\d{1,2})[:：](\d{2})\s*[-–~至到]\s*(\d{1,2})[:：](\d{2})")
_NOTE = re.compile(r"[（(]([^）)]*)[）)]")
_HALF_DAY = {"上午": (time(9, 0), time(12, 0)), "下午": (time(13, 30), time(17, 0))}
# How far ahead the next opening is looked for (covers the 8-day National Day break with margin).
HORIZON_DAYS = 21

Interval = tuple[time, time]


@dataclass(frozen=True)
class Hours:
    """A parsed opening-hours text. ``week[d]`` are the intervals on weekday d (0 = Monday)."""

    text: str
    week: tuple[tuple[Interval, ...], ...]
    always: bool = False
    closed_on_holidays: bool = False
    office: bool = False  # Monday-to-Friday office: follows public holidays and 调休 working days
    notes: tuple[str, ...] = ()

    def days_open(self) -> list[int]:
        return [d for d in range(7) if self.always or self.week[d]]


@dataclass(frozen=True)
class Opening:
    """Whether a place is open at a moment, and when it opens next."""

    open_now: bool
    closes_at: datetime | None
    next_open: datetime | None
    calendar_covered: bool  # False when a date looked at lies in a year chinese-calendar lacks
    uncovered_year: int | None = None


def parse(text: str | None) -> Hours | None:
    """Parse an hours text; None when it names no usable times ("以网点营业时间为准", "工作日")."""
    if not text or not text.strip():
        return None
    raw = text.strip()
    notes = tuple(n.strip() for n in _NOTE.findall(raw) if n.strip())
    body = _NOTE.sub("", raw)
    if body.startswith("24小时") or body in ("全天", "全天候"):
        return Hours(raw, tuple(() for _ in range(7)), always=True, notes=notes)
    week: list[list[Interval]] = [[] for _ in range(7)]
    found = False
    for segment in re.split(r"[；;]", body):
        days = _segment_days(segment)
        ranges = [(time(int(a), int(b)), time(int(c), int(d))) for a, b, c, d in _RANGE.findall(segment)]
        ranges = [(start, end) for start, end in ranges if start < end]
        if not ranges:
            ranges = [span for word, span in _HALF_DAY.items() if word in segment]
        if not ranges or (days is None and _RANGE.search(segment) is None):
            continue  # "急诊24小时" and other remarks without a day pattern and times
        for d in days if days is not None else range(7):
            week[d].extend(ranges)
            found = True
    if not found:
        return None
    office = all(week[d] for d in range(5)) and not week[6]
    closed = "节假日除外" in raw or "节假日休息" in raw
    return Hours(raw, tuple(tuple(sorted(day)) for day in week), closed_on_holidays=closed,
                 office=office, notes=notes)


def _segment_days(segment: str) -> list[int] | None:
    match = _DAY_SPEC.search(segment)
    if match is None:
        return None
    if match.group(1) is None:  # 每天 / 每日 / 全天
        return list(range(7))
    first = _DAY[match.group(1)]
    last = _DAY[match.group(2)] if match.group(2) else first
    return list(range(first, last + 1)) if first <= last else list(range(first, 7)) + list(range(last + 1))


def day_type(day: date) -> tuple[str, bool]:
    """("holiday" | "in_lieu_workday" | "workday" | "weekend", covered) for a date."""
    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
        workday = chinese_calendar.is_workday(day)
    except NotImplementedError:
        return ("workday" if day.weekday() < 5 else "weekend"), False
    if is_holiday and name is not None:
        return "holiday", True
    if workday and day.weekday() >= 5:
        return "in_lieu_workday", True
    return ("workday" if workday else "weekend"), True


def intervals_on(hours: Hours, day: date) -> tuple[tuple[Interval, ...], bool]:
    """The opening intervals on a date, and whether the holiday calendar covered that date."""
    if hours.always:
        return ((time(0, 0), time(23, 59, 59)),), True
    kind, covered = day_type(day)
    if kind == "holiday" and (hours.office or hours.closed_on_holidays):
        return (), covered
    if kind == "in_lieu_workday" and hours.office:
        return hours.week[0], covered  # 调休: a working Saturday or Sunday keeps weekday hours
    return hours.week[day.weekday()], covered


def opening(hours: Hours, now: datetime) -> Opening:
    """Open now? Until when? If closed, when next? ``now`` is local Jiangyin time (naive or aware)."""
    uncovered: int | None = None
    for offset in range(HORIZON_DAYS + 1):
        day = now.date() + timedelta(days=offset)
        intervals, day_covered = intervals_on(hours, day)
        if not day_covered and uncovered is None and not hours.always:
            uncovered = day.year
        for start, end in intervals:
            start_at = datetime.combine(day, start, tzinfo=now.tzinfo)
            end_at = datetime.combine(day, end, tzinfo=now.tzinfo)
            if start_at <= now < end_at:
                return Opening(True, end_at, None, uncovered is None, uncovered)
            if start_at > now:
                return Opening(False, None, start_at, uncovered is None, uncovered)
    return Opening(False, None, None, uncovered is None, uncovered)


def when_text(moment: datetime, now: datetime) -> str:
    """A moment as a resident would say it: "今天 13:30", "明天（周六）9:00", "12月1日（周一）8:30"."""
    days = (moment.date() - now.date()).days
    clock = f"{moment.hour}:{moment.minute:02d}"
    weekday = f"周{WEEKDAY_NAMES[moment.weekday()]}"
    if days == 0:
        return f"今天 {clock}"
    if days == 1:
        return f"明天（{weekday}）{clock}"
    if days == 2:
        return f"后天（{weekday}）{clock}"
    return f"{moment.month}月{moment.day}日（{weekday}）{clock}"


def describe(hours: Hours, now: datetime) -> str:
    """One Chinese sentence: open until when, or closed and when it opens next."""
    state = opening(hours, now)
    if state.open_now and hours.always:
        text = "24 小时开放"
    elif state.open_now and state.closes_at is not None:
        text = f"现在正在办公，今天 {state.closes_at.hour}:{state.closes_at.minute:02d} 下班"
    elif state.next_open is not None:
        text = f"现在不在办公时间，下次开门：{when_text(state.next_open, now)}"
    else:
        text = f"近 {HORIZON_DAYS} 天内没有开放时间"
    if not state.calendar_covered:
        text += f"（{state.uncovered_year} 年的节假日安排尚未收录，按常规作息推算，以官方公告为准）"
    return text


def open_on_weekday(hours: Hours, weekday: int) -> tuple[Interval, ...]:
    """The intervals a place keeps on an ordinary (non-holiday) given weekday."""
    if hours.always:
        return ((time(0, 0), time(23, 59, 59)),)
    return hours.week[weekday]
