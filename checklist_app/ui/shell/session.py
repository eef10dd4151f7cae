"""Who is logged in at the window (`Session`), and what the window asks of each of its pages (`Page`)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Signal

from ...services.models import Role, User


class Session(QObject):
    """The one place the logged-in user lives; the main window owns it and hands it to every page.

    Signals:
        user_changed(object): the User who just logged in (the same person again after the lock, or
            someone else), or None: the screen locked.
    """

    user_changed = Signal(object)

    def __init__(self, user: User | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._user = user
        self._locked = user is None
        self._returning = False

    @property
    def user(self) -> User | None:
        """The logged-in user; None while the screen is locked."""
        return None if self._locked else self._user

    @property
    def last_user(self) -> User | None:
        """Who logged in last, still known while the screen is locked (the lock screen offers their id)."""
        return self._user

    @property
    def locked(self) -> bool:
        return self._locked

    @property
    def returning(self) -> bool:
        """The last login brought back the person who was logged in before the lock."""
        return self._returning

    def log_in(self, user: User) -> None:
        self._returning = self._user is not None and self._user.username == user.username
        self._user = user
        self._locked = False
        self.user_changed.emit(user)

    def lock(self) -> None:
        if self._locked:
            return
        self._locked = True
        self.user_changed.emit(None)


class Page(Protocol):
    """A tab of the main window: shown to users holding one of `roles`, told of every login and lock."""

    @property
    def roles(self) -> frozenset[Role]: ...

    def set_user(self, user: User | None) -> None:
        """The session's user changed (None: the screen locked): show what they may see, or nothing."""

    def clear(self) -> None:
        """Drop every patient detail the page shows."""

    def refresh(self) -> None:
        """Read again what the page shows (F5; other workstations change records too)."""
