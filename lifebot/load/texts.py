"""What simulated residents say, drawn from the repo's own data so it is realistic and varied.

Service questions come from the search golden set (tests/golden/queries.jsonl), out-of-scope questions
from tests/golden/out_of_scope.txt, everything else from the NLU training examples (data/nlu/*.yml):
follow-ups about materials, place and hours, reports, small talk, booking requests and the service
names, towns and addresses annotated in them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from lifebot.settings import ROOT

ENTITY = re.compile(r"\[([^\]]+)\]\((\w+)\)")
FOLLOW_UPS = ("ask_materials", "ask_location_hours", "ask_time_limit", "ask_fee")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙朱高"
GIVEN = ("建国", "秀英", "志强", "丽华", "海峰", "晓燕", "国平", "文静", "伟", "芳")


@dataclass(frozen=True)
class Texts:
    questions: tuple[str, ...]       # a resident's first question about a service
    follow_ups: tuple[str, ...]      # 材料 / 地点 / 时间 / 费用, referring to the service in context
    booking_openers: tuple[str, ...]
    booking_services: tuple[str, ...]
    reports: tuple[str, ...]
    addresses: tuple[str, ...]
    small_talk: tuple[str, ...]      # greetings, chit-chat and questions nothing in the catalog answers
    farewells: tuple[str, ...]
    names: tuple[str, ...]

    def all(self) -> list[str]:
        return [t for field in self.__dataclass_fields__ for t in getattr(self, field)]


def _examples(intent_block: dict) -> list[str]:
    return [line[2:].strip() for line in intent_block.get("examples", "").splitlines() if line.startswith("- ")]


def nlu_examples(root: Path = ROOT) -> dict[str, list[str]]:
    """intent -> its training examples (with entity annotations), over every data/nlu file."""
    found: dict[str, list[str]] = {}
    for path in sorted((root / "data" / "nlu").glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" in block:
                found.setdefault(block["intent"], []).extend(_examples(block))
    return found


def plain(example: str) -> str:
    return ENTITY.sub(r"\1", example)


def entities(example: str) -> dict[str, str]:
    return {kind: value for value, kind in ENTITY.findall(example)}


def load(root: Path = ROOT) -> Texts:
    nlu = nlu_examples(root)
    golden = root / "tests" / "golden"
    questions = [json.loads(line)["q"] for line in (golden / "queries.jsonl").read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    oos = [line.strip() for line in (golden / "out_of_scope.txt").read_text(encoding="utf-8").splitlines()
           if line.strip() and not line.startswith("#")]
    # Follow-ups without a service named in them: they must lean on the conversation's context.
    follow_ups = [e for intent in FOLLOW_UPS for e in nlu.get(intent, []) if not ENTITY.search(e)]
    booking = nlu.get("book_appointment", [])
    reports = [e for e in nlu.get("report_issue", []) if not ENTITY.search(e)]
    addresses = sorted({ents["town"] + ents["address"] for e in nlu.get("report_issue", [])
                        if {"town", "address"} <= set(ents := entities(e))})
    return Texts(
        questions=tuple(questions),
        follow_ups=tuple(follow_ups),
        booking_openers=tuple(e for e in booking if not ENTITY.search(e) and "?" not in e)[:8] or ("我要预约",),
        booking_services=tuple(sorted({entities(e)["service"] for e in booking if "service" in entities(e)})),
        reports=tuple(reports),
        addresses=tuple(addresses),
        small_talk=tuple(plain(e) for e in nlu.get("greet", []) + nlu.get("chitchat", [])) + tuple(oos),
        farewells=tuple(plain(e) for e in nlu.get("thank", []) + nlu.get("goodbye", [])),
        names=tuple(s + g for s in SURNAMES for g in GIVEN),
    )
