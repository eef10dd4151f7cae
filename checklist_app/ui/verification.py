"""What the signature check says about one saved record, for the badge, the Verify command and the printout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..services.app import AppServices


@dataclass(frozen=True)
class Signer:
    meaning: str  # "Prepared by", "Reviewed by"
    name: str
    signed_at: datetime | None  # as the signer's clock claimed


@dataclass(frozen=True)
class Verification:
    """The verdict on a record's stored PDF and hash, its signers in signing order, and the report lines."""

    verdict: str  # "valid" | "invalid" | "unsigned"
    signers: tuple[Signer, ...]
    lines: tuple[str, ...]

    @property
    def badge_text(self) -> str:
        if self.verdict == "unsigned":
            return "Not signed yet — a draft has no signatures to verify"
        if self.verdict == "valid":
            who = ", ".join(f"{s.meaning.lower()} {s.name}" for s in self.signers)
            return f"Signatures valid ✓ — {who}" if who else "Signatures valid ✓"
        return f"✖ NOT VALID: {self.problem}"

    @property
    def print_text(self) -> str:
        """The line under a printed record's last page: QtPdf cannot draw the signature stamps themselves."""
        who = "; ".join(f"{s.meaning} {s.name}" + (f" {s.signed_at.astimezone():%Y-%m-%d %H:%M}" if s.signed_at
                                                   else "") for s in self.signers)
        return f"Signatures checked when printed ✓ — {who}"

    @property
    def problem(self) -> str:
        last = self.lines[-1] if self.lines else "no verification result"
        return last.removeprefix("Verdict: NOT VALID — ").rstrip(".")


def verify_record(svc: AppServices, record_id: str, status: str, pdf: bytes | None) -> Verification:
    """The service's verdict on the stored PDF and record hash; with `pdf` (the stored bytes) also the signers."""
    if status == "draft":
        return Verification("unsigned", (), ())
    ok, lines = svc.documents.verify(record_id)
    signers: tuple[Signer, ...] = ()
    if ok and pdf is not None:
        # verify() answers in lines; the structured signer list comes from the same stored bytes.
        report = svc.documents.verify_pdf_bytes(pdf)
        signers = tuple(Signer(c.meaning, c.signer_name, c.signed_at) for c in report.signatures)
    return Verification("valid" if ok else "invalid", signers, tuple(lines))
