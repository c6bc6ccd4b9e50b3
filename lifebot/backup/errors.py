"""The one error type of backup and restore: a machine-readable code and a Chinese message."""

from __future__ import annotations


class BackupError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.message}（{self.code}）"
