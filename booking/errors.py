"""What goes wrong when booking: a machine-readable code and a Chinese message a resident can read."""

from __future__ import annotations


class BookingError(Exception):
    """``kind`` says what sort of failure it is: "invalid" (bad input), "conflict" (full, or a rule
    is broken), "not_found"."""

    kind = "invalid"

    def __init__(self, code: str, message: str, **details: object):
        super().__init__(message)
        self.code, self.message, self.details = code, message, details


class Invalid(BookingError):
    kind = "invalid"


class Conflict(BookingError):
    kind = "conflict"


class NotFound(BookingError):
    kind = "not_found"
