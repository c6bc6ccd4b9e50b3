"""What people type, folded before it is read for numbers and codes.

Chinese input methods in full-width mode give "１３９１２３４５６７８", "８号", "９：３０" and "ＮＤＨ７ＲＣ";
every parser of phone numbers, dates, times and codes reads them as their half-width forms.
"""

from __future__ import annotations

import unicodedata


def half_width(text: str) -> str:
    """Full-width digits, letters and punctuation as ASCII (NFKC): "８号" -> "8号"; Chinese unchanged."""
    return unicodedata.normalize("NFKC", text)
