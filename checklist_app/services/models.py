"""Values the services hand to the UI and the CLI: users, cases, and what a screen shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from ..domain.forms import FormDefinition
from ..domain.lifecycle import Meaning as Meaning  # re-exported: the UI, CLI and tests import them from here
from ..domain.lifecycle import Role as Role
from ..domain.lifecycle import Status
from ..domain.readiness import Readiness
from ..domain.records import Record


class User(BaseModel):
    model_config = ConfigDict(frozen=True)

    username: str
    full_name: str
    roles: frozenset[Role]
    must_change_password: bool = False  # an administrator chose it: no signing until the user picks their own
    # Set on the login right after someone else reset this password: "reset by ADMIN at TIME" (shown once).
    reset_notice: str | None = None

    def has(self, role: Role) -> bool:
        return role in self.roles

    @property
    def roles_text(self) -> str:
        return ", ".join(r.label for r in sorted(self.roles))


class CaseState(BaseModel):
    """One open case: the record as saved, its readiness now, and the version to write against."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    record_id: str
    version: int
    status: str
    record: Record
    readiness: Readiness
    form: FormDefinition
    nurse: str
    saved_at: datetime | None = None
    signed_at: datetime | None = None
    printed_at: datetime | None = None
    content_sha256: str | None = None
    supersedes_id: str | None = None
    # Set when the form is a site form that differs from the shipped one: shown on the checklist and the PDF.
    form_note: str | None = None

    @property
    def editable(self) -> bool:
        return self.status == Status.DRAFT


class CaseFilter(BaseModel):
    """What the records view and `records list` filter by; None means any."""

    model_config = ConfigDict(frozen=True)

    status: str | None = None
    readiness: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    nurse: str | None = None
    text: str | None = None
    printed: bool | None = None
    procedure_type: str | None = None
    reason: tuple[str, str] | None = None  # (item, drug or ""): cases NOT READY for it at some save (issue 16)
    latest_only: bool = False  # leave out versions replaced by an amendment


# Not frozen: a frozen dataclass sets each field through object.__setattr__ (3.4 µs a row against 0.6), a
# fifth of a records page's time (bench review). Rows are still treated as values: changed only by replace().
@dataclass(eq=True, unsafe_hash=True, slots=True)
class CaseSummary:
    """One row of the worklist, the print queue and the records view.

    A plain dataclass, not a pydantic model: pages of hundreds come straight from the store's typed rows,
    and re-validating each would cost more than the query (bench review)."""

    record_id: str
    status: str
    readiness_state: str
    patient_name: str
    mrn: str
    birth_date: date
    procedure_type: str
    level: str
    laterality: str | None
    scheduled_at: datetime
    nurse: str
    signed_at: datetime | None
    printed_at: datetime | None  # sent to the printer at
    supersedes_id: str | None
    printed_by: str | None = None
    print_outcome: str | None = None  # "printed" / "not_printed" once told; None: sent, outcome unknown
    signed_by: str | None = None  # who signed it (full name), not who created the case

    @property
    def is_amendment(self) -> bool:
        return bool(self.supersedes_id)


@dataclass(frozen=True, slots=True)
class CasePage:
    rows: tuple[CaseSummary, ...]
    next_cursor: str | None
