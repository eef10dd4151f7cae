"""The services the UI and the CLI use, built on one opened store."""

from __future__ import annotations

from ..store import Store
from .auth import AuthService
from .cases import CaseService
from .documents import DocumentService
from .exports import ExportService


class AppServices:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.auth = AuthService(store)
        self.cases = CaseService(store)
        self.documents = DocumentService(store, self.auth, self.cases)
        self.exports = ExportService(store, self.cases, self.documents)

    @classmethod
    def open(cls, db_url: str | None = None) -> AppServices:
        """Open the database (migrating it) named by the URL, else CHECKLIST_DB, else the local SQLite file."""
        return cls(Store.open(db_url))

    @property
    def db_display(self) -> str:
        return self.store.url_display

    def close(self) -> None:
        self.store.close()
