"""Errors of the use cases: refused logins and refused signatures, with the reason in plain words."""

from __future__ import annotations

from ..domain.errors import ChecklistError


class LoginError(ChecklistError):
    """Wrong user name or password, a locked or disabled account."""


class PermissionRefused(ChecklistError):
    """The user's roles do not allow this action."""


class SigningRefused(ChecklistError):
    """The record may not be signed now (incomplete, blockers, wrong role, same person)."""


class TamperedRecord(ChecklistError):
    """A signed record's PDF, signers or status contradict each other: it is not handed out as valid."""


class SiteError(ChecklistError):
    """The site signing authority is missing, already exists, or its secret cannot be read."""


# The store's errors the UI must tell apart, re-exported so widgets depend on the services only.
from ..store.errors import (  # noqa: E402
    AlreadyExistsError,
    ConflictError,
    ImmutableRecordError,
    NotFoundError,
    RecordStateError,
    StoreError,
    StoreUnavailableError,
)

__all__ = [
    "AlreadyExistsError",
    "ConflictError",
    "ImmutableRecordError",
    "LoginError",
    "NotFoundError",
    "PermissionRefused",
    "RecordStateError",
    "SigningRefused",
    "SiteError",
    "StoreError",
    "StoreUnavailableError",
    "TamperedRecord",
]
