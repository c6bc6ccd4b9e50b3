"""Query validation shared by the CLI and the API."""

from __future__ import annotations

import unicodedata

from catalog.simplified import to_simplified

MAX_QUERY_CHARS = 500


class QueryError(ValueError):
    """A query the search refuses; ``code`` is machine-readable, ``message`` is for residents."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def to_dict(self) -> dict[str, str]:
        return {"error": self.code, "message": self.message}


def validate_query(q: object) -> str:
    """Return the query stripped of surrounding blanks and in Simplified characters, or raise ``QueryError``."""
    if not isinstance(q, str):
        raise QueryError("malformed_query", "查询必须是一段文字。")
    if "\x00" in q or any(unicodedata.category(ch) == "Cs" for ch in q):
        raise QueryError("malformed_query", "查询里有无法识别的字符，请重新输入。")
    text = q.strip()
    if not text:
        raise QueryError("empty_query", "请输入要查询的内容，例如“孩子上户口”。")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError("query_too_long", f"查询太长了（{len(text)} 个字），请控制在 {MAX_QUERY_CHARS} 个字以内。")
    if not any(ch.isalnum() for ch in text):
        raise QueryError("malformed_query", "查询里没有文字，请用几个字描述要办的事。")
    return to_simplified(text)
