"""What the signature check says about one saved record, for the badge, the Verify command and the printout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ...domain.lifecycle import Status
from ..shell.i18n import tr

if TYPE_CHECKING:
    from ...services.app import AppServices


@dataclass(frozen=True)
class Signer:
    meaning: str  # "Prepared by", "Reviewed by"
    name: str
    signed_at: datetime | None  # as the signer's clock claimed


@dataclass(frozen=True)
class Verification:
    """The verdict on a record's stored PDF and hash, its signers in signing order, and the report lines."""

    verdict: str  # "valid" | "invalid" | "tampered" (the rows contradict the signed PDF) | "unsigned"
    signers: tuple[Signer, ...]
    lines: tuple[str, ...]
    problem: str = ""  # why it is not valid, from the service's structured result; "" when valid

    @property
    def badge_text(self) -> str:
        if self.verdict == "unsigned":
            return tr("Not signed yet — a draft has no signatures to verify")
        if self.verdict == "valid":
            who = ", ".join(f"{s.meaning.lower()} {s.name}" for s in self.signers)
            return tr("Signatures valid ✓ — {who}").format(who=who) if who else tr("Signatures valid ✓")
        if self.verdict == "tampered":
            return tr("✖ TAMPERED: {problem}").format(problem=self.problem)
        return tr("✖ NOT VALID: {problem}").format(problem=self.problem)

    @property
    def print_text(self) -> str:
        """The line under a printed record's last page: QtPdf cannot draw the signature stamps themselves."""
        who = "; ".join(
            f"{s.meaning} {s.name}" + (f" {s.signed_at.astimezone():%Y-%m-%d %H:%M}" if s.signed_at else "")
            for s in self.signers
        )
        return f"Signatures checked when printed ✓ — {who}"


def verify_record(svc: AppServices, record_id: str, status: str) -> Verification:
    """The service's one structured verdict on the stored PDF and record hash, with the signers."""
    if status == Status.DRAFT:
        return Verification("unsigned", (), ())
    result = svc.documents.check(record_id)
    lines = tuple(result.lines())
    if not result.ok:
        return Verification(
            "tampered" if result.tampered else "invalid", (), lines, result.problem or tr("no verification result")
        )
    signers = tuple(Signer(c.meaning, c.signer_name, c.signed_at) for c in result.signatures)
    return Verification("valid", signers, lines)
