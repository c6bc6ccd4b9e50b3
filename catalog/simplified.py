"""Traditional Chinese typed by a resident, read as Simplified: the catalog, the NLU training data and
the routing examples are all Simplified, so “戶口遷進來怎麼辦” found nothing that “户口迁进来怎么办” finds.

OpenCC's phrase-level ``t2s`` conversion (乾淨 → 干净, 乾隆 stays); Simplified text, digits, Latin
letters and punctuation pass through unchanged. The converter loads on first use (a few ms).
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    if text.isascii():
        return text
    return _converter().convert(text)
