"""Accounts: login with lockout, re-authentication at signing, creating users and resetting passwords."""

from __future__ import annotations

import re
from datetime import timedelta

from argon2 import PasswordHasher

from ..store import AlreadyExistsError, Store
from ..store.audit import Actions
from ..store.users import UserRow
from . import passwords
from .errors import LoginError, PermissionRefused
from .models import Role, User
from .site import new_identity

# One answer for a wrong password, an unknown name and a locked account alike: a different text for a locked
# account would tell anyone which names exist (issue 10, finding 9).
WRONG = (
    f"Wrong user name or password, or the account is locked after {passwords.MAX_FAILED_ATTEMPTS} failed "
    f"attempts; it opens again {passwords.LOCKOUT_MINUTES} minutes later, or sooner by an administrator."
)
NOT_TEXT = "The password is not readable text (UTF-8); retype it."


SIGNERS = frozenset({Role.NURSE, Role.CHARGE_NURSE})
_USERNAME = re.compile(r"[A-Za-z0-9._-]{1,100}")


def _user(row: UserRow, *, notice: bool = False) -> User:
    reset_notice = None
    if notice and row.reset_notice_pending and row.password_reset_at is not None:
        when = row.password_reset_at.astimezone().strftime("%Y-%m-%d %H:%M")
        reset_notice = (
            f"Your password was reset by {row.password_reset_by or 'an administrator'} on {when}. "
            "If you did not ask for this, tell the charge nurse now."
        )
    return User(
        username=row.username,
        full_name=row.full_name,
        roles=frozenset(Role(r) for r in row.roles if r in Role._value2member_map_),
        must_change_password=row.must_change_password,
        reset_notice=reset_notice,
    )


