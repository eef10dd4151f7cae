"""The services the UI and the CLI use, built on one opened store."""

from __future__ import annotations

from argon2 import PasswordHasher

from ..store import Store
from .auth import AuthService
from .cases import CaseService
from .dashboard import DashboardService
from .documents import DocumentService
from .ehr_outbox import Hl7OutService
from .exports import ExportService
from .printing import PrintService
from .schedule import ScheduleService


class AppServices:
    def __init__(self, store: Store, *, hasher: PasswordHasher | None = None) -> None:
        """`hasher`: the password hasher (argon2id with the production parameters unless given)."""
        self.store = store
        self.auth = AuthService(store, hasher=hasher)
        self.cases = CaseService(store)
        self.documents = DocumentService(store, self.auth, self.cases)
        self.exports = ExportService(store, self.cases, self.documents)
        self.printing = PrintService(self.documents)
        self.hl7 = Hl7OutService(store, self.documents.refuse_if_tampered)
        self.dashboard = DashboardService(store)
        self.documents.after_signing = self.hl7.after_signing
        self._schedule: ScheduleService | None = None

    @property
    def schedule(self) -> ScheduleService:
        """The feeds' use cases (built on first use: it reads the site's time zone)."""
        if self._schedule is None:
            self._schedule = ScheduleService(self.store, self.cases)
        return self._schedule

    @classmethod
    def open(cls, db_url: str | None = None, *, hasher: PasswordHasher | None = None) -> AppServices:
        """Open the database (migrating it) named by the URL, else CHECKLIST_DB, else the local SQLite file."""
        return cls(Store.open(db_url), hasher=hasher)

    @property
    def db_display(self) -> str:
        return self.store.url_display

    def close(self) -> None:
        self.store.close()
