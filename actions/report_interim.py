"""Honest interim answers for routed reports (issue 7): how to report today, never an invented ticket."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from lifebot.privacy import masked

log = logging.getLogger(__name__)

REPORT = ("在线受理（派单到负责部门）功能还在建设中，我这里暂时不能替您提交，也给不了工单号。"
          "请拨打 12345 热线（24 小时）反映，热线会派给负责的部门；也可以说“转人工”。")
CHECK_TICKET = "工单查询功能还在建设中，我这里暂时查不到{which}的进度。请拨打 12345 热线查询。"
URGENT_WORDS = ("着火", "失火", "火灾", "煤气泄漏", "燃气泄漏", "闻到煤气", "有人打架", "打人", "救命", "有人落水", "触电")
URGENT = "如果情况紧急、有人身危险，请立即拨打 110（报警）、119（火警）或 120（急救）！"


class ActionReportInterim(Action):
    def name(self) -> str:
        return "action_report_interim"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        intent = tracker.latest_message.get("intent", {}).get("name")
        text = tracker.latest_message.get("text") or ""
        log.info("%s (interim): %s", intent, masked(text))
        if intent == "check_ticket":
            number = next(tracker.get_latest_entity_values("ticket_number"), None)
            dispatcher.utter_message(text=CHECK_TICKET.format(which=f"工单 {number} " if number else "工单"))
            return []
        reply = REPORT
        if any(word in text for word in URGENT_WORDS):
            reply = URGENT + "\n" + reply
        dispatcher.utter_message(text=reply)
        return []
