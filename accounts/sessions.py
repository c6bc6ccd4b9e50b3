"""Server-side staff sessions: a random token in an HttpOnly cookie, its SHA-256 in the database.

A session ends after ``idle_seconds`` without a request or ``max_seconds`` after login, whichever
comes first; each has its own CSRF token that state-changing requests must echo in a header.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from accounts.schema import sessions, users
from accounts.users import User, _user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Session:
    token: str
    csrf_token: str
    user: User
    expires_at: float

    def csrf_ok(self, presented: str | None) -> bool:
        return bool(presented) and hmac.compare_digest(presented.encode(), self.csrf_token.encode())


class Sessions:
    # Refresh last_seen at most this often, so a busy console does not write on every poll.
    TOUCH_SECONDS = 30.0

    def __init__(self, engine: sa.engine.Engine, idle_seconds: float, max_seconds: float,
                 clock: Callable[[], float] = time.time):
        self.engine, self.idle, self.max, self.clock = engine, idle_seconds, max_seconds, clock

    def start(self, user: User) -> Session:
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = self.clock()
        with self.engine.begin() as conn:
            conn.execute(sessions.delete().where(sessions.c.last_seen < now - self.idle))  # tidy up
            conn.execute(sessions.insert().values(token_hash=_digest(token), user_id=user.id, csrf_token=csrf,
                                                  created_at=now, last_seen=now))
        return Session(token, csrf, user, self._expiry(now, now))

    def _expiry(self, created: float, last_seen: float) -> float:
        return min(created + self.max, last_seen + self.idle)

    def get(self, token: str | None) -> Session | None:
        """The live session of this cookie value (its user active), or None; refreshes its idle timer."""
        if not token:
            return None
        now = self.clock()
        query = (sa.select(sessions, users).join(users, users.c.id == sessions.c.user_id)
                 .where(sessions.c.token_hash == _digest(token)))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        if not row.active or now >= self._expiry(row.created_at, row.last_seen):
            self.end(token)
            return None
        last_seen = row.last_seen
        if now - row.last_seen > self.TOUCH_SECONDS:
            last_seen = now
            with self.engine.begin() as conn:
                conn.execute(sessions.update().where(sessions.c.token_hash == _digest(token))
                             .values(last_seen=now))
        return Session(token, row.csrf_token, _user(row), self._expiry(row.created_at, last_seen))

    def end(self, token: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(sessions.delete().where(sessions.c.token_hash == _digest(token)))
