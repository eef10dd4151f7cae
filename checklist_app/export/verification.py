"""Verifying every signature in a record PDF: one structured verdict per signature and for the whole file."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from checklist_app.export.errors import VerificationError
from checklist_app.export.pki import certificate_summary
from checklist_app.export.pyhanko_quiet import plain_error, quiet_loggers

if TYPE_CHECKING:  # pyHanko costs ~250 ms to import; the app only pays when it verifies.
    from pyhanko.sign.validation import EmbeddedPdfSignature

NO_SIGNATURE = "no signature"
CHANGED_AFTER_LAST = "the file was changed after the last signature"

# Covering less than the whole file is normal for every signature but the last one.
_COVERAGE_WORDS = {
    "ENTIRE_FILE": "entire file",
    "ENTIRE_REVISION": "entire revision",
    "CONTIGUOUS_BLOCK_FROM_START": "block from start",
    "UNCLEAR": "unclear",
}

_TRUST_PROBLEMS = {
    "NO_CERTIFICATE_CHAIN_FOUND": "the signer's certificate was not issued by a trusted signing authority",
    "EXPIRED": "the signer's certificate had expired at the signing time",
    "OUT_OF_BOUNDS_NO_POE": "the signer's certificate was not valid at the signing time",
    "OUT_OF_BOUNDS_NOT_REVOKED": "the signer's certificate was not valid at the signing time",
    "NOT_YET_VALID": "the signer's certificate was not yet valid at the signing time",
    "REVOKED": "the signer's certificate has been revoked",
    "REVOKED_NO_POE": "the signer's certificate has been revoked",
    "REVOKED_CA_NO_POE": "the signing authority's certificate has been revoked",
    "SIG_CONSTRAINTS_FAILURE": "the signer's certificate is not allowed to sign documents",
    "CHAIN_CONSTRAINTS_FAILURE": "the signer's certificate chain breaks the rules for signing authorities",
    "CRYPTO_CONSTRAINTS_FAILURE": "the signature uses a weak or forbidden algorithm",
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": "the signature uses a weak or forbidden algorithm",
}


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    """The verdict on one embedded signature, in the terms a reviewer reads."""

    field_name: str
    signer_name: str
    username: str | None
    signed_at: dt.datetime | None  # as the signer's clock claimed; there is no time-stamp authority
    meaning: str
    # pyHanko's bottom_line, never its `valid` alone (which holds for a signature over since-changed bytes):
    # intact, cryptographically sound, trusted, and only permitted changes after it.
    valid: bool
    problem: str | None  # why it is not valid, in words a charge nurse can act on; None when valid
    intact: bool  # pyHanko: the signed bytes are unchanged
    sound: bool  # pyHanko's `valid`: the signature value checks out against the signer's key
    trusted: bool
    coverage: str
    modification_level: str | None

    @property
    def ok(self) -> bool:
        """The same as `valid`: this signature holds."""
        return self.valid

    def line(self) -> str:
        """One line: who signed, as what, when, and whether it holds."""
        who = f"{self.signer_name} ({self.username})" if self.username else self.signer_name
        when = self.signed_at.isoformat(sep=" ", timespec="seconds") if self.signed_at else "an unknown time"
        verdict = "VALID" if self.valid else f"INVALID: {self.problem}"
        return f"Signed by {who} as {self.meaning or 'no stated meaning'} at {when} — {verdict}"


@dataclass(frozen=True, slots=True)
class VerificationReport:
    """Every signature of a file in signing order, and whether the file as a whole can be relied on."""

    signatures: tuple[SignatureCheck, ...]
    ok: bool  # every signature valid and the last one covers the whole file
    problem: str | None  # the first reason the file fails, in plain words
    last_covers_file: bool = False  # False also when there is no signature

    def lines(self) -> list[str]:
        """One line per signer, then the verdict."""
        lines = [check.line() for check in self.signatures]
        if self.ok:
            lines.append("Verdict: VALID — every signature holds and the file is unchanged since the last one.")
        else:
            lines.append(f"Verdict: NOT VALID — {self.problem}.")
        return lines


def verify_pdf(pdf: bytes, trust_roots_pem: list[bytes]) -> VerificationReport:
    """Check every signature in `pdf` against the site's trust roots.

    The file is OK only if every signature's pyHanko bottom line holds (intact, valid, trusted,
    no forbidden change after it) and the last signature covers the whole file.  Certificates are
    judged at each signature's claimed signing time, as Adobe Reader does without a time-stamp,
    so a record signed by a since-expired user certificate still verifies.  Runs `asyncio.run`
    inside pyHanko, so call it from a worker, not from a running asyncio loop.
    """
    roots = _trust_roots(trust_roots_pem)
    # The header may legally follow up to 1 KiB of junk; anything else is not worth parsing.
    if b"%PDF-" not in pdf[:1024]:
        raise VerificationError("The file is not a PDF.")

    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    with quiet_loggers():
        try:
            reader = PdfFileReader(io.BytesIO(pdf))
            embedded = list(reader.embedded_signatures)
        except (PdfError, ValueError, KeyError, IndexError, TypeError, AttributeError):
            raise VerificationError("The file is damaged or truncated and cannot be read as a PDF.") from None
        if not embedded:
            return VerificationReport(signatures=(), ok=False, problem=NO_SIGNATURE)
        checks = [_check_signature(sig, roots) for sig in embedded]
        last_covers_file = _covers_entire_file(embedded[-1])

    problem = next((f"signature {c.field_name} by {c.signer_name}: {c.problem}" for c in checks if not c.valid), None)
    if problem is None and not last_covers_file:
        problem = CHANGED_AFTER_LAST
    return VerificationReport(signatures=tuple(checks), ok=problem is None, problem=problem,
                              last_covers_file=last_covers_file)


def _check_signature(sig: EmbeddedPdfSignature, roots: list[Any]) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    field_name = str(sig.field_name)
    meaning = str(sig.sig_object.get("/Reason", "") or "")
    try:
        signer_cert = x509.load_der_x509_certificate(sig.signer_cert.dump())
        summary = certificate_summary(signer_cert.public_bytes(Encoding.PEM))
        signer_name, username = summary.common_name, summary.username
    except Exception:  # a signature whose certificate cannot be read is reported, not raised
        signer_name, username = "an unreadable certificate", None
    signed_at = _aware(_claimed_time(sig))
    now = dt.datetime.now(dt.UTC)

    if sig.sig_object_type != "/Sig":
        return SignatureCheck(
            field_name=field_name, signer_name=signer_name, username=username, signed_at=signed_at,
            meaning=meaning, intact=False, sound=False, trusted=False, coverage="unclear",
            modification_level=None, valid=False, problem="document time-stamps are not supported",
        )  # fmt: skip
    context = ValidationContext(
        trust_roots=roots,
        # A claimed time in the future cannot be used to stretch a certificate's validity.
        moment=min(signed_at, now) if signed_at else now,
        allow_fetching=False,  # the site authority publishes no revocation lists; never go online
    )
    try:
        status = validate_pdf_signature(sig, context)
    except Exception as exc:  # pyHanko raises many types for malformed signatures
        return SignatureCheck(
            field_name=field_name, signer_name=signer_name, username=username, signed_at=signed_at,
            meaning=meaning, intact=False, sound=False, trusted=False, coverage="unclear",
            modification_level=None, valid=False, problem=f"the signature cannot be checked ({plain_error(exc)})",
        )  # fmt: skip

    coverage = status.coverage.name if status.coverage is not None else "UNCLEAR"
    level = status.modification_level
    ok = bool(status.bottom_line)
    return SignatureCheck(
        field_name=field_name,
        signer_name=signer_name,
        username=username,
        signed_at=signed_at,
        meaning=meaning,
        intact=bool(status.intact),
        sound=bool(status.valid),
        trusted=bool(status.trusted),
        coverage=_COVERAGE_WORDS.get(coverage, coverage.lower()),
        modification_level=level.name.lower().replace("_", " ") if level is not None else None,
        valid=ok,
        problem=None if ok else _problem_of(status),
    )


def _problem_of(status: Any) -> str:
    """The first thing wrong with a signature status, in words a charge nurse can act on."""
    if not status.intact:
        return "the document was changed after this signature was made"
    if not status.valid:
        return "the signature is damaged or was not made with the signer's key"
    if not status.trusted:
        indic = getattr(status.trust_problem_indic, "name", None)
        return _TRUST_PROBLEMS.get(indic or "", "the signer's certificate is not trusted")
    if not status.seed_value_ok:
        return "the signature breaks the rules set on its signature field"
    ts = status.timestamp_validity
    if ts is not None and not (ts.intact and ts.valid and ts.trusted):
        return "the signature's time-stamp is not valid"
    if status.docmdp_ok is False or status.modification_level is None:
        return "the document was changed after this signature in a way signatures do not allow"
    return "the signature is not valid"


def _covers_entire_file(sig: EmbeddedPdfSignature) -> bool:
    from pyhanko.sign.validation import SignatureCoverageLevel

    try:
        return bool(sig.evaluate_signature_coverage() == SignatureCoverageLevel.ENTIRE_FILE)
    except Exception:  # a malformed byte range covers nothing we can vouch for
        return False


def _claimed_time(sig: EmbeddedPdfSignature) -> dt.datetime | None:
    try:
        return sig.self_reported_timestamp
    except Exception:  # an unparseable /M is reported as "unknown time", not a crash
        return None


def _trust_roots(trust_roots_pem: list[bytes]) -> list[Any]:
    """The roots as asn1crypto certificates (pyHanko's type); a damaged one is an error, not a skip."""
    from asn1crypto import x509 as asn1_x509

    roots = []
    for pem in trust_roots_pem:
        try:
            der = x509.load_pem_x509_certificate(pem).public_bytes(Encoding.DER)
        except ValueError:
            raise VerificationError("A trusted signing authority certificate is damaged.") from None
        roots.append(asn1_x509.Certificate.load(der))
    return roots


def _aware(when: dt.datetime | None) -> dt.datetime | None:
    if when is None or when.tzinfo is not None:
        return when
    return when.replace(tzinfo=dt.UTC)  # a PDF date without an offset is read as UTC
