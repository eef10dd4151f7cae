"""The verdict on one saved record: its stored PDF's signature report and its stored hash, checked together."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..export.verification import SignatureCheck, VerificationReport

NOT_SIGNED = "Not signed yet: there is nothing to verify."
HASH_MISMATCH = "The stored record does not match its SHA-256: the database was altered."
ANSWERS_CHANGED = "The saved answers differ from the signed record: the database was altered."


@dataclass(frozen=True, slots=True)
class RecordVerification:
    """One structured result, made once: the PDF's report (None before signing) and what the database says."""

    report: VerificationReport | None
    record_problem: str | None = None  # the stored record disagrees with what was signed (a full sentence)

    @property
    def signed(self) -> bool:
        return self.report is not None

    @property
    def ok(self) -> bool:
        """Every signature valid, the last one covering the whole file, and the stored record the signed one."""
        return self.report is not None and self.report.ok and self.record_problem is None

    @property
    def signatures(self) -> tuple[SignatureCheck, ...]:
        return () if self.report is None else self.report.signatures

    @property
    def problem(self) -> str | None:
        """The reason the record cannot be relied on, without a closing full stop; None when it can."""
        if self.record_problem is not None:
            return self.record_problem.rstrip(".")
        if self.report is None:
            return NOT_SIGNED.rstrip(".")
        return self.report.problem

    @property
    def tampered(self) -> bool:
        """The rows and the signed PDF contradict each other (whatever the PDF's own signatures say)."""
        return self.record_problem is not None

    @property
    def verdict_text(self) -> str:
        """The one verdict line: VALID, TAMPERED (naming the first mismatch) or NOT VALID."""
        if self.record_problem is not None:
            return f"Verdict: TAMPERED — {self.record_problem.rstrip('.')}."
        if self.report is None:
            return NOT_SIGNED
        if self.report.ok:
            return "Verdict: VALID — every signature holds, the file is unchanged and it is this record's own."
        return f"Verdict: NOT VALID — {self.report.problem}."

    def lines(self) -> list[str]:
        """One line per signer, then the verdict (TAMPERED when the database contradicts the signed PDF)."""
        if self.report is None:
            return [self.verdict_text] if self.record_problem else [NOT_SIGNED]
        return [check.line() for check in self.report.signatures] + [self.verdict_text]
