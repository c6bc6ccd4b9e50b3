"""The booking form (issue 6): service (from context when known), hall (nearest by town), date (relative
Chinese understood), slot (buttons), address for home services, name, phone, then a confirmation."""

from __future__ import annotations

import functools
import logging
import re
from datetime import date, timedelta
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import api_client, booking_client, clock
from actions.yes_no import only_a_number, yes_or_no
from booking.dates import clock_of, day_of_month, hour_of, resolve
from booking.errors import Invalid
from booking.halls import CITY_HALL, HOME, Places
from booking.policy import clean_name, clean_phone, find_phone
from lifebot.messages import BUSY as SYSTEM_BUSY
from lifebot.privacy import masked

log = logging.getLogger(__name__)
FORM_SLOTS = ("booking_service", "booking_service_name", "booking_halls", "booking_hall", "booking_address",
              "booking_date", "booking_period", "booking_slot", "booking_name", "booking_confirmed")
BUSY = f"{SYSTEM_BUSY}。预约系统暂时连不上，也可以拨打 0510-86860001 电话预约。"
# Parts of the read-back a resident may ask to change, and the answers asked again.
CHANGES = ((("日期", "哪天", "哪一天", "改天", "改期", "换一天", "换个日子"), ("booking_date", "booking_slot")),
           (("时间", "时段", "几点", "钟点"), ("booking_slot",)),
           (("名字", "姓名"), ("booking_name",)),
           (("手机", "电话", "号码"), ("booking_phone",)))
# "不对，名字是李四", "姓名改成王五": the new name itself, checked by clean_name when validated
GIVES_NAME = r"(?:(?:应该|应当|应)?(?:是|叫|为)|改成|改为|换成|写成)[：:\s]*([\u4e00-\u9fff·]{2,20})"
NEW_NAME = re.compile(r"(?:名字|姓名)[^，,。；;]{0,4}?" + GIVES_NAME)
# "名字写错了，应该是李四": a clause saying the name is wrong, then the name after the comma
NAME_WRONG_THEN = re.compile(r"(?:名字|姓名)[^，,。；;]{0,4}?(?:错|不对|有误)[了啦]?[，,\s]+" + GIVES_NAME)
NOT_A_NAME = ("对", "错", "不", "没", "什么", "啥", "谁", "哪", "多少", "正确")
CONFIRM_HELP = "这一步请回复“确认”预约；要改哪里直接说（如“改成后天”），不约了就说“不约了”。"
SLOT_HELP = "没听明白要约哪个时段，请点下面的按钮选一个，也可以直接说时间，比如“上午九点”“14:30”。"
Values = dict[str, Any]


@functools.lru_cache(maxsize=1)
def places() -> Places:
    return Places()


def _entity(tracker: Tracker, name: str) -> str | None:
    return next(tracker.get_latest_entity_values(name), None)


async def choose_service(query: str, dispatcher: CollectingDispatcher, town: str | None = None) -> Values:
    """Slot values for a service id or a resident's words; {} after saying why it cannot be booked."""
    entry = await api_client.service(query)
    if entry is None:
        found = await api_client.search(query, top=1)
        if not found.get("confident") or not found["results"]:
            dispatcher.utter_message(text=f"没找到“{query}”这项服务，能换个说法吗？比如“办护照”“上门保洁”。")
            return {}
        entry = await api_client.service(found["results"][0]["id"])
    try:
        answer = await booking_client.slots(entry["id"], clock.now().date().isoformat())
    except booking_client.Refused as exc:
        dispatcher.utter_message(text=exc.message)
        return {}
    values: Values = {"booking_service": entry["id"], "booking_service_name": entry["name"],
                      "booking_halls": answer["halls"]}
    hall = nearest(answer["halls"], town)
    if hall:
        values["booking_hall"] = hall
    return values


def date_example() -> str:
    """A date as residents write one, a week from today ("12月15日"): an example that is never past."""
    day = clock.now().date() + timedelta(days=7)
    return f"{day.month}月{day.day}日"


def nearest(halls: list[str], said: str | None) -> str | None:
    """The hall for what the resident said (a hall, a town or village), or the only possible one."""
    if len(halls) == 1:
        return halls[0]
    if not said:
        return None
    if said in halls:
        return said
    if "市民中心" in said and CITY_HALL in halls:
        return CITY_HALL
    hall = town_hall(said)
    if hall is None:
        return None
    return hall if hall in halls else (CITY_HALL if CITY_HALL in halls else None)


def town_hall(said: str) -> str | None:
    """The centre of the town the words name, or of the town of the village they name ("璜土", "华西村")."""
    place = places().locate(said)
    return None if place is None else places().hall_for_town(place.town).name