def _is_text(password: str) -> bool:
    """False for a password read from bytes that are not UTF-8 (surrogate escapes cannot be hashed)."""
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class AuthService:
    def __init__(self, store: Store, *, hasher: PasswordHasher | None = None) -> None:
        """`hasher`: argon2id with the production parameters unless given (tests pass a cheap one)."""
        self._store = store
        self._hasher = hasher or passwords.production_hasher()
        self._dummy: str | None = None

    @property
    def hasher(self) -> PasswordHasher:
        return self._hasher

    def _hash(self, password: str) -> str:
        return passwords.hash_password(password, self._hasher)

    def _verify(self, stored_hash: str, password: str) -> bool:
        return passwords.verify_password(stored_hash, password, self._hasher)

    def _dummy_hash(self) -> str:
        """A hash no password matches; checking against it makes an unknown name as slow as a known one. The
        production one is shipped (passwords.DUMMY_HASH): built per process, it made the first unknown name of
        every CLI run ~120 ms slower than a known one."""
        if self._dummy is None:
            shipped = passwords.DUMMY_HASH
            self._dummy = shipped if not passwords.needs_rehash(shipped, self._hasher) else self._hash("no account")
        return self._dummy

    def has_users(self) -> bool:
        return bool(self._store.users.list_users())

    def get(self, username: str) -> User:
        return _user(self._store.users.get(username))

    def _check(self, username: str, password: str) -> UserRow:
        text = _is_text(password)
        row = self._store.users.find(username)
        if row is None:
            self._verify(self._dummy_hash(), password if text else "")  # same time as a real check
            self._store.users.record_failed_login(
                username,
                max_attempts=passwords.MAX_FAILED_ATTEMPTS,
                lock_for=timedelta(minutes=passwords.LOCKOUT_MINUTES),
            )
            raise LoginError(WRONG if text else NOT_TEXT)
        if not row.active:
            self._store.audit.append(row.username, Actions.LOGIN_FAILED, detail={"reason": "disabled"})
            raise LoginError("This account is disabled. Ask an administrator.")
        counted, claimed = self._store.users.claim_login_attempt(
            row.username,
            max_attempts=passwords.MAX_FAILED_ATTEMPTS,
            lock_for=timedelta(minutes=passwords.LOCKOUT_MINUTES),
        )
        if not counted:
            self._store.audit.append(row.username, Actions.LOGIN_FAILED, detail={"reason": "locked"})
            raise LoginError(WRONG)
        if not text or not self._verify(row.password_hash, password):
            # A password that is not text is a failed attempt like any other: counted, audited, same timing.
            if not text:
                self._verify(row.password_hash, "")
            self._store.audit.append(
                row.username,
                Actions.LOGIN_FAILED,
                detail={
                    "reason": "wrong password" if text else "password not UTF-8",
                    "failed_attempts": claimed.failed_attempts,
                    "locked_until": claimed.locked_until,
                },
            )
            raise LoginError(WRONG if text else NOT_TEXT)
        if passwords.needs_rehash(row.password_hash, self._hasher):
            self._store.users.set_password_hash(row.username, self._hash(password), actor=row.username)
        return self._store.users.record_successful_login(row.username)

    def login(self, username: str, password: str) -> User:
        """A good login. After someone else reset the password the User carries `reset_notice` at every login until
        the owner settles it (keeps her key with her previous password, or gets a new one with a second person):
        whoever reset it may log in first and must not be able to swallow the notice."""
        return _user(self._check(username, password), notice=True)

    def check_password(self, user: User, password: str) -> None:
        """Re-authentication before a signature; a wrong password counts toward the lockout."""
        self._check(user.username, password)

    def create_user(
        self,
        username: str,
        full_name: str,
        roles: set[Role] | frozenset[Role],
        password: str,
        actor: str,
        *,
        temporary: bool = False,
    ) -> User:
        """`temporary`: an administrator chose the password for someone else. The account then gets no signing
        key until its owner sets their own password (an admin may not sign as someone else)."""
        if not _USERNAME.fullmatch(username.strip()):
            # Printed in every signature and audit line: no spaces, line breaks or look-alike characters.
            raise PermissionRefused("A user name has 1 to 100 letters, digits, dots, dashes or underscores.")
        if not roles:
            raise PermissionRefused("Give the user at least one role.")
        if not full_name.strip():
            raise PermissionRefused("Give the user's full name; it is printed with every signature.")
        passwords.check_rules(password, username, full_name=full_name)
        identity: tuple[bytes, str] | None = None
        if roles & SIGNERS and not temporary:
            if self._store.users.find(username) is not None:  # say so before the slow key generation
                raise AlreadyExistsError(f"A user named {username.strip()!r} already exists.")
            # The key is made before the account is saved, and saved with it: when no key can be issued on this
            # computer (site secret missing) no keyless account is left behind to block a retry.
            identity = new_identity(self._store, username.strip(), full_name.strip(), password, actor)
        row = self._store.users.add(
            username,
            full_name.strip(),
            sorted(r.value for r in roles),
            self._hash(password),
            actor=actor,
            identity_p12=identity[0] if identity else None,
            cert_pem=identity[1] if identity else None,
            temporary=temporary,
        )
        return _user(row)

    def reset_password(self, admin: User, username: str, new_password: str) -> None:
        """An administrator sets a temporary password. The user's signing key is kept as it was, still locked by
        the user's own previous password: the admin knows the temporary one, so it must never lead to a key."""
        if not admin.has(Role.ADMIN):
            raise PermissionRefused("Only an administrator can reset passwords.")
        row = self._store.users.get(username)
        passwords.check_rules(new_password, row.username, full_name=row.full_name)
        self._store.users.reset_password(row.username, self._hash(new_password), actor=admin.username)

    def change_password(
        self, user: User, old_password: str, new_password: str, *, previous_password: str | None = None
    ) -> User:
        """The user's own change: the signing key is re-wrapped under the new password.

        After a reset by someone else the key is still locked by the password from before the reset: with that
        `previous_password` the same key is kept (re-wrapped); without it the key is removed, and a new one
        comes only through `reissue_key` with a second person (whoever reset the password may know the new
        one too: they may have chosen it). An account that never had a key nor a reset gets its first key here.
        """
        from ..export.pki import rewrap_identity

        row = self._check(user.username, old_password)
        passwords.check_rules(new_password, row.username, full_name=row.full_name)
        if new_password == old_password:
            raise passwords.PasswordRuleError("Choose a password different from the current one.")
        signer = bool(SIGNERS & _user(row).roles)
        after_reset = row.password_reset_at is not None
        p12 = None
        if row.identity_p12 is not None and row.cert_pem is not None:
            unlock = previous_password if row.must_change_password else old_password
            if unlock is not None:
                # Re-wrapped first: if the key does not open, the password stays as it was rather than half changed.
                p12 = rewrap_identity(row.identity_p12, unlock, new_password)
        identity = None
        if signer and p12 is None and not after_reset and (row.identity_p12 is None or row.must_change_password):
            identity = new_identity(self._store, row.username, row.full_name, new_password, row.username)
        self._store.users.set_password_hash(row.username, self._hash(new_password), actor=row.username)
        if p12 is not None and row.cert_pem is not None:
            self._store.users.set_identity(row.username, p12, row.cert_pem, actor=row.username)
            if row.reset_notice_pending and row.must_change_password:
                self._store.users.take_reset_notice(row.username)  # she proved it is her: her own old password
        elif identity is not None:
            self._store.users.set_identity(row.username, identity[0], identity[1], actor=row.username)
        elif row.identity_p12 is not None and row.must_change_password:
            self._store.users.clear_identity(
                row.username, actor=row.username, reason="password reset; previous password not given"
            )
        return self.get(row.username)

    def reissue_key(self, approver: User, approver_password: str, username: str, new_password: str) -> User:
        """A new signing key after a reset, with a second person present: a charge nurse or an administrator
        who is neither the user nor whoever reset the password re-authenticates, and the user types a new
        password (which becomes the login password too). The certificate says so, for every verifier."""
        row = self._store.users.get(username)
        if approver.username.casefold() == row.username.casefold():
            raise PermissionRefused("The second person must be someone other than the key's owner.")
        if not (approver.has(Role.CHARGE_NURSE) or approver.has(Role.ADMIN)):
            raise PermissionRefused("A new signing key needs a charge nurse or an administrator as second person.")
        if row.password_reset_by is not None and approver.username.casefold() == row.password_reset_by.casefold():
            raise PermissionRefused("The second person must be someone other than the one who reset the password.")
        if not SIGNERS & _user(row).roles:
            raise PermissionRefused(f"{row.username} has no signing role, so no signing key.")
        self._check(approver.username, approver_password)
        passwords.check_rules(new_password, row.username, full_name=row.full_name)
        when = self._store.db.now().strftime("%Y-%m-%d")
        reset = f"after a password reset by {row.password_reset_by} " if row.password_reset_by else ""
        note = f"key issued {reset}on {when}, second person {approver.username}"
        identity = new_identity(
            self._store, row.username, row.full_name, new_password, approver.username, key_note=note
        )
        self._store.users.set_password_hash(row.username, self._hash(new_password), actor=approver.username)
        self._store.users.set_identity(row.username, identity[0], identity[1], actor=approver.username)
        if row.reset_notice_pending:
            self._store.users.take_reset_notice(row.username)  # settled in person, with the second person
        self._store.audit.append(
            approver.username,
            Actions.USER_CHANGED,
            detail={"username": row.username, "changed": "key reissued", "note": note},
        )
        return self.get(row.username)

    def logout(self, user: User) -> None:
        self._store.audit.append(user.username, Actions.LOGOUT)

    def locked(self, user: User) -> None:
        self._store.audit.append(user.username, Actions.SESSION_LOCKED)

    def identity(self, user: User) -> tuple[bytes, str] | None:
        row = self._store.users.get(user.username)
        if row.identity_p12 is None or row.cert_pem is None:
            return None
        return row.identity_p12, row.cert_pem
