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

WRONG = "Wrong user name or password."


SIGNERS = frozenset({Role.NURSE, Role.CHARGE_NURSE})
_USERNAME = re.compile(r"[A-Za-z0-9._-]{1,100}")


def _user(row: UserRow) -> User:
    return User(username=row.username, full_name=row.full_name,
                roles=frozenset(Role(r) for r in row.roles if r in Role._value2member_map_),
                must_change_password=row.must_change_password)


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
        """A hash no password matches; checking against it makes an unknown name as slow as a known one."""
        if self._dummy is None:
            self._dummy = self._hash("not a real account")
        return self._dummy

    def has_users(self) -> bool:
        return bool(self._store.users.list_users())

    def get(self, username: str) -> User:
        return _user(self._store.users.get(username))

    def _locked_text(self, row: UserRow) -> str | None:
        now = self._store.db.now()
        if row.locked_until is not None and row.locked_until > now:
            until = row.locked_until.astimezone().strftime("%H:%M")
            return (f"Account locked until {until} after {passwords.MAX_FAILED_ATTEMPTS} failed attempts. "
                    "Ask an administrator if you need it sooner.")
        return None

    def _check(self, username: str, password: str) -> UserRow:
        row = self._store.users.find(username)
        if row is None:
            self._verify(self._dummy_hash(), password)  # same time as a real check: names stay private
            self._store.users.record_failed_login(username, max_attempts=passwords.MAX_FAILED_ATTEMPTS,
                                                  lock_for=timedelta(minutes=passwords.LOCKOUT_MINUTES))
            raise LoginError(WRONG)
        if not row.active:
            self._store.audit.append(row.username, Actions.LOGIN_FAILED, detail={"reason": "disabled"})
            raise LoginError("This account is disabled. Ask an administrator.")
        counted, claimed = self._store.users.claim_login_attempt(
            row.username, max_attempts=passwords.MAX_FAILED_ATTEMPTS,
            lock_for=timedelta(minutes=passwords.LOCKOUT_MINUTES))
        if not counted:
            self._store.audit.append(row.username, Actions.LOGIN_FAILED, detail={"reason": "locked"})
            raise LoginError(self._locked_text(claimed) or WRONG)
        if not self._verify(row.password_hash, password):
            self._store.audit.append(row.username, Actions.LOGIN_FAILED, detail={
                "reason": "wrong password", "failed_attempts": claimed.failed_attempts,
                "locked_until": claimed.locked_until})
            raise LoginError(self._locked_text(claimed) or WRONG)
        if passwords.needs_rehash(row.password_hash, self._hasher):
            self._store.users.set_password_hash(row.username, self._hash(password), actor=row.username)
        return self._store.users.record_successful_login(row.username)

    def login(self, username: str, password: str) -> User:
        return _user(self._check(username, password))

    def check_password(self, user: User, password: str) -> None:
        """Re-authentication before a signature; a wrong password counts toward the lockout."""
        self._check(user.username, password)

    def create_user(self, username: str, full_name: str, roles: set[Role] | frozenset[Role], password: str,
                    actor: str, *, temporary: bool = False) -> User:
        """`temporary`: an administrator chose the password for someone else. The account then gets no signing
        key until its owner sets their own password (an admin may not sign as someone else)."""
        if not _USERNAME.fullmatch(username.strip()):
            # Printed in every signature and audit line: no spaces, line breaks or look-alike characters.
            raise PermissionRefused("A user name has 1 to 100 letters, digits, dots, dashes or underscores.")
        if not roles:
            raise PermissionRefused("Give the user at least one role.")
        if not full_name.strip():
            raise PermissionRefused("Give the user's full name; it is printed with every signature.")
        passwords.check_rules(password, username)
        identity: tuple[bytes, str] | None = None
        if roles & SIGNERS and not temporary:
            if self._store.users.find(username) is not None:  # say so before the slow key generation
                raise AlreadyExistsError(f"A user named {username.strip()!r} already exists.")
            # The key is made before the account is saved, and saved with it: when no key can be issued on this
            # computer (site secret missing) no keyless account is left behind to block a retry.
            identity = new_identity(self._store, username.strip(), full_name.strip(), password, actor)
        row = self._store.users.add(username, full_name.strip(), sorted(r.value for r in roles),
                                    self._hash(password), actor=actor,
                                    identity_p12=identity[0] if identity else None,
                                    cert_pem=identity[1] if identity else None, temporary=temporary)
        return _user(row)

    def reset_password(self, admin: User, username: str, new_password: str) -> None:
        """An administrator sets a temporary password. It opens no signing key: the user gets a new key when
        they choose their own password at the next login (the admin knows this one)."""
        if not admin.has(Role.ADMIN):
            raise PermissionRefused("Only an administrator can reset passwords.")
        row = self._store.users.get(username)
        passwords.check_rules(new_password, row.username)
        self._store.users.set_password_hash(row.username, self._hash(new_password), actor=admin.username,
                                            temporary=True)

    def change_password(self, user: User, old_password: str, new_password: str) -> User:
        """The user's own change: the signing key is re-wrapped; after a temporary password (or with no key
        yet) a NEW key is issued, locked by a password only the user knows."""
        from ..export.pki import rewrap_identity

        row = self._check(user.username, old_password)
        passwords.check_rules(new_password, row.username)
        if new_password == old_password:
            raise passwords.PasswordRuleError("Choose a password different from the current one.")
        if row.must_change_password or (row.identity_p12 is None and SIGNERS & _user(row).roles):
            identity = None
            if SIGNERS & _user(row).roles:
                identity = new_identity(self._store, row.username, row.full_name, new_password, row.username)
            self._store.users.set_password_hash(row.username, self._hash(new_password),
                                                actor=row.username)
            if identity is not None:
                self._store.users.set_identity(row.username, identity[0], identity[1], actor=row.username)
            return self.get(row.username)
        p12 = None
        if row.identity_p12 is not None and row.cert_pem is not None:
            # Re-wrapped first: if the key does not open, the password stays as it was rather than half changed.
            p12 = rewrap_identity(row.identity_p12, old_password, new_password)
        self._store.users.set_password_hash(row.username, self._hash(new_password), actor=row.username)
        if p12 is not None and row.cert_pem is not None:
            self._store.users.set_identity(row.username, p12, row.cert_pem, actor=row.username)
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
