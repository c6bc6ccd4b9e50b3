"""Export a sentence-transformers XLM-RoBERTa directory (mean pooling + normalisation) to ONNX.

Built directly from the safetensors weights with the ``onnx`` helpers, so the export needs no torch:
the converted stock model is exported in the 3.10 runtime, the tuned one likewise after training.
Inputs ``input_ids`` and ``attention_mask`` (int64, [batch, tokens]); output ``sentence_embedding``
([batch, hidden], L2-normalised) = the model's mean-pooled, normalised sentence embedding, in fp32.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17  # LayerNormalization


class _Graph:
    def __init__(self, weights: dict[str, np.ndarray]):
        self.w = weights
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self._n = 0

    def const(self, name: str, value: np.ndarray) -> str:
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(self, kind: str, inputs: list[str], **attrs) -> str:
        self._n += 1
        out = f"{kind.lower()}_{self._n}"
        self.nodes.append(helper.make_node(kind, inputs, [out], **attrs))
        return out

    def linear(self, x: str, prefix: str) -> str:
        wt = self.const(f"{prefix}.weight.T", self.w[f"{prefix}.weight"].T.astype(np.float32))
        b = self.const(f"{prefix}.bias", self.w[f"{prefix}.bias"].astype(np.float32))
        return self.op("Add", [self.op("MatMul", [x, wt]), b])

    def layer_norm(self, x: str, prefix: str, eps: float) -> str:
        g = self.const(f"{prefix}.weight", self.w[f"{prefix}.weight"].astype(np.float32))
        b = self.const(f"{prefix}.bias", self.w[f"{prefix}.bias"].astype(np.float32))
        return self.op("LayerNormalization", [x, g, b], axis=-1, epsilon=eps)


def _load_weights(model_dir: Path) -> dict[str, np.ndarray]:
    from safetensors.numpy import load_file

    weights = load_file(str(model_dir / "model.safetensors"))
    # sentence-transformers may save the encoder with or without a "roberta."-style prefix.
    return {_strip(k): v for k, v in weights.items()}


def _strip(key: str) -> str:
    for prefix in ("roberta.", "model.", "xlm_roberta."):
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


def build(model_dir: str | Path) -> onnx.ModelProto:
    model_dir = Path(model_dir)
    cfg = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    hidden, heads, eps = cfg["hidden_size"], cfg["num_attention_heads"], float(cfg["layer_norm_eps"])
    pad = int(cfg.get("pad_token_id", 1))
    head_dim = hidden // heads
    g = _Graph(_load_weights(model_dir))
    one_i = g.const("one_i64", np.array(1, dtype=np.int64))

    # XLM-RoBERTa positions: padding_idx + cumulative count of real tokens; padding stays at padding_idx.
    mask = "attention_mask"
    positions = g.op("Add", [g.op("Mul", [g.op("CumSum", [mask, one_i]), mask]),
                             g.const("pad_idx", np.array(pad, dtype=np.int64))])
    word = g.op("Gather", [g.const("word_embeddings", g.w["embeddings.word_embeddings.weight"]), "input_ids"])
    pos = g.op("Gather", [g.const("position_embeddings", g.w["embeddings.position_embeddings.weight"]), positions])
    token_type = g.const("token_type_0", g.w["embeddings.token_type_embeddings.weight"][0].astype(np.float32))
    x = g.layer_norm(g.op("Add", [g.op("Add", [word, pos]), token_type]), "embeddings.LayerNorm", eps)

    maskf = g.op("Cast", [mask], to=TensorProto.FLOAT)
    neg = g.op("Mul", [g.op("Sub", [g.const("one_f", np.array(1.0, np.float32)), maskf]),
                       g.const("neg_big", np.array(-1e9, np.float32))])
    attn_bias = g.op("Unsqueeze", [neg, g.const("axes_1_2", np.array([1, 2], dtype=np.int64))])
    split_heads = g.const("shape_heads", np.array([0, 0, heads, head_dim], dtype=np.int64))
    merge_heads = g.const("shape_merge", np.array([0, 0, hidden], dtype=np.int64))
    scale = g.const("attn_scale", np.array(1.0 / math.sqrt(head_dim), np.float32))
    sqrt2 = g.const("sqrt2", np.array(math.sqrt(2.0), np.float32))
    half = g.const("half", np.array(0.5, np.float32))

    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}"
        q = g.op("Transpose", [g.op("Reshape", [g.linear(x, f"{p}.attention.self.query"), split_heads])],
                 perm=[0, 2, 1, 3])
        k = g.op("Transpose", [g.op("Reshape", [g.linear(x, f"{p}.attention.self.key"), split_heads])],
                 perm=[0, 2, 3, 1])
        v = g.op("Transpose", [g.op("Reshape", [g.linear(x, f"{p}.attention.self.value"), split_heads])],
                 perm=[0, 2, 1, 3])
        scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, k]), scale]), attn_bias])
        ctx = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), v])
        ctx = g.op("Reshape", [g.op("Transpose", [ctx], perm=[0, 2, 1, 3]), merge_heads])
        x = g.layer_norm(g.op("Add", [x, g.linear(ctx, f"{p}.attention.output.dense")]),
                         f"{p}.attention.output.LayerNorm", eps)
        h = g.linear(x, f"{p}.intermediate.dense")
        h = g.op("Mul", [g.op("Mul", [h, half]),
                         g.op("Add", [g.op("Erf", [g.op("Div", [h, sqrt2])]), g.const(f"one_{i}", np.array(1.0, np.float32))])])
        x = g.layer_norm(g.op("Add", [x, g.linear(h, f"{p}.output.dense")]), f"{p}.output.LayerNorm", eps)

    m3 = g.op("Unsqueeze", [maskf, g.const("axis_last", np.array([-1], dtype=np.int64))])
    axis1 = g.const("axis_1", np.array([1], dtype=np.int64))
    summed = g.op("ReduceSum", [g.op("Mul", [x, m3]), axis1], keepdims=0)
    count = g.op("Max", [g.op("ReduceSum", [m3, axis1], keepdims=0), g.const("tiny", np.array(1e-9, np.float32))])
    mean = g.op("Div", [summed, count])
    norm = g.op("Max", [g.op("ReduceL2", [mean], axes=[-1], keepdims=1),
                        g.const("tiny2", np.array(1e-12, np.float32))])
    g.nodes.append(helper.make_node("Div", [mean, norm], ["sentence_embedding"]))

    graph = helper.make_graph(
        g.nodes, "e5_sentence_embedding",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"])],
        [helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch", hidden])],
        initializer=g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="lifebot")
    model.ir_version = 8
    return model


def export(model_dir: str | Path, out_dir: str | Path) -> Path:
    """Write ``model.onnx`` and the tokenizer into ``out_dir`` (the serving directory)."""
    import shutil

    model_dir, out_dir = Path(model_dir), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model = build(model_dir)
    onnx.checker.check_model(model)
    onnx.save_model(model, str(out_dir / "model.onnx"))
    for name in ("tokenizer.json", "config.json", "config_sentence_transformers.json"):
        shutil.copyfile(model_dir / name, out_dir / name)
    return out_dir / "model.onnx"
