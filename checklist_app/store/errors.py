"""Store errors: each says what happened and what the nurse or IT person can do next."""

from __future__ import annotations

from datetime import datetime

from checklist_app.domain.errors import ChecklistError
from checklist_app.domain.lifecycle import Status


class StoreError(ChecklistError):
    """Base of every error raised by the records store."""


class NotFoundError(StoreError):
    """A record, user or PDF that the caller named does not exist."""


class AlreadyExistsError(StoreError):
    """A user name (or the one site authority) is already taken."""


class RecordStateError(StoreError):
    """The record is in the wrong state for the action (e.g. co-signing a draft)."""

    def __init__(self, message: str, *, record_id: str | None = None, status: str | None = None) -> None:
        self.record_id = record_id
        self.status = status
        super().__init__(message)


class ImmutableRecordError(RecordStateError):
    """Someone tried to change a record that is signed (or reviewed, or amended)."""

    def __init__(self, record_id: str | None = None, status: str | None = None, message: str | None = None) -> None:
        if message is not None:
            text = message
        elif status == Status.AMENDED:
            text = (
                "This version of the checklist was replaced by an amendment and cannot be changed. "
                "Open the latest version instead."
            )
        else:
            text = (
                f"This checklist is {status or 'signed'} and cannot be changed. "
                "Start an amendment to correct it; the signed version stays as it was."
            )
        super().__init__(text, record_id=record_id, status=status)


class ConflictError(StoreError):
    """Compare-and-set lost: another workstation changed the record after we last read it."""

    def __init__(
        self,
        record_id: str,
        *,
        expected_version: int | None = None,
        current_version: int | None = None,
        changed_by: str | None = None,
        changed_at: datetime | None = None,
        message: str | None = None,
    ) -> None:
        self.record_id = record_id
        self.expected_version = expected_version
        self.current_version = current_version
        self.changed_by = changed_by
        self.changed_at = changed_at
        if message is None:
            who = f"by {changed_by}" if changed_by else "by someone else"
            # Local wall-clock time: that is what the person at the workstation compares with.
            when = f" at {changed_at.astimezone().strftime('%H:%M')}" if changed_at else ""
            message = (
                f"This checklist was changed on another workstation ({who}{when}). Reload to see the latest answers."
            )
        super().__init__(message)


class StoreUnavailableError(StoreError):
    """The database cannot be reached or is locked; nothing from the failed call was saved
    unless `maybe_committed` is true (the link dropped while the commit was in flight)."""

    def __init__(self, message: str, *, retryable: bool = True, maybe_committed: bool = False) -> None:
        self.retryable = retryable
        self.maybe_committed = maybe_committed
        super().__init__(message)
