"""Evaluate the trained NLU model on the held-out test file (tests/nlu/test_nlu.yml).

Runs ``rasa test nlu`` in a subprocess and reads its reports: intent accuracy, intent macro F1 and
the entity micro-averaged F1 of the DIET extractor. The held-out file lives outside ``data/`` so it
is never trained on. ``lifebot bench nlu`` calls :func:`evaluate`; by hand::

    .venv/bin/python -m lifebot.nlu_eval
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = ROOT / "tests" / "nlu" / "test_nlu.yml"
MODEL = ROOT / "var" / "models" / "lifebot.tar.gz"
ENTITY_REPORT = "DIETClassifier_report.json"


@dataclass(frozen=True)
class NluScores:
    examples: int
    intent_accuracy: float
    intent_macro_f1: float
    entity_f1: float  # micro average over entity types, DIETClassifier
    entity_support: int
    intent_errors: list[dict] = field(default_factory=list)

    def summary(self) -> str:
        return (f"held-out examples {self.examples}: intent accuracy {self.intent_accuracy:.3f}, "
                f"intent macro F1 {self.intent_macro_f1:.3f}, entity F1 {self.entity_f1:.3f} "
                f"({self.entity_support} entities)")


def command(model: Path, test_file: Path, out_dir: Path) -> list[str]:
    return [str(Path(sys.executable).parent / "rasa"), "test", "nlu", "--model", str(model),
            "--nlu", str(test_file), "--out", str(out_dir), "--no-plot"]


def evaluate(model: Path = MODEL, test_file: Path = HELD_OUT, out_dir: Path | None = None) -> NluScores:
    """Run ``rasa test nlu`` on the held-out file and read intent accuracy and entity F1."""
    if not Path(model).exists():
        raise FileNotFoundError(f"no trained model at {model}: run `lifebot setup` first")
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(out_dir or scratch)
        env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
        subprocess.run(command(Path(model), Path(test_file), out), check=True, cwd=ROOT, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        return read_reports(out)


def read_reports(out: Path) -> NluScores:
    intents = json.loads((out / "intent_report.json").read_text(encoding="utf-8"))
    errors_file = out / "intent_errors.json"
    errors = json.loads(errors_file.read_text(encoding="utf-8")) if errors_file.exists() else []
    entity_f1, support = 0.0, 0
    entity_file = out / ENTITY_REPORT
    if entity_file.exists():
        entities = json.loads(entity_file.read_text(encoding="utf-8"))
        average = entities.get("micro avg") or entities.get("accuracy") or {}
        if isinstance(average, dict):
            entity_f1, support = average.get("f1-score", 0.0), int(average.get("support", 0))
    return NluScores(examples=int(intents["macro avg"]["support"]), intent_accuracy=intents["accuracy"],
                     intent_macro_f1=intents["macro avg"]["f1-score"], entity_f1=entity_f1,
                     entity_support=support, intent_errors=errors)


if __name__ == "__main__":
    scores = evaluate(Path(sys.argv[1]) if len(sys.argv) > 1 else MODEL)
    print(scores.summary())
    for error in scores.intent_errors:
        print(f"  {error['text']}: expected {error['intent']}, got {error['intent_prediction']['name']}")
