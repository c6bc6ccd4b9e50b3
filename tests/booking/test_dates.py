"""The date resolver against a fixed "now": Friday 27 November 2026, 23:00 in Jiangyin."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from booking.dates import (
    JIANGYIN,
    When,
    bare_number,
    clock_of,
    day_of_month,
    hour_of,
    number,
    period_of,
    resolve,
)

NOW = datetime(2026, 11, 27, 23, 0, tzinfo=JIANGYIN)  # a Friday, 11 p.m.


@pytest.mark.parametrize(("said", "expected"), [
    ("明天下午", When(date(2026, 11, 28), "afternoon")),
    ("明早", When(date(2026, 11, 28), "morning")),
    ("今天下午", When(date(2026, 11, 27), "afternoon")),
    ("后天上午十点", When(date(2026, 11, 29), "morning", time(10, 0))),
    ("大后天", When(date(2026, 11, 30))),
    ("下周一", When(date(2026, 11, 30))),
    ("下礼拜三", When(date(2026, 12, 2))),
    ("下个礼拜二", When(date(2026, 12, 1))),
    ("下礼拜一上午九点半", When(date(2026, 11, 30), "morning", time(9, 30))),
    ("下下周五", When(date(2026, 12, 11))),
    ("周一", When(date(2026, 11, 30))),          # Monday already past this week: the coming one
    ("周五", When(date(2026, 11, 27))),          # today is Friday
    ("礼拜三下午", When(date(2026, 12, 2), "afternoon")),
    ("这周五上午", When(date(2026, 11, 27), "morning")),
    ("周六上午", When(date(2026, 11, 28), "morning")),
    ("27号", When(date(2026, 11, 27))),
    ("3号上午九点", When(date(2026, 12, 3), "morning", time(9, 0))),
    ("二十七号", When(date(2026, 11, 27))),
    ("12月3日", When(date(2026, 12, 3))),
    ("12月3号下午两点", When(date(2026, 12, 3), "afternoon", time(14, 0))),
    ("1月5日", When(date(2027, 1, 5))),          # already past this year: next year's
    ("十二月三日", When(date(2026, 12, 3))),
    ("2026-12-03", When(date(2026, 12, 3))),
    ("2026年12月3日", When(date(2026, 12, 3))),
    ("月底", When(date(2026, 11, 30))),
    ("明天3点", When(date(2026, 11, 28), "afternoon", time(15, 0))),  # nobody books 3 a.m.
    ("明天早上8点", When(date(2026, 11, 28), "morning", time(8, 0))),
    ("明天下午3点", When(date(2026, 11, 28), "afternoon", time(15, 0))),
    ("明天14:30", When(date(2026, 11, 28), "afternoon", time(14, 30))),
    ("３号上午９点", When(date(2026, 12, 3), "morning", time(9, 0))),  # full width, as input methods type it
    ("１２月３日下午２：３０", When(date(2026, 12, 3), "afternoon", time(14, 30))),
])
def test_relative_chinese_dates(said, expected):
    assert resolve(said, NOW) == expected


@pytest.mark.parametrize("said", ["", None, "随便", "下午", "尽快", "2月30日", "32号", "8", "八"])
def test_no_date_is_no_guess(said):
    assert resolve(said, NOW) is None


def test_month_end_rolls_into_next_month_and_year():
    dec = datetime(2026, 12, 28, 9, 0, tzinfo=JIANGYIN)
    assert resolve("3号", dec) == When(date(2027, 1, 3))
    assert resolve("下周一", dec) == When(date(2027, 1, 4))


def test_now_in_another_zone_is_read_as_jiangyin_time():
    from zoneinfo import ZoneInfo

    utc = datetime(2026, 11, 27, 16, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 Saturday in Jiangyin
    assert resolve("明天", utc) == When(date(2026, 11, 29))


def test_chinese_numbers():
    assert [number(n) for n in ("十", "十二", "二十七", "三十一", "两", "9", "abc")] == [10, 12, 27, 31, 2, 9, None]


def test_said_back():
    assert When(date(2026, 11, 28), "afternoon").text() == "11月28日（周六）下午"
    assert When(date(2026, 11, 30), "morning", time(9, 30)).text() == "11月30日（周一）9:30"


def test_clock_and_period_alone():
    assert clock_of("下午两点") == time(14, 0) and clock_of("9:30") == time(9, 30) and clock_of("随便") is None
    assert period_of("下午吧") == "afternoon" and period_of("都行") is None


def test_a_bare_number_is_a_day_or_an_hour_only_where_one_was_asked_for():
    """resolve() never reads "8" as a date; the booking form asks day_of_month() or hour_of() when its
    question was which day or what time."""
    assert [bare_number(t) for t in ("8", "８", "八", "二十八吧", "9。", "8号", "8点", "好", "", None)] == [
        8, 8, 8, 28, 9, None, None, None, None, None]
    assert day_of_month("30", NOW) == When(date(2026, 11, 30))
    assert day_of_month("二十七", NOW) == When(date(2026, 11, 27))  # today
    assert day_of_month("3", NOW) == When(date(2026, 12, 3))  # past this month: next month's
    assert day_of_month("32", NOW) is None and day_of_month("8号", NOW) is None
    assert hour_of("9") == time(9, 0) and hour_of("３") == time(15, 0) and hour_of("十") == time(10, 0)
    assert hour_of("25") is None and hour_of("9点") is None
