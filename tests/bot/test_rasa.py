"""The Rasa project as data: validation, annotation alignment, conversation tests, held-out NLU."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import training_data
from lifebot import nlu_eval
from lifebot.settings import ROOT

RASA = Path(sys.executable).parent / "rasa"
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
# Floors that guard against regressions; measured figures are in docs/benchmarks.md ("## NLU").
MIN_INTENT_ACCURACY = 0.93
MIN_ENTITY_F1 = 0.75


def rasa(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(RASA), *args], cwd=ROOT, env=ENV, capture_output=True, text=True)


def test_rasa_data_validate_passes():
    result = rasa("data", "validate", "--domain", "bot/domain", "--data", "data", "--config", "config.yml")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " ERROR " not in result.stdout + result.stderr


def test_entity_annotations_sit_on_token_boundaries():
    if not training_data.JIEBA_DICT.exists():
        pytest.fail("no jieba dictionary in var/jieba: run `.venv/bin/lifebot setup`")
    assert training_data.misaligned() == [], "run `python -m bot.training_data --align`"


def test_every_intent_has_25_training_examples():
    import yaml

    counts: dict[str, int] = {}
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in block:
                counts[block["intent"]] = counts.get(block["intent"], 0) + block["examples"].count("\n- ") + 1
    external = {"nlu_fallback", "choose_service", "release_handover", "choose_booking_option"}  # never typed by a resident
    missing = {i: counts.get(i, 0) for i in set(training_data.intents()) - external if counts.get(i, 0) < 25}
    assert missing == {}


def test_conversation_stories(trained_model, tmp_path):
    result = rasa("test", "core", "--model", str(trained_model), "--stories", "tests/test_stories.yml",
                  "--fail-on-prediction-errors", "--out", str(tmp_path), "--no-plot")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_held_out_nlu(trained_model):
    scores = nlu_eval.evaluate(trained_model)
    assert scores.examples >= 150
    assert scores.intent_accuracy >= MIN_INTENT_ACCURACY, scores.summary()
    assert scores.entity_f1 >= MIN_ENTITY_F1, scores.summary()
