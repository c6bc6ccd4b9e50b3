"""The staff tables on a real PostgreSQL server (tests/pg.py): migration, racing claims, throttle,
the no-confident-match report."""

from __future__ import annotations

import pytest

from accounts.searchlog import searched
from accounts.staff import Staff

from .conftest import PASSWORD
from .test_queue_logs import _race

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_staff(postgres_url):
    opened = Staff(postgres_url, login_max_failures=3)
    yield opened
    opened.close()


def test_accounts_sessions_and_throttle_on_postgres(pg_staff):
    user = pg_staff.users.create("wang", PASSWORD, ["operator"])
    session = pg_staff.sessions.start(user)
    assert pg_staff.sessions.get(session.token).user.username == "wang"
    for _ in range(3):
        pg_staff.throttle.failed("wang", "10.0.0.1")
    assert pg_staff.throttle.retry_after("wang", "10.0.0.1") > 0


def test_racing_claims_on_postgres(pg_staff):
    for attempt in range(3):
        handover, _ = pg_staff.handovers.open(f"conv-{attempt}", "socketio", "转人工")
        outcomes = _race(pg_staff, handover.id, ["op1", "op2", "op3", "op4"])
        assert sum(o.startswith("won:") for o in outcomes) == 1
        assert outcomes.count("already_claimed") == 3


def test_unmatched_report_on_postgres(pg_staff):
    at = "2099-01-01T00:00:00+00:00"
    pg_staff.search_log.record_many([searched("狗丢了", {"confident": False, "results": []}, "bot", at)] * 2
                                    + [searched("居住证", {"confident": True, "results": [{"id": "a", "score": 0.9}]},
                                                "bot", at)])
    assert [(r["query"], r["count"]) for r in pg_staff.search_log.unmatched()] == [("狗丢了", 2)]
    pg_staff.audit.record("wang", "catalog_edit", "gov-a", {"fields": ["fee"]})
    assert pg_staff.audit.recent()[0]["detail"] == {"fields": ["fee"]}
