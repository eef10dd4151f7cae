"""Verifying every signature in a record PDF: one structured verdict per signature and for the whole file."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from checklist_app.export.errors import VerificationError
from checklist_app.export.pki import certificate_summary
from checklist_app.export.pyhanko_quiet import plain_error, quiet_loggers
from checklist_app.export.timestamps import (
    NO_TIMESTAMP,
    asn1_certs,
    document_timestamp_time,
    signature_timestamp_time,
    validation_contexts,
)

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
    signed_at: dt.datetime | None  # the RFC 3161 timestamp's time, else the signer's clock's claim
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
    time_source: str = "workstation clock"  # "timestamp" when an RFC 3161 token proves signed_at
    kind: str = "signature"  # or "document timestamp" (PAdES B-LTA)
    key_note: str | None = None  # the certificate says how its key came to be (a re-issue after a reset)

    @property
    def ok(self) -> bool:
        """The same as `valid`: this signature holds."""
        return self.valid

    def line(self) -> str:
        """One line: who signed, as what, when (and what backs that time), and whether it holds."""
        who = f"{self.signer_name} ({self.username})" if self.username else self.signer_name
        when = self.signed_at.isoformat(sep=" ", timespec="seconds") if self.signed_at else "an unknown time"
        verdict = "VALID" if self.valid else f"INVALID: {self.problem}"
        if self.kind == "document timestamp":
            return f"Document timestamp by {who} at {when} — {verdict}"
        backing = "timestamped" if self.time_source == "timestamp" else NO_TIMESTAMP
        note = f" [{self.key_note}]" if self.key_note else ""
        return f"Signed by {who} as {self.meaning or 'no stated meaning'} at {when} ({backing}) — {verdict}{note}"


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


def verify_pdf(
    pdf: bytes,
    trust_roots_pem: list[bytes],
    *,
    tsa_roots_pem: tuple[bytes, ...] | list[bytes] = (),
    site_crls_der: tuple[bytes, ...] | list[bytes] = (),
    now: dt.datetime | None = None,
) -> VerificationReport:
    """Check every signature and document timestamp in `pdf` against the site's trust roots.

    The file is OK only if every signature's pyHanko bottom line holds (intact, valid, trusted,
    no forbidden change after it) and the last one covers the whole file, or only long-term validation
    data follows it.  A signature with an RFC 3161 timestamp is judged at the timestamp's time, against
    the TSA roots the site trusts, the validation data in the file and the site's current CRL
    (`site_crls_der`); one without is judged at its claimed signing time, as Adobe Reader does, and its
    line says that only the workstation clock backs it.  `now` moves the verifier's clock (a record read
    ten years on).  Runs `asyncio.run` inside pyHanko, so call it from a worker, not from a running loop.
    """
    roots = _trust_roots(trust_roots_pem)
    tsa_roots = asn1_certs(list(tsa_roots_pem))
    # The header may legally follow up to 1 KiB of junk; anything else is not worth parsing.
    if b"%PDF-" not in pdf[:1024]:
        raise VerificationError("The file is not a PDF.")

    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    clock = now or dt.datetime.now(dt.UTC)
    with quiet_loggers():
        try:
            reader = PdfFileReader(io.BytesIO(pdf))
            embedded = list(reader.embedded_signatures)
        except (PdfError, ValueError, KeyError, IndexError, TypeError, AttributeError):
            raise VerificationError("The file is damaged or truncated and cannot be read as a PDF.") from None
        if not embedded:
            return VerificationReport(signatures=(), ok=False, problem=NO_SIGNATURE)
        checks = [_check_signature(sig, reader, roots, tsa_roots, list(site_crls_der), clock) for sig in embedded]
        last_covers_file = _covers_entire_file(embedded[-1])

    problem = next((f"{c.kind} {c.field_name} by {c.signer_name}: {c.problem}" for c in checks if not c.valid), None)
    # Long-term validation data (a DSS) and document timestamps are added after the last signature by design;
    # pyHanko's difference analysis calls such revisions "LTA updates", and nothing else may follow.
    # pyHanko also files edits of the title or author under LTA updates, so those are compared as well.
    only_lta_after = checks[-1].modification_level == "lta updates" and not _description_changed_after(
        reader, embedded[-1]
    )
    if problem is None and not last_covers_file and not only_lta_after:
        problem = CHANGED_AFTER_LAST
    return VerificationReport(
        signatures=tuple(checks),
        ok=problem is None,
        problem=problem,
        last_covers_file=last_covers_file or only_lta_after,
    )


def _check_signature(
    sig: EmbeddedPdfSignature,
    reader: Any,
    roots: list[Any],
    tsa_roots: list[Any],
    site_crls_der: list[bytes],
    now: dt.datetime,
) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp

    field_name = str(sig.field_name)
    meaning = str(sig.sig_object.get("/Reason", "") or "")
    try:
        signer_cert = x509.load_der_x509_certificate(sig.signer_cert.dump())
        summary = certificate_summary(signer_cert.public_bytes(Encoding.PEM))
        signer_name, username, key_note = summary.common_name, summary.username, summary.key_note
    except Exception:  # a signature whose certificate cannot be read is reported, not raised
        signer_name, username, key_note = "an unreadable certificate", None, None
    is_doc_ts = sig.sig_object_type == "/DocTimeStamp"
    stamped_at = document_timestamp_time(sig) if is_doc_ts else signature_timestamp_time(sig)
    signed_at = stamped_at or _aware(_claimed_time(sig))
    kind = "document timestamp" if is_doc_ts else "signature"
    time_source = "timestamp" if stamped_at else "workstation clock"
    broken: dict[str, Any] = {
        "field_name": field_name, "signer_name": signer_name, "username": username, "signed_at": signed_at,
        "meaning": meaning, "intact": False, "sound": False, "trusted": False, "coverage": "unclear",
        "modification_level": None, "valid": False, "time_source": time_source, "kind": kind,
        "key_note": key_note,
    }  # fmt: skip

    if sig.sig_object_type not in ("/Sig", "/DocTimeStamp"):
        return SignatureCheck(**broken, problem="the signature is of an unknown type")
    # A claimed time in the future cannot be used to stretch a certificate's validity.
    moment = min(signed_at, now) if signed_at else now
    signer_context, stamp_context = validation_contexts(
        reader,
        site_roots=roots,
        tsa_roots=tsa_roots,
        site_crls_der=site_crls_der,
        signer_moment=moment,
        timestamp_moment=stamped_at or now,
        timestamped=stamped_at is not None,
    )
    try:
        if is_doc_ts:
            status: Any = validate_pdf_timestamp(sig, stamp_context)
        else:
            status = validate_pdf_signature(sig, signer_context, stamp_context)
    except Exception as exc:  # pyHanko raises many types for malformed signatures
        return SignatureCheck(**broken, problem=f"the signature cannot be checked ({plain_error(exc)})")

    coverage = status.coverage.name if status.coverage is not None else "UNCLEAR"
    level = status.modification_level
    if is_doc_ts:
        # pyHanko gives a document timestamp no bottom line: intact, valid, trusted, and only allowed changes after.
        ok = bool(
            status.intact
            and status.valid
            and status.trusted
            and level is not None
            and getattr(status, "docmdp_ok", None) is not False
        )
        signer_name, username = _tsa_name(sig), None
    else:
        ok = bool(status.bottom_line)
    return SignatureCheck(
        field_name=field_name,
        signer_name=signer_name,
        username=username,
        signed_at=signed_at,
        meaning="" if is_doc_ts else meaning,
        intact=bool(status.intact),
        sound=bool(status.valid),
        trusted=bool(status.trusted),
        coverage=_COVERAGE_WORDS.get(coverage, coverage.lower()),
        modification_level=level.name.lower().replace("_", " ") if level is not None else None,
        valid=ok,
        problem=None if ok else _problem_of(status),
        time_source=time_source,
        kind=kind,
        key_note=key_note,
    )


_DESCRIPTIVE_XMP = re.compile(
    rb"<(dc:title|dc:creator|dc:description|dc:subject|pdfaid:part|pdfaid:conformance)"
    rb"[^>]*>(.*?)</\1>|(pdfaid:part|pdfaid:conformance)=\"([^\"]*)\"",
    re.S,
)


def _description_changed_after(reader: Any, sig: EmbeddedPdfSignature) -> bool:
    """Whether DocInfo or the XMP say something else about the document than when `sig` was made (dates and
    the producer aside, which every long-term update rewrites)."""
    try:
        then = reader.get_historical_resolver(sig.signed_revision)
        ignored = {"/ModDate", "/Producer"}

        def info(entries: Any) -> dict[str, str]:
            return {str(k): str(v) for k, v in entries.items() if str(k) not in ignored}

        def xmp(metadata: Any) -> list[tuple[bytes, ...]]:
            if metadata is None:
                return []
            # Only the words count: pyHanko rewrites the XMP's markup (namespaces, attributes) at every update.
            return sorted(
                tuple(re.sub(rb"<[^>]+>|\s+", b"", part) for part in found)
                for found in _DESCRIPTIVE_XMP.findall(metadata.data)
            )

        old_ref = then.root.raw_get("/Metadata") if "/Metadata" in then.root else None
        old_xmp = then.get_object(old_ref.reference) if old_ref is not None else None
        new_xmp = reader.root["/Metadata"] if "/Metadata" in reader.root else None  # noqa: SIM401 - resolves
        # Indirect references resolve against the newest revision unless asked of the historical resolver.
        old_info = then.get_object(then.trailer_view.raw_get("/Info").reference)
        new_info = reader.trailer["/Info"]
        return bool(info(old_info) != info(new_info) or xmp(old_xmp) != xmp(new_xmp))
    except Exception:  # anything unreadable in the history counts as a change
        return True


def _tsa_name(sig: EmbeddedPdfSignature) -> str:
    try:
        cert = x509.load_der_x509_certificate(sig.signer_cert.dump())
        return certificate_summary(cert.public_bytes(Encoding.PEM)).common_name
    except Exception:
        return "an unknown time-stamp authority"


def _problem_of(status: Any) -> str:
    """The first thing wrong with a signature status, in words a charge nurse can act on."""
    if not status.intact:
        return "the document was changed after this signature was made"
    if not status.valid:
        return "the signature is damaged or was not made with the signer's key"
    if not status.trusted:
        indic = getattr(status.trust_problem_indic, "name", None)
        return _TRUST_PROBLEMS.get(indic or "", "the signer's certificate is not trusted")
    if not getattr(status, "seed_value_ok", True):
        return "the signature breaks the rules set on its signature field"
    ts = getattr(status, "timestamp_validity", None)
    if ts is not None and ts.intact and ts.valid and not ts.trusted:
        return (
            "the signature's timestamp is not from a time-stamp authority this site trusts "
            "(its root goes in CHECKLIST_TSA_CA_FILE)"
        )
    if ts is not None and not (ts.intact and ts.valid and ts.trusted):
        return "the signature's time-stamp is not valid"
    if getattr(status, "docmdp_ok", None) is False or status.modification_level is None:
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
