"""Errors of the staff side: a machine-readable code and a Chinese message."""

from __future__ import annotations


class AccountError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message
