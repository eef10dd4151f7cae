"""The services tests' world: one database with its services and the accounts created in it so far.

Everything here is synthetic: made-up people, made-up passwords, a throwaway site authority (the session
conftest points CHECKLIST_SITE_SECRET_FILE and XDG_DATA_HOME at a temporary folder).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from checklist_app.domain.records import Patient, Procedure
from checklist_app.services.app import AppServices
from checklist_app.services.demo import READY_ANSWERS, READY_NOTES
from checklist_app.services.models import CaseState, Role, User
from checklist_app.store import AuditEntry
from checklist_app.store.tables import audit
from tests.helpers.hashing import QUICK_HASHER

ZOE = "Zoë Łukasiewicz-Ødegård"
SOFIA = "Σοφία Παπαδοπούλου"
PATIENT = "Ærin Ñúñez-Łęcka"

# key -> (username, full name, roles, password). Created on first use, once per module.
ACCOUNTS: dict[str, tuple[str, str, frozenset[Role], str]] = {
    "nurse": ("zoe", ZOE, frozenset({Role.NURSE}), "ready-set-go-2026"),
    "nurse2": ("kim", "Kim Example", frozenset({Role.NURSE}), "second-nurse-2026"),
    "charge": ("sofia", SOFIA, frozenset({Role.CHARGE_NURSE}), "review-all-2026"),
    # Holds both signing roles: may prepare, or review someone else's record, never both on one record.
    "dual": ("dana", "Dana Dualrole", frozenset({Role.NURSE, Role.CHARGE_NURSE}), "both-hats-on-2026"),
    # Locked out on purpose by the tests that need a locked account; nobody else uses it.
    "locked": ("lena", "Lena Lockedout", frozenset({Role.NURSE}), "locked-nurse-2026"),
    "coordinator": ("jordan", "Jordan Coordinator", frozenset({Role.COORDINATOR}), "print-queue-2026"),
    "admin": ("alex", "Alex Admin", frozenset({Role.ADMIN}), "site-setup-2026"),
}

# Every item a male patient without sedation or anticoagulants needs for READY.
READY = READY_ANSWERS


def local_now() -> datetime:
    return datetime.now().astimezone()


@dataclass
class World:
    """One database with its services, and the accounts created in it so far."""

    svc: AppServices
    url: str
    folder: Path
    users: dict[str, User] = field(default_factory=dict)
    _mrn: int = 0

    def user(self, key: str) -> User:
        if key not in self.users:
            username, name, roles, password = ACCOUNTS[key]
            self.users[key] = self.svc.auth.create_user(username, name, set(roles), password, actor="test-setup")
        return self.users[key]

    @staticmethod
    def password(key: str) -> str:
        return ACCOUNTS[key][3]

    def open_other(self) -> AppServices:
        """A second workstation on the same database (close it yourself)."""
        return AppServices.open(self.url, hasher=QUICK_HASHER)

    def new_case(self, key: str = "nurse", *, name: str = PATIENT, in_hours: float = 3) -> CaseState:
        self._mrn += 1
        patient = Patient(name=name, birth_date=date(1961, 4, 2), mrn=f"SYN{self._mrn:05d}", sex="male")
        procedure = Procedure(
            type="interlaminar_epidural",
            level="L4-L5",
            laterality="left",
            scheduled_at=local_now() + timedelta(hours=in_hours),
        )
        return self.svc.cases.new_case(self.user(key), patient, procedure)

    def ready_case(self, key: str = "nurse", *, name: str = PATIENT, **changes: Any) -> CaseState:
        """A case answered with READY, then with `changes` (item id with dots as __; None leaves it out)."""
        answers = dict(READY)
        for item, value in changes.items():
            item_id = item.replace("__", ".")
            if value is None:
                answers.pop(item_id, None)
            else:
                answers[item_id] = value
        case = self.new_case(key, name=name)
        for item_id, value in answers.items():
            note = READY_NOTES.get(item_id, "")
            if isinstance(value, dict) and "value" in value:  # {value, note} as in the record JSON
                value, note = value["value"], value.get("note", "")
            case = self.svc.cases.answer(self.user(key), case, item_id, value, note=note)
        return case

    def signed_case(self, key: str = "nurse", **changes: Any) -> CaseState:
        case = self.ready_case(key, **changes)
        return self.svc.documents.sign(self.user(key), self.password(key), case)

    # -- audit ------------------------------------------------------------------------------------------------

    def audit_seq(self) -> int:
        return int(self.svc.store.db.read(lambda conn: conn.execute(select(func.max(audit.c.seq))).scalar() or 0))

    def audit_since(self, seq: int) -> list[AuditEntry]:
        return self.svc.store.audit.entries(after_seq=seq, limit=5000)

    def raw_sql(self, *statements: str) -> None:
        """What an attacker with the database file can do, bypassing the services."""
        with self.svc.store.db.engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
