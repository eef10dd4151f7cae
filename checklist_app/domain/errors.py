"""Error types of the domain: each names what is wrong and where, in words a person can act on."""

from __future__ import annotations


class ChecklistError(Exception):
    """Base of every error the app turns into one readable line or one dialog."""


class FormError(ChecklistError):
    """A checklist definition is malformed; carries the file and line of each problem."""

    def __init__(self, problems: list[tuple[int | None, str]], source: str = "<form>") -> None:
        self.source = source
        self.problems = problems
        super().__init__(self.lines()[0] if problems else source)

    def lines(self) -> list[str]:
        """One `PATH:LINE: message` line per problem (line 1 when unknown)."""
        return [f"{self.source}:{line or 1}: {message}" for line, message in self.problems]


class RecordError(ChecklistError):
    """A record (patient, procedure or an answer) is bad input for its form."""

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}" if where else message)


class FutureTimeError(RecordError):
    """A time that has not happened yet, where the item asks when something happened; `nurse_message` says it
    in the ward's words ("22:00 today is in the future — did you mean yesterday 22:00?")."""

    def __init__(self, where: str, message: str, nurse_message: str) -> None:
        super().__init__(where, message)
        self.nurse_message = nurse_message
