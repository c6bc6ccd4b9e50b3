"""``Staff``: every staff-side store over one database engine."""

from __future__ import annotations

from accounts.audit import AuditLog
from accounts.db import open_engine
from accounts.handovers import HandoverQueue
from accounts.searchlog import SearchLog
from accounts.sessions import Sessions
from accounts.throttle import LoginThrottle
from accounts.users import Users


class Staff:
    def __init__(self, url: str, session_idle_seconds: float = 1800, session_max_seconds: float = 12 * 3600,
                 login_max_failures: int = 5, login_window_seconds: float = 900):
        self.engine = open_engine(url)
        self.users = Users(self.engine)
        self.sessions = Sessions(self.engine, session_idle_seconds, session_max_seconds)
        self.throttle = LoginThrottle(self.engine, login_max_failures, login_window_seconds)
        self.audit = AuditLog(self.engine)
        self.search_log = SearchLog(self.engine)
        self.handovers = HandoverQueue(self.engine)

    @classmethod
    def from_settings(cls, settings) -> Staff:
        return cls(settings.db_url, settings.staff_session_idle_minutes * 60,
                   settings.staff_session_max_hours * 3600, settings.login_max_failures,
                   settings.login_window_minutes * 60)

    def close(self) -> None:
        self.engine.dispose()
