"""Search tunables: defaults here, overrides from ``settings.search`` (YAML).

The fusion and confidence numbers are the ones ``lifebot bench search --tune`` chose on the tune
half of the golden set (run of 2026-11-27, recorded in docs/benchmarks.md); the test half only
reports them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_FIELD_WEIGHTS = {"name": 3.0, "aliases": 2.5, "description": 1.0, "materials": 0.3, "ngram": 1.0}


@dataclass(frozen=True)
class SearchConfig:
    field_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_FIELD_WEIGHTS))
    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    # fused = dense_weight * cosine + (1 - dense_weight) * lex / (lex + lexical_saturation)
    dense_weight: float = 0.9
    lexical_saturation: float = 80.0
    # dense = passage_weight * cos(passage) + (1 - passage_weight) * max cos(name or alias)
    passage_weight: float = 0.2
    # confident when the top fused score reaches this (per mode, for the benchmark's baselines)
    confidence: float = 0.893
    # what the hybrid threshold applies to: "fused" (top score) or "dense" (top result's similarity)
    confidence_feature: str = "dense"
    confidence_dense: float = 0.8935
    confidence_bm25: float = 0.132
    # not confident in hybrid search when this many top results match the question equally through a
    # name or alias they share ("社保", an alias of 43 entries): it names a topic, not a service,
    # so the resident chooses (0: off)
    confidence_ties: int = 3
    # who decides "confident" in hybrid search: "own" (the thresholds above) or "stock" (the stock
    # model's own hybrid decision, SearchEngine.gate: a tuned model that ranks better but rejects
    # out-of-scope questions worse; calibration.py chooses)
    confidence_gate: str = "own"
    # append the official wording of matched colloquialisms to the dense query too
    dense_synonyms: bool = True
    candidates: int = 50
    flat_max: int = 50000
    # a filter leaving at most this many entries is scored exactly instead of through faiss
    exact_filtered_max: int = 20000
    nprobe: int = 16
    encode_batch: int = 64

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> SearchConfig:
        values = dict(values or {})
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown search settings: {', '.join(sorted(unknown))}")
        if values.get("confidence_gate", "own") not in ("own", "stock"):
            raise ValueError("confidence_gate must be own or stock")
        if "field_weights" in values:
            values["field_weights"] = {**DEFAULT_FIELD_WEIGHTS, **values["field_weights"]}
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["field_weights"] = dict(self.field_weights)
        return data
