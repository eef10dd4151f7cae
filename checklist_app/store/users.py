"""User accounts and the site signing authority: storage only (hashing and lockout policy live in services)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeAlias

from sqlalchemy import Connection, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from .audit import Actions, AuditLog
from .connection import Database
from .errors import AlreadyExistsError, NotFoundError
from .tables import site_authority, users

# Rows of any width (SQLAlchemy 2.1 types Row by its column tuple).
AnyRow: TypeAlias = "Row[*tuple[Any, ...]]"


@dataclass(frozen=True, slots=True)
class UserRow:
    username: str
    full_name: str
    roles: tuple[str, ...]
    password_hash: str
    failed_attempts: int
    locked_until: datetime | None
    active: bool
    must_change_password: bool
    identity_p12: bytes | None
    cert_pem: str | None
    created_at: datetime
    updated_at: datetime
    password_reset_at: datetime | None = None  # the last reset by someone else (migration 0009)
    password_reset_by: str | None = None
    reset_notice_pending: bool = False  # the user has not yet been told of that reset

    def __repr__(self) -> str:
        # Keep hashes and key material out of logs and tracebacks.
        return f"UserRow(username={self.username!r}, roles={self.roles!r}, active={self.active!r})"


@dataclass(frozen=True, slots=True)
class SiteAuthorityRow:
    name: str
    cert_pem: str
    key_pem: bytes  # encrypted by the caller; the store never sees the passphrase
    created_at: datetime
    created_by: str

    def __repr__(self) -> str:
        return f"SiteAuthorityRow(name={self.name!r}, created_by={self.created_by!r})"


def user_key(username: str) -> str:
    return username.strip().casefold()


def _user(row: AnyRow) -> UserRow:
    return UserRow(
        username=row.username,
        full_name=row.full_name,
        roles=tuple(json.loads(row.roles)),
        password_hash=row.password_hash,
        failed_attempts=row.failed_attempts,
        locked_until=row.locked_until,
        active=bool(row.active),
        must_change_password=bool(row.must_change_password),
        identity_p12=None if row.identity_p12 is None else bytes(row.identity_p12),
        cert_pem=row.cert_pem,
        created_at=row.created_at,
        updated_at=row.updated_at,
        password_reset_at=row.password_reset_at,
        password_reset_by=row.password_reset_by,
        reset_notice_pending=bool(row.reset_notice_pending),
    )


def _roles(roles: Sequence[str]) -> str:
    if isinstance(roles, str) or not roles or not all(r and r.strip() for r in roles):
        raise ValueError("give at least one role, as a list of role names")
    return json.dumps(sorted(set(roles)))


class UserRepository:
    """Accounts (looked up case-insensitively) and the single site authority row; every change is audited."""

    def __init__(self, db: Database, audit_log: AuditLog) -> None:
        self._db = db
        self._audit = audit_log

    def add(
        self,
        username: str,
        full_name: str,
        roles: Sequence[str],
        password_hash: str,
        *,
        actor: str,
        identity_p12: bytes | None = None,
        cert_pem: str | None = None,
        temporary: bool = False,
    ) -> UserRow:
        name = username.strip()
        if not name or len(name) > 100:
            raise ValueError("a user name has 1 to 100 characters")
        if not full_name.strip():
            raise ValueError("the user's full name is required")
        if not password_hash:
            raise ValueError("password_hash is required (hash it in the services layer)")
        role_text = _roles(roles)

        def tx(conn: Connection) -> UserRow:
            now = self._db.now()
            if conn.execute(select(users.c.username).where(users.c.username_key == user_key(name))).first():
                raise AlreadyExistsError(f"A user named {name!r} already exists.")
            conn.execute(
                insert(users).values(
                    username=name,
                    username_key=user_key(name),
                    full_name=full_name.strip(),
                    roles=role_text,
                    password_hash=password_hash,
                    failed_attempts=0,
                    locked_until=None,
                    active=True,
                    must_change_password=temporary,
                    identity_p12=identity_p12,
                    cert_pem=cert_pem,
                    created_at=now,
                    updated_at=now,
                )
            )
            self._audit.append_in(
                conn,
                actor,
                Actions.USER_CREATED,
                None,
                {"username": name, "full_name": full_name.strip(), "roles": json.loads(role_text)},
            )
            return self._get(conn, name)

        try:
            return self._db.write(tx)
        except IntegrityError as exc:
            # Two admins adding the same name at once: the unique key decides.
            raise AlreadyExistsError(f"A user named {name!r} already exists.") from exc

    def find(self, username: str) -> UserRow | None:
        return self._db.read(lambda conn: self._find(conn, username))

    def get(self, username: str) -> UserRow:
        return self._db.read(lambda conn: self._get(conn, username))

    def list_users(self) -> list[UserRow]:
        rows = self._db.read(lambda conn: conn.execute(select(users).order_by(users.c.username_key)).all())
        return [_user(r) for r in rows]

    def _find(self, conn: Connection, username: str) -> UserRow | None:
        row = conn.execute(select(users).where(users.c.username_key == user_key(username))).first()
        return None if row is None else _user(row)

    def _get(self, conn: Connection, username: str) -> UserRow:
        user = self._find(conn, username)
        if user is None:
            raise NotFoundError(f"There is no user named {username!r}.")
        return user

    def _change(
        self,
        username: str,
        actor: str,
        action: str,
        detail: dict[str, Any],
        values: dict[str, Any],
        old: Callable[[UserRow], dict[str, Any]] | None = None,
    ) -> UserRow:
        def tx(conn: Connection) -> UserRow:
            user = self._get(conn, username)
            conn.execute(
                update(users).where(users.c.username == user.username).values(updated_at=self._db.now(), **values)
            )
            before = {"old": old(user)} if old else {}
            self._audit.append_in(conn, actor, action, None, {"username": user.username, **detail, **before})
            return self._get(conn, username)

        return self._db.write(tx)

    def set_password_hash(self, username: str, password_hash: str, *, actor: str, temporary: bool = False) -> UserRow:
        """New password (already hashed); also clears failed attempts and any lock. `temporary`: someone else
        chose it, so the user must choose their own before signing."""
        if not password_hash:
            raise ValueError("password_hash is required")
        return self._change(
            username,
            actor,
            Actions.USER_CHANGED,
            {"changed": "password", "temporary": temporary},
            {
                "password_hash": password_hash,
                "failed_attempts": 0,
                "locked_until": None,
                "must_change_password": temporary,
            },
        )

    def reset_password(self, username: str, password_hash: str, *, actor: str) -> UserRow:
        """Someone else (`actor`) set a temporary password. The signing key is left as it was (locked by the
        user's own previous password); the reset is kept so the user is told at the next login."""
        if not password_hash:
            raise ValueError("password_hash is required")
        return self._change(
            username,
            actor,
            Actions.USER_CHANGED,
            {"changed": "password", "temporary": True, "reset": True},
            {
                "password_hash": password_hash,
                "failed_attempts": 0,
                "locked_until": None,
                "must_change_password": True,
                "password_reset_at": self._db.now(),
                "password_reset_by": actor,
                "reset_notice_pending": True,
            },
        )

    def take_reset_notice(self, username: str) -> None:
        """The user has been shown that their password was reset."""
        self._change(
            username, username, Actions.USER_CHANGED, {"changed": "reset notice seen"}, {"reset_notice_pending": False}
        )

    def clear_identity(self, username: str, *, actor: str, reason: str) -> UserRow:
        """Drop a signing key its owner can no longer open (after a reset, without the previous password)."""
        return self._change(
            username,
            actor,
            Actions.USER_CHANGED,
            {"changed": "identity removed", "reason": reason},
            {"identity_p12": None, "cert_pem": None},
        )

    def set_roles(self, username: str, roles: Sequence[str], *, actor: str) -> UserRow:
        role_text = _roles(roles)
        return self._change(
            username,
            actor,
            Actions.USER_CHANGED,
            {"changed": "roles", "roles": json.loads(role_text)},
            {"roles": role_text},
            old=lambda u: {"roles": list(u.roles)},
        )

    def set_active(self, username: str, active: bool, *, actor: str) -> UserRow:
        return self._change(
            username,
            actor,
            Actions.USER_CHANGED,
            {"changed": "active", "active": active},
            {"active": active},
            old=lambda u: {"active": u.active},
        )

    def set_identity(self, username: str, identity_p12: bytes, cert_pem: str, *, actor: str) -> UserRow:
        """The user's signing identity (PKCS#12, protected by the caller) and certificate."""
        return self._change(
            username,
            actor,
            Actions.USER_CHANGED,
            {"changed": "identity"},
            {"identity_p12": identity_p12, "cert_pem": cert_pem},
        )

    def record_failed_login(self, username: str, *, max_attempts: int, lock_for: timedelta) -> UserRow | None:
        """Count a failed login atomically (two workstations cannot lose a count) and lock the account for
        `lock_for` once `max_attempts` is reached; the policy numbers come from the caller. An unknown
        user name is audited too and returns None."""

        def tx(conn: Connection) -> UserRow | None:
            user = self._find(conn, username)
            if user is None:
                # What was typed as a user name is never stored: it is often a password typed in the wrong box.
                self._audit.append_in(conn, "unknown", Actions.LOGIN_FAILED, None, {"known_user": False})
                return None
            now = self._db.now()
            conn.execute(
                update(users)
                .where(users.c.username == user.username)
                .values(failed_attempts=users.c.failed_attempts + 1, updated_at=now)
            )
            attempts = int(
                conn.execute(select(users.c.failed_attempts).where(users.c.username == user.username)).scalar_one()
            )
            locked_until = None
            if attempts >= max_attempts:
                locked_until = now + lock_for
                conn.execute(update(users).where(users.c.username == user.username).values(locked_until=locked_until))
            self._audit.append_in(
                conn,
                user.username,
                Actions.LOGIN_FAILED,
                None,
                {
                    "username": user.username,
                    "known_user": True,
                    "failed_attempts": attempts,
                    "locked_until": locked_until,
                },
            )
            return self._get(conn, username)

        return self._db.write(tx)

    def claim_login_attempt(self, username: str, *, max_attempts: int, lock_for: timedelta) -> tuple[bool, UserRow]:
        """Count an attempt as failed BEFORE the password is checked, atomically, so parallel guesses cannot
        all pass the lock check while the slow hash runs. Returns (False, row) when the account is locked
        (nothing counted), else (True, row after counting); a good password then resets the count.
        Locks fall at every `max_attempts`-th failure, so a lock that ran out gives a fresh set of attempts."""

        def tx(conn: Connection) -> tuple[bool, UserRow]:
            user = self._get(conn, username)
            now = self._db.now()
            if user.locked_until is not None and user.locked_until > now:
                return False, user
            attempts = user.failed_attempts + 1
            values: dict[str, Any] = {"failed_attempts": attempts, "updated_at": now}
            if attempts % max_attempts == 0:
                values["locked_until"] = now + lock_for
            conn.execute(update(users).where(users.c.username == user.username).values(**values))
            return True, self._get(conn, user.username)

        return self._db.write(tx)

    def record_successful_login(self, username: str) -> UserRow:
        """Reset the failed-attempt count and lock after a good password."""
        return self._change(
            username, username, Actions.LOGIN_SUCCEEDED, {}, {"failed_attempts": 0, "locked_until": None}
        )

    # -- site authority -----------------------------------------------------------------------------------------

    def get_site_authority(self) -> SiteAuthorityRow | None:
        def tx(conn: Connection) -> SiteAuthorityRow | None:
            row = conn.execute(select(site_authority).where(site_authority.c.id == 1)).first()
            return (
                None
                if row is None
                else SiteAuthorityRow(row.name, row.cert_pem, bytes(row.key_pem), row.created_at, row.created_by)
            )

        return self._db.read(tx)

    def create_site_authority(self, name: str, cert_pem: str, key_pem: bytes, *, actor: str) -> SiteAuthorityRow:
        """Create the one site authority; AlreadyExistsError if there is one (it is never replaced here)."""
        if not name.strip() or not cert_pem or not key_pem:
            raise ValueError("name, cert_pem and key_pem are required")

        def tx(conn: Connection) -> SiteAuthorityRow:
            if conn.execute(select(site_authority.c.id)).first() is not None:
                raise AlreadyExistsError("The site signing authority already exists; it is created only once.")
            now = self._db.now()
            conn.execute(
                insert(site_authority).values(
                    id=1, name=name.strip(), cert_pem=cert_pem, key_pem=key_pem, created_at=now, created_by=actor
                )
            )
            self._audit.append_in(conn, actor, Actions.SITE_AUTHORITY_CREATED, None, {"name": name.strip()})
            return SiteAuthorityRow(name.strip(), cert_pem, key_pem, now, actor)

        try:
            return self._db.write(tx)
        except IntegrityError as exc:
            raise AlreadyExistsError("The site signing authority already exists; it is created only once.") from exc
