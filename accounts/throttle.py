"""Login rate limiting: too many failures for one user name, or from one address, lock out for a while.

Failures are kept in the database, so the limit holds across API restarts and processes.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import sqlalchemy as sa

from accounts.schema import login_failures


class LoginThrottle:
    def __init__(self, engine: sa.engine.Engine, max_failures: int, window_seconds: float,
                 clock: Callable[[], float] = time.time):
        self.engine, self.max, self.window, self.clock = engine, max_failures, window_seconds, clock
        # An address may try a few user names, but not sweep many.
        self.max_per_address = max_failures * 4

    def retry_after(self, username: str, address: str) -> float:
        """Seconds until a login for (username, address) may be tried again; 0 when allowed now."""
        since = self.clock() - self.window
        waits = []
        for column, value, limit in ((login_failures.c.username, username.strip().lower(), self.max),
                                     (login_failures.c.address, address, self.max_per_address)):
            query = (sa.select(login_failures.c.at).where(column == value, login_failures.c.at > since)
                     .order_by(login_failures.c.at.desc()).limit(limit))
            with self.engine.connect() as conn:
                times = [row.at for row in conn.execute(query)]
            if len(times) >= limit:
                waits.append(times[-1] + self.window - self.clock())
        return max([0.0, *waits])

    def failed(self, username: str, address: str) -> None:
        now = self.clock()
        with self.engine.begin() as conn:
            conn.execute(login_failures.delete().where(login_failures.c.at < now - self.window))
            conn.execute(login_failures.insert().values(username=username.strip().lower()[:64],
                                                        address=address[:64], at=now))

    def succeeded(self, username: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(login_failures.delete().where(login_failures.c.username == username.strip().lower()))
