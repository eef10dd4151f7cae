"""Records store: SQLAlchemy tables, repositories, Alembic migrations and the audit chain."""

from __future__ import annotations

from .audit import Actions, AuditEntry, AuditLog, AuditReport
from .errors import (
    AlreadyExistsError,
    ConflictError,
    ImmutableRecordError,
    NotFoundError,
    RecordStateError,
    StoreError,
    StoreUnavailableError,
)
from .record_rows import DraftSpec, Page, RecordFilter, RecordRow, RecordSummary, SignatureRow, StoredPdf
from .record_writes import RecordRepository
from .store import Store
from .users import SiteAuthorityRow, UserRepository, UserRow

__all__ = [
    "Actions",
    "AlreadyExistsError",
    "AuditEntry",
    "AuditLog",
    "AuditReport",
    "ConflictError",
    "DraftSpec",
    "ImmutableRecordError",
    "NotFoundError",
    "Page",
    "RecordFilter",
    "RecordRepository",
    "RecordRow",
    "RecordStateError",
    "RecordSummary",
    "SignatureRow",
    "SiteAuthorityRow",
    "Store",
    "StoreError",
    "StoreUnavailableError",
    "StoredPdf",
    "UserRepository",
    "UserRow",
]
