"""Error types of the cryptographic layer: keys, identities, PDF signatures and their verification."""

from __future__ import annotations

from checklist_app.domain.errors import ChecklistError


class SigningError(ChecklistError):
    """A key, an identity or a signature could not be made or opened."""


class WrongPasswordError(SigningError):
    """The password (or site secret) given does not open the key it was meant for."""


class VerificationError(ChecklistError):
    """A file could not be checked at all (not a PDF, truncated, unreadable signature data)."""