async def free_slots(tracker: Tracker, day: str) -> list[str]:
    answer = await booking_client.slots(tracker.get_slot("booking_service"), day, tracker.get_slot("booking_hall"))
    return [s["slot"] for s in answer["slots"] if s["remaining"]]


async def free_days(tracker: Tracker, count: int = 3) -> list[str]:
    found: list[str] = []
    day = clock.now().date()
    for _ in range(10):
        try:
            if await free_slots(tracker, day.isoformat()):
                found.append(day.isoformat())
        except booking_client.Refused:
            break
        if len(found) == count:
            break
        day += timedelta(days=1)
    return found


def day_text(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.month}月{day.day}日（周{'一二三四五六日'[day.weekday()]}）"


class ActionBookingStart(Action):
    """Clears the last booking's answers and takes what the first message already says."""

    def name(self) -> str:
        return "action_booking_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        log.info("booking starts: %s", masked(tracker.latest_message.get("text")))
        values: Values = dict.fromkeys(FORM_SLOTS)
        query = _entity(tracker, "service") or tracker.get_slot("service_id")
        town = _entity(tracker, "village") or _entity(tracker, "town")
        try:
            if query:
                values.update(await choose_service(query, dispatcher, town))
        except api_client.ApiUnavailable:
            dispatcher.utter_message(text=BUSY)
        text = tracker.latest_message.get("text") or ""
        # The day and the phone come from the text, not DIET's entities, which may be a piece of them:
        # "下" of "下周二", "号" of "身份证号3202…", a piece of the number. The form reads the day again.
        if resolve(text, clock.now()) is not None:
            values["booking_date"] = text
        phone = find_phone(text)
        if phone:
            values["booking_phone"] = phone
        return [SlotSet(name, value) for name, value in values.items()]


