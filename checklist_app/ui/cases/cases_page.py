"""The nurse's cases page: the day's worklist beside the open checklist, one page of the main window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QWidget

from ...services.models import Role, User
from ..checklist.checklist_view import ChecklistView
from .worklist_view import WorklistView

if TYPE_CHECKING:
    from ...services.app import AppServices
    from ..shell.session import Session


class CasesPage(QSplitter):
    """The worklist and the checklist side by side, following the session's logins and locks."""

    def __init__(
        self, svc: AppServices, session: Session, roles: frozenset[Role], parent: QWidget | None = None
    ) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("casesPage")
        self._session = session
        self._roles = roles
        self.worklist = WorklistView(svc, session, self)
        self.checklist = ChecklistView(svc, session, self)
        self.addWidget(self.worklist)
        self.addWidget(self.checklist)
        self.setStretchFactor(0, 2)
        self.setStretchFactor(1, 3)
        self.setChildrenCollapsible(True)

    @property
    def roles(self) -> frozenset[Role]:
        """Who works on cases (the services' rule)."""
        return self._roles

    def default_split(self, width: int) -> None:
        """A first split of `width`: the worklist as wide as its columns need (time, name, MRN and readiness in
        full), between a third and 55 % of the page; the checklist takes the rest."""
        left = max(int(width * 0.33), min(self.worklist.preferred_width(), int(width * 0.55)))
        self.setSizes([left, width - left])

    def set_user(self, user: User | None) -> None:
        if user is None:
            return  # locked: the lock page covers the case, and the same nurse logging back in returns to it
        self.checklist.set_user(user)
        if self._session.returning:
            self.checklist.refresh()
            self.worklist.reload()
        else:
            self.checklist.clear()
            self.worklist.set_user(user if user.roles & self._roles else None)

    def clear(self) -> None:
        self.checklist.clear()
        self.worklist.set_user(None)

    def refresh(self) -> None:
        self.worklist.reload()
        self.checklist.reload()
