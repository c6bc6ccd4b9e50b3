"""report_form: what happened, where, how to reach the resident, and a confirmation.

The slots are filled from the resident's own words (custom mappings): the message that starts a
report is its "what" (and its "where", when it names a place); each answer fills the slot asked
for. Urgent matters get the emergency numbers at once, before anything else is asked.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import routing_client
from actions.api_client import ApiUnavailable
from actions.yes_no import only_a_number, yes_or_no
from lifebot.messages import BUSY as SYSTEM_BUSY
from lifebot.privacy import mask_phone, masked
from lifebot.typed import half_width
from routing.urgent import advice, is_urgent

log = logging.getLogger(__name__)

# Not a run of digits inside a longer number (an ID number holds both patterns).
PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
# Intents that leave the form midway (rules/reports.yml): not taken as an answer, so the form rejects.
LEAVE = ("deny", "cancel_booking", "request_human")
ASK_WHERE = "在哪里？请说一下镇（街道）和村（社区、小区）或路名，比如“华士镇华西村”“澄江街道人民中路268号”。"
BAD_PHONE = "这个号码好像不对，请留 11 位手机号，或带区号的固定电话（如 0510-86860001）。"
# "不想留", "不方便给", "能匿名吗": not a wrong number but a resident who would rather not give one
NO_PHONE = re.compile(r"不(?:想|愿意?|方便|能|要|用)?(?:留|给|告诉|说)|匿名|保密")
WHY_PHONE = ("登记工单要留一个联系电话：承办单位靠它联系您、答复结果，您也凭它查进度；"
             "号码只用于办理这件事，回复里会打码。")
PHONE_OR_12345 = WHY_PHONE + "不想留号码，可以说“算了”不提交，或直接拨打 12345 热线反映。"
CONFIRM_HELP = "这一步请回复“确认”提交，要修改请回复“不对”。"
# "我要投诉", "我想反映个问题", "投诉一下": the wish to report, with nothing of what happened. Such a
# message starts the form but is not its "what": the form asks "请简单说说遇到了什么问题？".
REPORT_WORDS = re.compile(r"投诉|举报|反映|反馈|报修")
WISH_WORDS = re.compile(
    r"你好|您好|请问|麻烦|那个|知道了|好的|谢谢|对了|还有|另外|一下|一个|问题|事情|情况|可以|需要|"
    r"[我要想还再帮给能个件些点事下有嗯喂哦啊呀吧呢吗了的]|[\s\W_]")
API_DOWN = f"{SYSTEM_BUSY}。您的反映还没有提交，可以稍后再说一次，或直接拨打 12345 热线（24 小时）。"


def _text(tracker: Tracker) -> str:
    return (tracker.latest_message.get("text") or "").strip()


def _intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def phone_number(text: str) -> str | None:
    """The mobile or landline number in what someone typed, half-width ("１３８ 1234 5678" -> "13812345678")."""
    found = PHONE.search(half_width(text).replace(" ", ""))
    return found.group(0) if found else None


def only_a_wish_to_report(text: str) -> bool:
    """"我要投诉", "投诉一下", "我想反映个问题": a report verb and filler words, nothing that happened."""
    return bool(REPORT_WORDS.search(text)) and not WISH_WORDS.sub("", REPORT_WORDS.sub("", text))


def _asked(tracker: Tracker, slot: str) -> bool:
    return tracker.get_slot("requested_slot") == slot and tracker.active_loop.get("name") == "report_form"


class ValidateReportForm(FormValidationAction):
    def name(self) -> str:
        return "validate_report_form"

    async def extract_report_what(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> dict[str, Any]:
        if _intent(tracker) == "report_issue" and tracker.get_slot("report_what") is None:
            return {"report_what": _text(tracker)}
        if _asked(tracker, "report_what") and _intent(tracker) not in LEAVE:
            return {"report_what": _text(tracker)}
        return {}

    async def extract_report_where(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        if _asked(tracker, "report_where"):
            return {} if _intent(tracker) in LEAVE else {"report_where": _text(tracker)}
        if tracker.get_slot("report_where") is None and _intent(tracker) == "report_issue":
            # The first message may already say where: kept only if it resolves (see validate).
            return {"report_where": _text(tracker)}
        return {}

    async def extract_report_phone(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        found = phone_number(_text(tracker))
        if found and tracker.get_slot("report_phone") is None:
            return {"report_phone": found}
        if _asked(tracker, "report_phone"):
            return {} if _intent(tracker) in LEAVE else {"report_phone": _text(tracker)}
        return {}

    async def extract_report_confirmed(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> dict[str, Any]:
        if not _asked(tracker, "report_confirmed"):
            return {}
        if only_a_number(_text(tracker)):  # no yes or no, however the NLU read it: say so, then ask again
            dispatcher.utter_message(text=CONFIRM_HELP)
            return {"report_confirmed": None}
        said = yes_or_no(_text(tracker), _intent(tracker))
        return {} if said is None else {"report_confirmed": said}

    async def validate_report_what(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        if only_a_wish_to_report(str(value)):
            return {"report_what": None}  # asked next: utter_ask_report_what
        log.info("report from %s: %s", tracker.sender_id, masked(value))
        if is_urgent(value):
            dispatcher.utter_message(text=advice(value) + "\n我也会把这件事记下来，转给相关部门。")
        return {"report_what": value}

    async def validate_report_where(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        try:
            place = await routing_client.address(value)
        except routing_client.ApiRefused:
            return {"report_where": None, "report_where_question": None}
        except ApiUnavailable:
            return {"report_where": value, "report_where_question": None}  # the desk resolves it later
        if place["grid"] is not None:
            return {"report_where": value, "report_where_question": None}
        if not _asked(tracker, "report_where"):
            return {"report_where": None}  # the first message named no place: ask plainly
        return {"report_where": None, "report_where_question": place["question"]}

    async def validate_report_phone(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        found = phone_number(str(value))
        if not found:
            dispatcher.utter_message(text=PHONE_OR_12345 if NO_PHONE.search(str(value)) else BAD_PHONE)
            return {"report_phone": None}
        return {"report_phone": found}


class ActionAskReportWhere(Action):
    def name(self) -> str:
        return "action_ask_report_where"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=tracker.get_slot("report_where_question") or ASK_WHERE)
        return []


class ActionAskReportConfirmed(Action):
    """Read the report back, with where it will go, and ask to confirm."""

    def name(self) -> str:
        return "action_ask_report_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        what, where = tracker.get_slot("report_what"), tracker.get_slot("report_where")
        phone = tracker.get_slot("report_phone") or ""
        lines = ["请确认：", f"问题：{what}", f"地点：{where}", f"联系电话：{mask_phone(phone)}"]
        try:
            routed = await routing_client.route(f"{what} {where}")
            lines.append(f"将转给：{routed['team'] or routed['department']}"
                         + (f"（{routed['grid']['name']}网格）" if routed["grid"] else ""))
        except (ApiUnavailable, routing_client.ApiRefused):
            pass
        lines.append("没问题就回复“确认”，要修改请回复“不对”。")
        dispatcher.utter_message(text="\n".join(lines), buttons=[
            {"title": "确认提交", "payload": "/affirm"}, {"title": "不对", "payload": "/deny"}])
        return []
