"""The services the UI and the CLI use, built on one opened store."""

from __future__ import annotations

from argon2 import PasswordHasher

from ..store import Store
from .auth import AuthService
from .cases import CaseService
from .documents import DocumentService


class AppServices:
    def __init__(self, store: Store, *, hasher: PasswordHasher | None = None) -> None:
        """`hasher`: the password hasher (argon2id with the production parameters unless given)."""
        self.store = store
        self.auth = AuthService(store, hasher=hasher)
        self.cases = CaseService(store)
        self.documents = DocumentService(store, self.auth, self.cases)

    @classmethod
    def open(cls, db_url: str | None = None, *, hasher: PasswordHasher | None = None) -> AppServices:
        """Open the database (migrating it) named by the URL, else CHECKLIST_DB, else the local SQLite file."""
        return cls(Store.open(db_url), hasher=hasher)

    @property
    def db_display(self) -> str:
        return self.store.url_display

    def close(self) -> None:
        self.store.close()
