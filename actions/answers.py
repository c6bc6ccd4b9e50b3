"""How a catalog entry reads to a resident: short, plain Simplified Chinese."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from actions.booking_form import town_hall
from booking.halls import CITY_HALL
from catalog import hours as opening_hours

MAX_MATERIALS = 6
MAX_LOCATIONS = 3
ONLINE_DEFAULT = "江苏政务服务网（苏服办）"
_WEEKDAY_WORDS = {0: ("周一", "星期一", "礼拜一"), 1: ("周二", "星期二", "礼拜二"), 2: ("周三", "星期三", "礼拜三"),
                  3: ("周四", "星期四", "礼拜四"), 4: ("周五", "星期五", "礼拜五"),
                  5: ("周六", "星期六", "礼拜六"), 6: ("周日", "周天", "星期天", "星期日", "礼拜天", "礼拜日")}
_HOLIDAY_WORDS = ("节假日", "国庆", "春节", "过年", "五一", "劳动节", "端午", "中秋", "清明", "元旦", "放假")


def service_answer(entry: dict[str, Any], now: datetime | None = None) -> str:
    lines = [f"【{entry['name']}】{entry.get('department', '')}"]
    if entry.get("description"):
        lines.append(entry["description"])
    materials = entry.get("materials") or []
    if materials:
        shown = "；".join(materials[:MAX_MATERIALS])
        more = f" 等 {len(materials)} 项" if len(materials) > MAX_MATERIALS else ""
        lines.append(f"需要材料：{shown}{more}")
    locations = entry.get("locations") or []
    if locations:
        lines.append(f"办理地点：{_place(locations[0])}")
        if locations[0].get("hours"):
            lines.append(f"办公时间：{locations[0]['hours']}")
    if entry.get("promised_time_limit"):
        lines.append(f"办理时限：{entry['promised_time_limit']}")
    if entry.get("fee"):
        lines.append(f"收费：{entry['fee']}")
    if entry.get("online"):
        lines.append(f"网上可办：{entry.get('online_url') or ONLINE_DEFAULT}")
    if entry.get("phone"):
        lines.append(f"咨询电话：{entry['phone']}")
    if now is not None:
        closed = closed_note(entry, now)
        if closed:
            lines.append(closed)
    return "\n".join(lines)


def closed_note(entry: dict[str, Any], now: datetime) -> str:
    """The 24-hour promise: when the hall is closed now, when it opens and what can be done now."""
    locations = entry.get("locations") or []
    parsed = opening_hours.parse(locations[0].get("hours")) if locations else None
    if parsed is None:
        return ""
    state = opening_hours.opening(parsed, now)
    if state.open_now or state.next_open is None:
        return ""
    text = f"现在不在办公时间，{locations[0].get('name', '窗口')}下次开门：{opening_hours.when_text(state.next_open, now)}。"
    if not state.calendar_covered:
        text += f"（{state.uncovered_year} 年节假日安排尚未收录，以官方公告为准）"
    if entry.get("online"):
        text += f"现在就可以在网上办理：{entry.get('online_url') or ONLINE_DEFAULT}"
    else:
        text += "现在可以先把材料准备齐，开门后直接去办。"
    return text


def materials_answer(entry: dict[str, Any]) -> str:
    materials = entry.get("materials") or []
    if not materials:
        return f"【{entry['name']}】目录里没有列出材料清单，建议先打电话问一下：{entry.get('phone') or '12345'}。"
    lines = [f"【{entry['name']}】需要准备："] + [f"{i}. {m}" for i, m in enumerate(materials, 1)]
    if entry.get("conditions"):
        lines.append(f"办理条件：{entry['conditions']}")
    return "\n".join(lines)


def location_answer(entry: dict[str, Any], question: str, now: datetime) -> str:
    locations = named_in(entry.get("locations") or [], question)[:MAX_LOCATIONS]
    if not locations:
        return f"【{entry['name']}】目录里没有写办理地点，可以打电话问：{entry.get('phone') or '12345'}。"
    lines = [f"【{entry['name']}】办理地点："]
    for place in locations:
        lines.append(_place(place))
        parsed = opening_hours.parse(place.get("hours"))
        if place.get("hours"):
            lines.append(f"办公时间：{place['hours']}")
        if parsed is None:
            continue
        asked = [day for day, words in _WEEKDAY_WORDS.items() if any(w in question for w in words)]
        if "周末" in question:
            asked = [5, 6]
        for day in asked:
            spans = opening_hours.open_on_weekday(parsed, day)
            name = _WEEKDAY_WORDS[day][0]
            if spans:
                times = "，".join(f"{a.hour}:{a.minute:02d}-{b.hour}:{b.minute:02d}" for a, b in spans)
                lines.append(f"{name}可以办：{times}（遇法定节假日除外）" if parsed.office else f"{name}可以办：{times}")
            else:
                lines.append(f"{name}不办公。")
        if any(w in question for w in _HOLIDAY_WORDS) and (parsed.office or parsed.closed_on_holidays):
            lines.append("法定节假日不办公，调休上班的周末照常办公。")
        lines.append(opening_hours.describe(parsed, now) + "。")
    if entry.get("online"):
        lines.append(f"也可以网上办：{entry.get('online_url') or ONLINE_DEFAULT}")
    return "\n".join(lines)


def fee_answer(entry: dict[str, Any]) -> str:
    if entry.get("fee"):
        return f"【{entry['name']}】收费：{entry['fee']}"
    return f"【{entry['name']}】目录里没有写收费信息，可以打电话问：{entry.get('phone') or '12345'}。"


def time_limit_answer(entry: dict[str, Any]) -> str:
    promised, legal = entry.get("promised_time_limit"), entry.get("legal_time_limit")
    if not promised and not legal:
        return f"【{entry['name']}】目录里没有写办理时限，可以打电话问：{entry.get('phone') or '12345'}。"
    text = f"【{entry['name']}】承诺办理时限：{promised or legal}"
    if legal and promised and legal != promised:
        text += f"（法定时限：{legal}）"
    return text


def online_answer(entry: dict[str, Any]) -> str:
    if entry.get("online"):
        return f"【{entry['name']}】可以网上办：{entry.get('online_url') or ONLINE_DEFAULT}"
    where = _place(entry["locations"][0]) if entry.get("locations") else "办理窗口"
    return f"【{entry['name']}】目前不能网上办，需要到{where}办理。"


def named_in(locations: list[dict[str, Any]], question: str) -> list[dict[str, Any]]:
    """The hall the question names (“市民中心”, a town's centre for “璜土”), or all places when it names
    none of them."""
    hall = CITY_HALL if "市民中心" in question else town_hall(question)
    return [place for place in locations if place.get("name") == hall] or locations


def _place(place: dict[str, Any]) -> str:
    where = place.get("name", "")
    if place.get("address"):
        where += f"（{place['address']}）"
    return where
