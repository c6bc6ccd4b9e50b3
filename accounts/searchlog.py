"""What residents searched for and how confident the answers were; the maintainers' "no confident
match" report (most frequent first) tells them what to add to the catalog or alias.

Queries are stored with phone and ID numbers masked and whitespace normalised, so repeats group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from accounts.schema import search_log
from lifebot.privacy import masked

_SPACES = re.compile(r"\s+")
SOURCES = ("bot", "console", "web", "other")


@dataclass(frozen=True)
class Searched:
    at: str
    query: str
    confident: bool
    score: float
    top_id: str
    source: str


def searched(query: str, result: dict[str, Any], source: str, at: str) -> Searched:
    """The log record of one search and its result (the JSON /api/search answers)."""
    top = (result.get("results") or [{}])[0]
    text = _SPACES.sub(" ", masked(query)).strip()[:500]
    return Searched(at, text, bool(result.get("confident")), float(top.get("score") or 0.0),
                    str(top.get("id") or ""), source if source in SOURCES else "other")


class SearchLog:
    def __init__(self, engine: sa.engine.Engine):
        self.engine = engine

    def record_many(self, records: list[Searched]) -> None:
        if records:
            with self.engine.begin() as conn:
                conn.execute(search_log.insert(), [vars(r) for r in records])

    def unmatched(self, days: int = 30, limit: int = 100) -> list[dict[str, Any]]:
        """Queries without a confident match in the last ``days``, most frequent first."""
        since = (datetime.now(timezone.utc) - timedelta(days=days)).isoformat(timespec="seconds")
        count = sa.func.count().label("count")
        query = (sa.select(search_log.c.query, count, sa.func.max(search_log.c.at).label("last_at"),
                           sa.func.max(search_log.c.score).label("best_score"))
                 .where(search_log.c.confident.is_(False), search_log.c.at >= since)
                 .group_by(search_log.c.query).order_by(count.desc(), sa.text("last_at DESC")).limit(limit))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            best = self._best_guesses(conn, [r.query for r in rows], since)
        return [{"query": r.query, "count": r.count, "last_at": r.last_at, "best_score": round(r.best_score, 4),
                 "best_guess": best.get(r.query, "")} for r in rows]

    @staticmethod
    def _best_guesses(conn, queries: list[str], since: str) -> dict[str, str]:
        """The entry each query came closest to (its highest-scoring logged top result)."""
        if not queries:
            return {}
        rows = conn.execute(sa.select(search_log.c.query, search_log.c.top_id, search_log.c.score)
                            .where(search_log.c.query.in_(queries), search_log.c.at >= since,
                                   search_log.c.confident.is_(False))
                            .order_by(search_log.c.score)).all()
        return {r.query: r.top_id for r in rows}  # ascending: the last (best) wins

    def counts(self, days: int = 30) -> dict[str, int]:
        since = (datetime.now(timezone.utc) - timedelta(days=days)).isoformat(timespec="seconds")
        query = (sa.select(search_log.c.confident, sa.func.count().label("n"))
                 .where(search_log.c.at >= since).group_by(search_log.c.confident))
        with self.engine.connect() as conn:
            by = {bool(r.confident): r.n for r in conn.execute(query)}
        return {"total": sum(by.values()), "unmatched": by.get(False, 0)}
