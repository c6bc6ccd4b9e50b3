"""`lifebot bench load` itself, briefly, against the session's real stack: a smoke test of the tool
(its JSON holds sane figures and no errors), not a speed test."""

from __future__ import annotations

import json
import subprocess

import pytest

from lifebot.settings import ROOT
from tests.conftest import LIFEBOT, TEST_SETTINGS, _env_without_lifebot_overrides

pytestmark = pytest.mark.e2e


def test_one_resident_holds_each_kind_of_conversation(stack, tmp_path):
    out = tmp_path / "load.json"
    subprocess.run([str(LIFEBOT), "--settings", str(TEST_SETTINGS), "bench", "load",
                    "--url", f"{stack.settings.rasa_base_url}/webhooks/rest/webhook", "--users", "1",
                    "--conversations", "4", "--seconds", "240", "--think", "0", "--json", str(out)],
                   check=True, cwd=ROOT, env=_env_without_lifebot_overrides(), timeout=600)
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["url"] == stack.settings.rasa_base_url
    assert result["embedding_model"] is None  # --url: the API serving it is not known here
    [level] = result["levels"]
    turn, parse = level["turn"], level["parse"]
    assert level["users"] == 1 and level["conversations"] == 4
    assert sorted(level["by_kind"]) == ["booking", "report", "service", "small_talk"]
    assert turn["errors"] == 0 and parse["errors"] == 0, (turn, parse)
    assert turn["turns"] >= 10 and parse["turns"] == turn["turns"]
    assert 0 < turn["p50"] <= turn["p95"] <= turn["p99"] <= turn["max"] < 60_000
    assert 0 < parse["p50"] <= parse["p95"] <= parse["p99"]
    assert level["ratio_p50"] == pytest.approx(turn["p50"] / parse["p50"], rel=0.05)
    # Booking and report forms were followed to the end: a booking code and a ticket number.
    assert level["by_kind"]["booking"]["reached"] == 1 and level["by_kind"]["report"]["reached"] == 1, level
    assert len(level["load_before"]) == 3 and result["cpus"] >= 1