class ValidateBookingForm(FormValidationAction):
    def name(self) -> str:
        return "validate_booking_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: dict[str, Any]) -> list[str]:
        if tracker.get_slot("booking_hall") != HOME:
            return [s for s in domain_slots if s != "booking_address"]
        return domain_slots

    async def validate_booking_service(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: dict[str, Any]) -> Values:
        if value and value == tracker.get_slot("booking_service") and tracker.get_slot("booking_halls"):
            return {"booking_service": value}
        try:
            chosen = await choose_service(str(value), dispatcher)
        except api_client.ApiUnavailable:
            dispatcher.utter_message(text=BUSY)
            chosen = {}
        return chosen or {"booking_service": None}

    async def validate_booking_hall(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: dict[str, Any]) -> Values:
        halls = tracker.get_slot("booking_halls") or []
        hall = nearest(halls, str(value))
        if hall is None:
            dispatcher.utter_message(text="没找到这个办理地点。请点下面的按钮，或告诉我您住在哪个镇或街道（如“华士镇”）。")
        return {"booking_hall": hall}

    async def validate_booking_address(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: dict[str, Any]) -> Values:
        if places().in_jiangyin(str(value)) is None:
            dispatcher.utter_message(text="没认出这是江阴市内的哪个地方（上门服务只覆盖江阴市）。"
                                          "请写明镇或街道、小区和门牌号，如“华士镇华西新村12号”。")
            return {"booking_address": None}
        return {"booking_address": str(value)}

    async def validate_booking_date(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: dict[str, Any]) -> Values:
        if value is None:  # cleared to be asked again (extract_booking_confirmed)
            return {"booking_date": None}
        when = resolve(str(value), clock.now())
        if when is None and tracker.get_slot("requested_slot") == "booking_date":  # asked which day: "8" is the 8th
            when = day_of_month(str(value), clock.now())
        if when is None:
            dispatcher.utter_message(text=f"没听明白是哪一天，可以说“明天”“下周一”“{date_example()}”这样的日期。")
            return {"booking_date": None}
        values: Values = {"booking_date": when.day.isoformat(), "booking_period": when.period}
        if not tracker.get_slot("booking_hall") or not tracker.get_slot("booking_service"):
            return values
        try:
            free = await free_slots(tracker, when.day.isoformat())
        except booking_client.Refused as exc:
            dispatcher.utter_message(text=exc.message)
            return {"booking_date": None}
        except api_client.ApiUnavailable:
            dispatcher.utter_message(text=BUSY)
            return {"booking_date": None}
        if not free:
            dispatcher.utter_message(text=f"{day_text(when.day.isoformat())}{tracker.get_slot('booking_hall')}没有空的时段了"
                                          "（约满了或不办公），换一天吧。")
            return {"booking_date": None}
        # a new day: the time said with it picks its slot, else its slots are offered afresh
        said = f"{when.clock:%H:%M}" if when.clock is not None else None
        values["booking_slot"] = next((s for s in free if s[:5] <= said < s[6:]), None) if said else None
        return values

    async def validate_booking_slot(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: dict[str, Any]) -> Values:
        if value is None:  # cleared to be asked again
            return {"booking_slot": None}
        text = str(value)
        when = resolve(text, clock.now())
        if when is not None and when.day.isoformat() != tracker.get_slot("booking_date"):
            values = await self.validate_booking_date(text, dispatcher, tracker, domain)
            values.setdefault("booking_slot", None)  # another day: its slots are offered afresh
            return values
        try:
            free = await free_slots(tracker, tracker.get_slot("booking_date"))
        except (booking_client.Refused, api_client.ApiUnavailable):
            dispatcher.utter_message(text=BUSY)
            return {"booking_slot": None}
        said = clock_of(text)
        if said is None and tracker.get_slot("requested_slot") == "booking_slot":  # asked what time: "9" is 9点
            said = hour_of(text)
        chosen = text.strip() if text.strip() in free else None
        if chosen is None and said is not None:
            chosen = next((s for s in free if s[:5] <= f"{said:%H:%M}" < s[6:]), None)
        if chosen is None and said is None:
            dispatcher.utter_message(text=SLOT_HELP)
        elif chosen is None:
            dispatcher.utter_message(text=f"{said:%H:%M} 没有可约的空位（约满了或不在办公时间），"
                                          "请点下面的按钮选一个有空的时段。")
        return {"booking_slot": chosen}

    async def validate_booking_name(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: dict[str, Any]) -> Values:
        return self._clean("booking_name", clean_name, value, dispatcher)

    async def validate_booking_phone(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: dict[str, Any]) -> Values:
        return self._clean("booking_phone", clean_phone, value, dispatcher)

    @staticmethod
    def _clean(slot: str, clean, value: Any, dispatcher: CollectingDispatcher) -> Values:
        if value is None:  # cleared to be asked again
            return {slot: None}
        try:
            return {slot: clean(value)}
        except Invalid as exc:
            dispatcher.utter_message(text=exc.message)
            return {slot: None}

    async def extract_booking_confirmed(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                        domain: dict[str, Any]) -> Values:
        """Yes or no to the read-back, typed or pressed (actions/yes_no.py); anything else, such as
        asking for a human, is no answer, so the form rejects it and the rules take over."""
        if tracker.get_slot("requested_slot") != "booking_confirmed" or tracker.active_loop.get("name") != "booking_form":
            return {}
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent in ("request_human", "cancel_booking"):
            return {}
        text = (tracker.latest_message.get("text") or "").strip()
        if only_a_number(text):  # no yes or no, however the NLU read it: say so, then the read-back again
            dispatcher.utter_message(text=CONFIRM_HELP)
            return {"booking_confirmed": None}
        said = yes_or_no(text, intent)
        # "不对，改成后天", "电话是139…": taken; "名字写错了": asked again; the rest kept. Neither yes nor no,
        # only a new day, name or number counts ("后天吧", "换一天", "名字改成李四"), not "你们电话多少"
        again = ask_again(text, CHANGES if said is False else CHANGES[:1]) if said is not True else {}
        if again:
            return {"booking_confirmed": None, **again}
        return {} if said is None else {"booking_confirmed": said}

    async def validate_booking_confirmed(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                         domain: dict[str, Any]) -> Values:
        return {"booking_confirmed": None if value is None else bool(value)}  # None: asked again later


def ask_again(text: str, parts=CHANGES) -> Values:
    """The answers a reply to the read-back changes: a phone number, a name or a day it gives ("电话是
    139…", "名字改成李四", "改成后天"; validated as if said at that step), else the first of ``parts`` it
    names (asked again); {} when it names none."""
    phone = find_phone(text)
    if phone:
        return {"booking_phone": phone}
    name = new_name(text)
    if name:
        return {"booking_name": name}
    if resolve(text, clock.now()) is not None:
        return {"booking_date": text}
    for words, slots in parts:
        if any(word in text for word in words):
            return dict.fromkeys(slots)
    return {}


def new_name(text: str) -> str | None:
    """The name a correction gives ("名字应该是李四吧", "名字写错了，应该是李四" -> 李四), or None ("名字是对的",
    "姓名是什么", "名字不对，时间也不对")."""
    found = NEW_NAME.search(text) or NAME_WRONG_THEN.search(text)
    if not found:
        return None
    name = found.group(1).rstrip("吧啊呀哦了")
    return None if len(name) < 2 or name.startswith(NOT_A_NAME) else name


def period_filter(slots: list[str], period: str | None) -> list[str]:
    if period in ("morning", "noon"):
        chosen = [s for s in slots if s < "12:00"]
    elif period in ("afternoon", "evening"):
        chosen = [s for s in slots if s >= "12:00"]
    else:
        chosen = slots
    return chosen or slots

