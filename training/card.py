"""The model card written next to a built model: what it was trained on, how, and how it serves.

``model_card.json`` is read by the API (``catalog.search.model_choice``) to decide whether the tuned
model matches the catalog; ``MODEL_CARD.md`` is the same for people.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from training.finetune import DEFAULT_SCALE


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def make_card(*, catalog_version: int, catalog_instance: int, entries: int, catalog_fingerprint: str, pairs_path: Path,
              pairs_sha256: str, weights_sha256: str, base: dict[str, Any], training: dict[str, Any],
              serving: dict[str, Any], search: dict[str, Any]) -> dict[str, Any]:
    """``model_id`` is the served weights' own digest: any change of data or settings gives a new id
    (cached passage vectors are keyed by it)."""
    rows = [json.loads(line) for line in Path(pairs_path).read_text(encoding="utf-8").splitlines() if line]
    return {
        "model_id": weights_sha256[:12],
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "base": base,
        # the fingerprint lets the same entries in another database (the scaled layout's) serve it too
        "catalog": {"version": catalog_version, "instance": catalog_instance, "entries": entries,
                    "fingerprint": catalog_fingerprint},
        "weights_sha256": weights_sha256,
        "data": {"pairs": len(rows), "sha256": pairs_sha256, "sources": dict(Counter(r["source"] for r in rows)),
                 "with_hard_negative": sum(1 for r in rows if r.get("negative")),
                 "golden_set_used": False},
        "training": training,
        "serving": serving,
        "search": search,  # this model's fusion weights and confidence thresholds (catalog/search/calibration.py)
    }


def write_card(card: dict[str, Any], out_dir: Path) -> None:
    out_dir = Path(out_dir)
    (out_dir / "model_card.json").write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    t, d = card["training"], card["data"]
    lines = [
        f"# lifebot 领域向量模型 {card['model_id']}", "",
        f"- 基座：{card['base'].get('source')}（sha256 {card['base'].get('sha256', '')[:16]}…）",
        f"- 目录：版本 {card['catalog']['version']}，实例 {card['catalog']['instance']}，{card['catalog']['entries']} 条，"
        f"内容指纹 {card['catalog'].get('fingerprint', '')[:16]}…",
        f"- 训练数据：{d['pairs']} 组（sha256 {d['sha256'][:16]}…），来源 {d['sources']}；"
        f"含难负例 {d['with_hard_negative']} 组；未使用黄金集",
        f"- 训练：{t.get('loss')}，{t.get('steps')} 步，batch {t.get('batch_size')}，lr {t.get('learning_rate')}，"
        f"max_seq_length {t.get('max_seq_length')}，scale {t.get('scale', DEFAULT_SCALE)}，seed {t.get('seed')}，"
        f"词向量表{'参与' if t.get('word_embeddings_trained') else '冻结'}",
        f"- 耗时 {t.get('seconds')} 秒，峰值内存 {t.get('peak_rss_mb')} MB，机器负载 {t.get('loadavg_before')} → "
        f"{t.get('loadavg_after')}（torch {t.get('torch')}，sentence-transformers {t.get('sentence_transformers')}）",
        f"- 服务：{card['serving']}",
        f"- 检索参数（融合权重、置信阈值；在黄金集与范围外问题的 tune 一半上选择，训练不用黄金集）：{card.get('search')}",
        "- 是否有把握：" + ("由原版模型判断（它拒答范围外问题比本模型好）"
                        if (card.get("search") or {}).get("confidence_gate") == "stock" else "本模型自己的阈值"),
        f"- 生成时间：{card['created_at']}", "",
    ]
    (out_dir / "MODEL_CARD.md").write_text("\n".join(lines), encoding="utf-8")
