"""Password hashing (argon2id) and the password rules users are held to (NIST SP 800-63B-4 §3.1.1.2)."""

from __future__ import annotations

import os

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..domain.errors import ChecklistError

# NIST SP 800-63B-4: at least 15 characters for a password that is the only factor (as here), at least 8 when
# it is one of two; a site with a second factor may lower it with CHECKLIST_MIN_PASSWORD_LENGTH (8 to 64).
# No composition rules (no "a digit and a capital"), at least 64 characters allowed, and a blocklist.
MIN_LENGTH = 15
MIN_LENGTH_FLOOR = 8
MAX_LENGTH = 256
MIN_LENGTH_SETTING = "CHECKLIST_MIN_PASSWORD_LENGTH"
# zxcvbn judges at most this many characters (it refuses longer input); the rest only adds length.
_BLOCKLIST_PREFIX = 72
_MIN_SCORE = 3  # zxcvbn: "safely unguessable" needs >= 10^8 guesses; below that it is a common or near-common one
# argon2id (production parameters) of a string no one types: unknown user names are checked against it so that
# they take as long as a known name. Shipped, not built per process (issue 10, finding 9).
DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$hjr30OkoXiQk7FftF8feZA$qWuAwCDQbMVRqg8TFNMgmuDOwaHCk6xep9Zvyp7Dvh4"
# Lockout policy: HIPAA §164.312 asks for unique users and access control; numbers are site policy.
MAX_FAILED_ATTEMPTS = 5
LOCKOUT_MINUTES = 15


def production_hasher() -> PasswordHasher:
    """argon2id with the library's current recommended parameters (RFC 9106, low-memory profile)."""
    return PasswordHasher()


_production = production_hasher()


class PasswordRuleError(ChecklistError):
    """A new password breaks the rules; the message says which."""


def min_length() -> int:
    """The site's minimum (CHECKLIST_MIN_PASSWORD_LENGTH), MIN_LENGTH unless set; never below 8."""
    text = os.environ.get(MIN_LENGTH_SETTING, "").strip()
    if not text:
        return MIN_LENGTH
    try:
        value = int(text)
    except ValueError:
        raise PasswordRuleError(f"{MIN_LENGTH_SETTING} must be a whole number of characters.") from None
    if not MIN_LENGTH_FLOOR <= value <= 64:
        raise PasswordRuleError(f"{MIN_LENGTH_SETTING} must be between {MIN_LENGTH_FLOOR} and 64.")
    return value


def check_rules(password: str, username: str = "", *, full_name: str = "") -> None:
    """Length, the user's own names, and a blocklist of common and breached-style passwords (offline)."""
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        raise PasswordRuleError("The password is not readable text (UTF-8); retype it.") from None
    needed = min_length()
    if len(password) < needed:
        raise PasswordRuleError(f"The password needs at least {needed} characters; a few words make a good one.")
    if len(password) > MAX_LENGTH:
        raise PasswordRuleError(f"The password may have at most {MAX_LENGTH} characters.")
    if username and username.casefold() in password.casefold():
        raise PasswordRuleError("The password must not contain the user name.")
    if is_blocklisted(password, [username, *full_name.split(), "checklist", "fluoro", "spine"]):
        raise PasswordRuleError(
            "That password is common or close to a well-known one (a breach list, a keyboard "
            "pattern, a repeated word); choose another, e.g. a few unrelated words."
        )


def is_blocklisted(password: str, context: list[str] | None = None) -> bool:
    """True when zxcvbn's offline lists (30 000 common passwords, names, words, keyboard walks, repeats) make the
    password guessable in under 10^8 tries, also counting words from `context` (the user's own names)."""
    from zxcvbn import zxcvbn  # ~0.1 s to load its lists: only when a password is being set
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    words = [w for w in (context or []) if w]
    if int(zxcvbn(password[:_BLOCKLIST_PREFIX], user_inputs=words)["score"]) < _MIN_SCORE:
        return True
    # A listed password with digits and symbols around it ("Password123456789!") or said twice ("iloveyou"
    # twice) still counts as the listed one: breach lists are tried with exactly those decorations.
    core = "".join(c for c in password.casefold() if c.isalpha())
    for size in range(1, len(core) // 2 + 1):
        if len(core) % size == 0 and core[:size] * (len(core) // size) == core:
            core = core[:size]
            break
    return bool(core) and core in FREQUENCY_LISTS["passwords"]


# `hasher`: the services pass their own (tests give them a cheap one); the default is the production one.
def hash_password(password: str, hasher: PasswordHasher = _production) -> str:
    return hasher.hash(password)


def verify_password(stored_hash: str, password: str, hasher: PasswordHasher = _production) -> bool:
    try:
        return hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError, UnicodeEncodeError):
        return False


def needs_rehash(stored_hash: str, hasher: PasswordHasher = _production) -> bool:
    return hasher.check_needs_rehash(stored_hash)
