"""Password hashing (argon2id) and the password rules users are held to."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..domain.errors import ChecklistError

MIN_LENGTH = 10
MAX_LENGTH = 256
# Lockout policy: HIPAA §164.312 asks for unique users and access control; numbers are site policy.
MAX_FAILED_ATTEMPTS = 5
LOCKOUT_MINUTES = 15


def production_hasher() -> PasswordHasher:
    """argon2id with the library's current recommended parameters (RFC 9106, low-memory profile)."""
    return PasswordHasher()


_production = production_hasher()


class PasswordRuleError(ChecklistError):
    """A new password breaks the rules; the message says which."""


def check_rules(password: str, username: str = "") -> None:
    if len(password) < MIN_LENGTH:
        raise PasswordRuleError(f"The password needs at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise PasswordRuleError(f"The password may have at most {MAX_LENGTH} characters.")
    if username and username.casefold() in password.casefold():
        raise PasswordRuleError("The password must not contain the user name.")
    if len(set(password)) < 4:
        raise PasswordRuleError("The password needs more different characters.")


# `hasher`: the services pass their own (tests give them a cheap one); the default is the production one.
def hash_password(password: str, hasher: PasswordHasher = _production) -> str:
    return hasher.hash(password)


def verify_password(stored_hash: str, password: str, hasher: PasswordHasher = _production) -> bool:
    try:
        return hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str, hasher: PasswordHasher = _production) -> bool:
    return hasher.check_needs_rehash(stored_hash)
