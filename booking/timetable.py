"""Cut a place's opening hours on a day into bookable slots, following the working-day calendar."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from booking.errors import Conflict
from catalog import hours as opening_hours


def slot_label(start: time, end: time) -> str:
    return f"{start:%H:%M}-{end:%H:%M}"


def slot_start(day: date, slot: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(slot[:5]))


def slots_on(hours_text: str, day: date, minutes: int) -> list[str]:
    """Every slot of ``minutes`` that fits inside the opening intervals on ``day``.

    Raises Conflict("calendar_not_covered") for a year whose public holidays chinese-calendar does not
    know yet: a hall may well be shut that day, so no booking is taken rather than a guess.
    """
    parsed = opening_hours.parse(hours_text)
    if parsed is None:
        return []
    intervals, covered = opening_hours.intervals_on(parsed, day)
    if not covered:
        raise Conflict("calendar_not_covered",
                       f"{day.year} 年的法定节假日安排还没有收录，暂时不能预约这一天；请临近时再约，或拨打大厅电话咨询。")
    found: list[str] = []
    step = timedelta(minutes=minutes)
    for start, end in intervals:
        moment = datetime.combine(day, start)
        while moment + step <= datetime.combine(day, end):
            found.append(slot_label(moment.time(), (moment + step).time()))
            moment += step
    return found
