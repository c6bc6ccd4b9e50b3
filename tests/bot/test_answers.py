"""actions.answers: where and when, for an entry with many places (info-halls, the halls themselves)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from actions.answers import location_answer

SERVICES = Path(__file__).resolve().parents[2] / "catalog" / "data" / "services"
# A Tuesday evening: every hall is closed.
EVENING = datetime(2026, 12, 8, 20, 0)


def halls_entry() -> dict:
    with (SERVICES / "information.jsonl").open(encoding="utf-8") as fh:
        return next(d for d in map(json.loads, fh) if d.get("id") == "info-halls")


def test_the_citizen_centre_s_saturday_is_its_own_not_an_online_lookup_s():
    """It read “线上查询 … 周六可以办：0:00-23:59 … 24 小时开放”."""
    answer = location_answer(halls_entry(), "市民中心周六上班吗", EVENING)
    assert answer.splitlines()[1] == "江阴市民中心（江阴市澄江中路159号）", answer
    assert "周六可以办：9:00-12:00（遇法定节假日除外）" in answer
    assert "0:00-23:59" not in answer and "线上查询" not in answer and "服务中心" not in answer, answer


def test_a_town_s_hall_is_the_one_answered_for_that_town():
    answer = location_answer(halls_entry(), "璜土的政务服务中心周六开门吗", EVENING)
    assert answer.splitlines()[1].startswith("璜土镇政务服务中心（"), answer
    assert "周六不办公。" in answer and "市民中心" not in answer, answer


def test_a_question_naming_no_hall_gets_the_first_three():
    answer = location_answer(halls_entry(), "办事大厅几点开门", EVENING)
    assert [line for line in answer.splitlines() if "（江阴市" in line] == [
        "江阴市民中心（江阴市澄江中路159号）", "澄江街道便民服务中心（江阴市澄江街道人民中路268号）",
        "南闸街道便民服务中心（江阴市南闸街道南闸路18号）"], answer
