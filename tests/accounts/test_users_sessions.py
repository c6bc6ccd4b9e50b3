"""Accounts, password hashing, sessions that expire, login throttling."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from accounts.errors import AccountError
from accounts.schema import users as users_table
from accounts.sessions import Sessions
from accounts.throttle import LoginThrottle

from .conftest import PASSWORD


class Clock:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_password_is_stored_as_an_argon2id_hash_and_checked(staff):
    staff.users.create("wang", PASSWORD, ["operator"], "王芳")
    with staff.engine.connect() as conn:
        stored = conn.execute(sa.select(users_table.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert staff.users.authenticate("wang", PASSWORD).display_name == "王芳"
    assert staff.users.authenticate("WANG ", PASSWORD).username == "wang"
    assert staff.users.authenticate("wang", PASSWORD + "x") is None
    assert staff.users.authenticate("nobody", PASSWORD) is None


@pytest.mark.parametrize(("username", "password", "roles", "code"), [
    ("wang", "short", ["operator"], "weak_password"),
    ("wang", "wang-is-my-password", ["operator"], "weak_password"),
    ("wang", "aaaaaaaaaaaa", ["operator"], "weak_password"),
    ("Wang Fang", PASSWORD, ["operator"], "bad_username"),
    ("wang", PASSWORD, ["admin"], "bad_role"),
    ("wang", PASSWORD, [], "bad_role"),
])
def test_bad_accounts_are_refused(staff, username, password, roles, code):
    with pytest.raises(AccountError) as caught:
        staff.users.create(username, password, roles)
    assert caught.value.code == code
    assert staff.users.all() == []


def test_duplicate_user_is_refused(staff):
    staff.users.create("wang", PASSWORD, ["operator"])
    with pytest.raises(AccountError, match="已存在"):
        staff.users.create("wang", PASSWORD, ["maintainer"])


def test_sessions_expire_when_idle_and_at_their_maximum_age(staff):
    user = staff.users.create("wang", PASSWORD, ["operator"])
    clock = Clock()
    sessions = Sessions(staff.engine, idle_seconds=60, max_seconds=150, clock=clock)
    session = sessions.start(user)
    assert sessions.get(session.token).user.username == "wang"
    clock.now += 59
    assert sessions.get(session.token) is not None  # refreshes the idle timer
    clock.now += 59
    assert sessions.get(session.token) is not None
    clock.now += 33  # 151 s after login: past the maximum age though not idle
    assert sessions.get(session.token) is None
    idle = sessions.start(user)
    clock.now += 61
    assert sessions.get(idle.token) is None
    assert sessions.get("forged-token") is None
    assert sessions.get(None) is None


def test_csrf_token_is_per_session_and_compared_exactly(staff):
    user = staff.users.create("wang", PASSWORD, ["operator"])
    one, two = staff.sessions.start(user), staff.sessions.start(user)
    assert one.csrf_token != two.csrf_token
    assert one.csrf_ok(one.csrf_token)
    assert not one.csrf_ok(two.csrf_token)
    assert not one.csrf_ok("")
    assert not one.csrf_ok(None)


def test_session_token_is_stored_only_as_a_digest(staff):
    user = staff.users.create("wang", PASSWORD, ["operator"])
    session = staff.sessions.start(user)
    with staff.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT token_hash FROM accounts_sessions")).scalar_one()
    assert session.token not in stored and len(stored) == 64


def test_new_password_or_disabling_ends_sessions(staff):
    user = staff.users.create("wang", PASSWORD, ["operator"])
    session = staff.sessions.start(user)
    staff.users.set_password("wang", "Another-long-secret-9")
    assert staff.sessions.get(session.token) is None
    assert staff.users.authenticate("wang", PASSWORD) is None
    session = staff.sessions.start(user)
    staff.users.set_active("wang", False)
    assert staff.sessions.get(session.token) is None
    assert staff.users.authenticate("wang", "Another-long-secret-9") is None


def test_login_throttle_locks_a_user_name_then_lets_it_try_again(staff):
    clock = Clock()
    throttle = LoginThrottle(staff.engine, max_failures=3, window_seconds=300, clock=clock)
    for _ in range(3):
        assert throttle.retry_after("wang", "10.0.0.1") == 0
        throttle.failed("wang", "10.0.0.1")
    assert throttle.retry_after("wang", "10.0.0.2") == pytest.approx(300)  # another address: still locked
    assert throttle.retry_after("li", "10.0.0.1") == 0  # another name from the same address: allowed
    clock.now += 301
    assert throttle.retry_after("wang", "10.0.0.1") == 0


def test_login_throttle_limits_one_address_sweeping_many_names(staff):
    throttle = LoginThrottle(staff.engine, max_failures=3, window_seconds=300, clock=Clock())
    for number in range(12):
        throttle.failed(f"user{number}", "10.0.0.9")
    assert throttle.retry_after("someone-new", "10.0.0.9") > 0
    assert throttle.retry_after("someone-new", "10.0.0.8") == 0


def test_migration_0005_goes_down_and_up(staff):
    from catalog.store import migrate

    staff.users.create("wang", PASSWORD, ["operator"])
    tables = {"accounts_users", "accounts_sessions", "accounts_login_failures", "accounts_audit",
              "accounts_search_log", "accounts_handovers"}
    migrate.downgrade(staff.engine, "0004")
    assert not tables & set(sa.inspect(staff.engine).get_table_names())
    assert "catalog_entries" in sa.inspect(staff.engine).get_table_names()
    migrate.upgrade(staff.engine)
    assert tables <= set(sa.inspect(staff.engine).get_table_names())
    assert staff.users.all() == []


def test_schema_matches_migration_0005(staff):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from accounts.schema import metadata

    def ours(name, type_, parent_names) -> bool:
        return type_ != "table" or (name or "").startswith("accounts_")

    with staff.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": "catalog_alembic_version",
                                                         "include_name": ours})
        assert compare_metadata(context, metadata) == []
