"""catalog.hours: parsing the catalog's hours texts, the working-day calendar, years it lacks."""

from __future__ import annotations

import json
from datetime import datetime, time
from pathlib import Path

import pytest

from catalog import hours

HALL = "周一至周五 8:30-12:00，13:30-17:00；周六 9:00-12:00（部分窗口）"
MORNING, AFTERNOON = (time(8, 30), time(12, 0)), (time(13, 30), time(17, 0))


def test_parse_the_citizen_centre_hours():
    parsed = hours.parse(HALL)
    assert parsed.week == ((MORNING, AFTERNOON),) * 5 + (((time(9, 0), time(12, 0)),), ())
    assert parsed.office and not parsed.always and parsed.notes == ("部分窗口",)


@pytest.mark.parametrize(("text", "open_days", "office", "closed_on_holidays"), [
    ("周一至周五 8:30-17:00", [0, 1, 2, 3, 4], True, False),
    ("每天 8:00-20:00", list(range(7)), False, False),
    ("周一至周日 8:30-12:00，13:30-17:00（法定节假日除外）", list(range(7)), False, True),
    ("周二至周日 9:00-20:30（周一闭馆）", [1, 2, 3, 4, 5, 6], False, False),
    ("门诊 周一至周日 8:00-17:00；急诊24小时", list(range(7)), False, False),
    ("6:00-22:00", list(range(7)), False, False),
    ("周一至周五 8:30-12:00，13:30-17:00；周六上午部分派出所", [0, 1, 2, 3, 4, 5], True, False),
])
def test_parse_variants(text, open_days, office, closed_on_holidays):
    parsed = hours.parse(text)
    assert parsed.days_open() == open_days
    assert (parsed.office, parsed.closed_on_holidays) == (office, closed_on_holidays)


@pytest.mark.parametrize("text", ["以网点营业时间为准", "工作日", "按当年招生公告", "", None])
def test_texts_without_times_are_not_guessed(text):
    assert hours.parse(text) is None


def test_every_hours_text_in_the_catalog_parses_or_is_declined():
    texts = set()
    for path in (Path(__file__).resolve().parents[2] / "catalog" / "data" / "services").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.update(place.get("hours") for place in json.loads(line).get("locations") or [])
    parsed = {text: hours.parse(text) for text in texts}
    assert parsed[HALL] is not None
    assert all(p is None or p.days_open() for p in parsed.values())


def at(*args) -> datetime:
    return datetime(*args)


@pytest.mark.parametrize(("now", "expected"), [
    (at(2026, 11, 27, 10, 0), "现在正在办公，今天 12:00 下班"),
    (at(2026, 11, 27, 12, 30), "现在不在办公时间，下次开门：今天 13:30"),
    (at(2026, 11, 27, 18, 0), "现在不在办公时间，下次开门：明天（周六）9:00"),
    (at(2026, 11, 28, 13, 0), "现在不在办公时间，下次开门：后天（周一）8:30"),
    (at(2026, 11, 27, 17, 30), "现在不在办公时间，下次开门：明天（周六）9:00"),
    # National Day 2026: closed 1-7 October, Saturday 10 October is a 调休 working day.
    (at(2026, 9, 30, 18, 0), "现在不在办公时间，下次开门：10月8日（周四）8:30"),
    (at(2026, 10, 9, 18, 0), "现在不在办公时间，下次开门：明天（周六）8:30"),
])
def test_open_closed_and_next_opening(now, expected):
    assert hours.describe(hours.parse(HALL), now) == expected


def test_a_year_chinese_calendar_lacks_is_said_plainly():
    state = hours.opening(hours.parse(HALL), at(2026, 12, 31, 18, 0))
    assert (state.next_open, state.calendar_covered, state.uncovered_year) == (at(2027, 1, 1, 8, 30), False, 2027)
    assert hours.describe(hours.parse(HALL), at(2026, 12, 31, 18, 0)) == (
        "现在不在办公时间，下次开门：明天（周五）8:30（2027 年的节假日安排尚未收录，按常规作息推算，以官方公告为准）")


def test_places_open_every_day_keep_hours_on_holidays_unless_they_say_otherwise():
    daily = hours.parse("每天 8:00-20:00")
    assert hours.opening(daily, at(2026, 10, 2, 9, 0)).open_now
    except_holidays = hours.parse("周一至周日 8:30-17:00（法定节假日除外）")
    assert not hours.opening(except_holidays, at(2026, 10, 2, 9, 0)).open_now
    assert hours.opening(hours.parse("24小时"), at(2026, 10, 2, 3, 0)).open_now
