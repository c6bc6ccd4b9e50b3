"""Password hashing with argon2id (argon2-cffi); the rules a new password must meet."""

from __future__ import annotations

import functools

from accounts.errors import AccountError

MIN_LENGTH = 10


@functools.lru_cache(maxsize=1)
def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id, RFC 9106 low-memory profile


def check_strength(password: str, username: str = "") -> None:
    """Raise AccountError (Chinese message) for a password too weak to accept."""
    if len(password) < MIN_LENGTH:
        raise AccountError("weak_password", f"密码至少 {MIN_LENGTH} 位")
    if username and username.lower() in password.lower():
        raise AccountError("weak_password", "密码不能包含用户名")
    if len(set(password)) < 4:
        raise AccountError("weak_password", "密码过于简单")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


@functools.lru_cache(maxsize=1)
def dummy_hash() -> str:
    """Verified against when the user name is unknown, so both cases take the same time."""
    return hash_password("no such user: timing equaliser")
