"""Confirmation codes: six characters from an alphabet without look-alikes (no 0/O, 1/I/L), always
mixing letters and digits, like an airline booking reference ("K7M2QX"): 31^6 - 23^6 - 8^6 ≈ 740
million codes.
"""

from __future__ import annotations

import re
import secrets

from lifebot.typed import half_width

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6
# Also in data/nlu/regexes.yml (booking_code): keep the two in step.
PATTERN = re.compile(r"(?<![A-Za-z0-9])(?=[A-Za-z2-9]{0,5}[2-9])(?=[A-Za-z2-9]{0,5}[A-Za-z])"
                     r"([A-HJKMNP-Za-hjkmnp-z2-9]{6})(?![A-Za-z0-9])")


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if any(c.isdigit() for c in code) and any(c.isalpha() for c in code):
            return code


def normalise(text: str | None) -> str | None:
    """The code in what someone typed ("k7m2qx", " K7M2QX。", full-width "Ｋ７Ｍ２ＱＸ") or None."""
    match = PATTERN.search(half_width(text or ""))
    return match.group(1).upper() if match else None
