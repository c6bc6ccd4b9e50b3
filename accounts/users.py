"""Staff accounts: operators, maintainers and reviewers. Created with `lifebot users`, never by default."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

from accounts import passwords
from accounts.db import now_iso
from accounts.errors import AccountError
from accounts.schema import sessions, users

ROLES = {"operator": "话务员", "maintainer": "目录维护员", "reviewer": "审核员"}
USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,31}$")


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    roles: tuple[str, ...]
    active: bool

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    def to_dict(self) -> dict:
        return {"username": self.username, "display_name": self.display_name, "roles": list(self.roles)}


def _user(row) -> User:
    return User(row.id, row.username, row.display_name, tuple(r for r in row.roles.split(",") if r),
                bool(row.active))


def check_roles(roles: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise AccountError("bad_role", f"角色只能是 {'、'.join(ROLES)} 中的一个或几个")
    return tuple(dict.fromkeys(roles))


class Users:
    def __init__(self, engine: sa.engine.Engine):
        self.engine = engine

    def create(self, username: str, password: str, roles: list[str], display_name: str = "") -> User:
        username = username.strip().lower()
        if not USERNAME.match(username):
            raise AccountError("bad_username", "用户名为 2-32 位小写字母、数字、点、下划线或减号")
        roles = check_roles(roles)
        passwords.check_strength(password, username)
        values = dict(username=username, display_name=display_name.strip() or username, roles=",".join(roles),
                      password_hash=passwords.hash_password(password), active=True, created_at=now_iso())
        with self.engine.begin() as conn:
            if conn.execute(sa.select(users.c.id).where(users.c.username == username)).first():
                raise AccountError("user_exists", f"用户 {username} 已存在")
            conn.execute(users.insert().values(**values))
        return self.require(username)

    def get(self, username: str) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(users).where(users.c.username == username.strip().lower())).first()
        return _user(row) if row else None

    def by_id(self, user_id: int) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(users).where(users.c.id == user_id)).first()
        return _user(row) if row else None

    def require(self, username: str) -> User:
        user = self.get(username)
        if user is None:
            raise AccountError("no_such_user", f"没有用户 {username}")
        return user

    def all(self) -> list[User]:
        with self.engine.connect() as conn:
            return [_user(r) for r in conn.execute(sa.select(users).order_by(users.c.username))]

    def authenticate(self, username: str, password: str) -> User | None:
        """The active user with this name and password, or None (same work either way)."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(users).where(users.c.username == username.strip().lower())).first()
        if row is None:
            passwords.verify(passwords.dummy_hash(), password)
            return None
        if not passwords.verify(row.password_hash, password) or not row.active:
            return None
        if passwords.needs_rehash(row.password_hash):
            self._update(row.username, password_hash=passwords.hash_password(password))
        return _user(row)

    def set_password(self, username: str, password: str) -> None:
        """A new password ends every session of the user."""
        passwords.check_strength(password, username)
        self._update(username, password_hash=passwords.hash_password(password))
        self._end_sessions(username)

    def set_roles(self, username: str, roles: list[str]) -> User:
        self._update(username, roles=",".join(check_roles(roles)))
        return self.require(username)

    def set_active(self, username: str, active: bool) -> None:
        self._update(username, active=active)
        if not active:
            self._end_sessions(username)

    def _end_sessions(self, username: str) -> None:
        user = self.require(username)
        with self.engine.begin() as conn:
            conn.execute(sessions.delete().where(sessions.c.user_id == user.id))

    def _update(self, username: str, **values) -> None:
        with self.engine.begin() as conn:
            updated = conn.execute(users.update().where(users.c.username == username.strip().lower())
                                   .values(**values)).rowcount
        if not updated:
            raise AccountError("no_such_user", f"没有用户 {username}")
