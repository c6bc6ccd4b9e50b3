"""Issue 10: a short fine-tuning run through the real pipeline (a few steps in .venv-train), then the
ONNX install with its model card, served by the API's model choice.

Needs ``.venv-train`` (Python 3.11 + CPU torch; `make test` builds it). Without it the test skips
loudly, except under CI (``CI=true``), where a missing training environment is a broken set-up.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from catalog.search.bench import load_catalog_files, load_golden
from catalog.search.calibration import KEYS
from catalog.search.model_choice import choose_encoder
from catalog.search.onnx_encoder import OnnxEncoder
from lifebot.settings import Settings
from tests.training.test_model_choice import _with_model_dir
from training import pipeline
from training.card import file_sha256
from training.pairs import build_pairs, write_pairs


@pytest.fixture(scope="module")
def train_env():
    if not pipeline.TRAIN_PYTHON.exists():
        message = "没有 .venv-train（make test / make model 会创建）：跳过微调测试"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def test_short_finetune_installs_a_tuned_model_that_serves(train_env, converted):
    root = converted["root"]
    rows = build_pairs(load_catalog_files()[:60], pipeline.golden_texts(), [], seed=1)
    sha = write_pairs(rows, root / "pairs.jsonl")
    (root / "pairs.meta.json").write_text(json.dumps({"version": 3, "instance": 77, "entries": 60,
                                                      "fingerprint": "f" * 64, "sha256": sha}))

    pipeline.train(root, ["--max-steps", "3", "--batch-size", "4", "--max-seq-length", "32", "--seed", "5",
                          "--scale", "30"],
                   echo=lambda _: None)
    stats = json.loads((root / "tuned-st" / "training_stats.json").read_text())
    assert stats["steps"] == 3 and stats["seed"] == 5 and stats["scale"] == 30.0 and stats["pairs"] > 0

    # calibration on a small slice of the golden set keeps this test quick (make model uses all of it)
    queries, oos = load_golden()
    queries = [q for q in queries if q.split == "tune"][:30]
    wanted = {i for q in queries for i in q.expected}
    catalog = [e for e in load_catalog_files() if e.id in wanted] + load_catalog_files()[:60]
    card = pipeline.install(root, echo=lambda _: None, calibration_set=(catalog, queries, oos[:40]))
    assert card["catalog"] == {"version": 3, "instance": 77, "entries": 60, "fingerprint": "f" * 64}
    assert card["data"]["pairs"] == len(rows) and card["data"]["golden_set_used"] is False
    card_text = (root / "tuned" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert card_text.startswith("# lifebot 领域向量模型") and "scale 30.0" in card_text
    # the id names cached passage vectors, so it is the weights' own digest, not the settings'
    assert card["model_id"] == file_sha256(root / "tuned" / "model.onnx")[:12]

    # Three steps move the weights a little, not far: the model changed and still embeds sensibly.
    text = ["户口迁入需要什么材料"]
    tuned, stock = OnnxEncoder(root / "tuned"), OnnxEncoder(converted["onnx"])
    cos = float((tuned.query(text) * stock.query(text)).sum())
    assert 0.9 < cos < 0.999999

    # the model's own fusion weights and thresholds ride with it and replace the stock defaults
    assert set(card["search"]) == set(KEYS) and 0 < card["search"]["confidence"] < 1
    _, choice = choose_encoder(_with_model_dir(Settings(), root), 3, 77)
    assert choice.model == "tuned" and choice.encoder == f"onnx/tuned-{card['model_id']}"
    assert choice.search == card["search"]
    assert np.isfinite(tuned.passage(["居住证办理"])).all()

    # int8 variant for the model benchmark: written beside, close to fp32, smaller, card carried over.
    drift = pipeline.quantize(root, echo=lambda _: None)
    assert 0.95 < drift["min"] <= drift["mean"] <= 1.0001
    int8_dir = root / "tuned-int8"
    assert (int8_dir / "model.onnx").stat().st_size < (root / "tuned" / "model.onnx").stat().st_size / 2
    assert json.loads((int8_dir / "model_card.json").read_text())["model_id"] == card["model_id"]
