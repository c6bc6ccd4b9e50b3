"""Urgent matters (gas smell, fire, violence, someone in danger): flagged, with the numbers to call now."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Emergency:
    kind: str
    pattern: re.Pattern[str]
    advice: str


EMERGENCIES = (
    Emergency("gas", re.compile(r"(煤气|燃气|天然气|液化气).{0,4}(味|泄漏|泄露|漏气|漏了)|漏气|闻到.{0,4}(煤气|燃气)"),
              "闻到燃气味：不要开关电器、不要打电话在室内，开窗后到室外拨打 119 或燃气抢修 0510-86867200"),
    Emergency("fire", re.compile(r"着火|失火|起火|火灾|烧起来|冒浓烟|浓烟滚滚"),
              "发生火情：立即拨打 119，不要乘电梯，沿安全通道撤离"),
    Emergency("violence", re.compile(r"打人|砍人|持刀|拿刀|家暴|抢劫|绑架|正在打架|打起来了|要杀"),
              "有暴力或人身威胁：立即拨打 110"),
    Emergency("danger", re.compile(r"救命|落水|掉进河|掉河里|溺水|触电|跳楼|轻生|自杀|晕倒|昏迷|没有呼吸|被困|困在|出血不止"),
              "有人身处危险：立即拨打 120（急救）或 110，被困、落水也可拨 119"),
)
HEADLINE = "情况紧急请立即拨打：110（报警）、119（火警）、120（急救）！"


def emergencies(text: str) -> list[Emergency]:
    return [e for e in EMERGENCIES if e.pattern.search(text or "")]


def is_urgent(text: str) -> bool:
    return bool(emergencies(text))


def advice(text: str) -> str:
    """What to tell the resident first: the headline and the advice for each kind found."""
    found = emergencies(text)
    return "\n".join([HEADLINE, *(e.advice for e in found)]) if found else ""
