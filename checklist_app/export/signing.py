"""Signing a record PDF with a user's identity (PAdES, incremental) and verifying every signature in it."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import importlib.resources
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from checklist_app.export.errors import SigningError, VerificationError
from checklist_app.export.pki import certificate_summary, open_identity
from checklist_app.export.timestamps import (
    NO_TIMESTAMP,
    LongTermSettings,
    asn1_certs,
    document_timestamp_time,
    signature_timestamp_time,
    signer_options,
    validation_contexts,
)

if TYPE_CHECKING:  # pyHanko costs ~250 ms to import; the app only pays when it signs or verifies.
    from cryptography.hazmat.primitives.asymmetric import rsa
    from pyhanko.sign.validation import EmbeddedPdfSignature

STAMP_TEXT = "%(meaning)s\nDigitally signed by %(signer)s\n%(ts)s"
STAMP_TIME_FORMAT = "%Y-%m-%d %H:%M %Z"
STAMP_FONT_SIZE = 9

NO_SIGNATURE = "no signature"
CHANGED_AFTER_LAST = "the file was changed after the last signature"

# pyHanko logs full tracebacks (e.g. "self-signed certificate") at WARNING/ERROR while it still returns
# a status; the report already says it in words, so those records must not reach the console.
# fontTools warns about font tables it drops while subsetting the stamp font.
_NOISY_LOGGERS = ("pyhanko", "pyhanko_certvalidator", "fontTools")

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
    intact: bool
    valid: bool
    trusted: bool
    coverage: str
    modification_level: str | None
    ok: bool  # pyHanko's bottom_line: intact, valid, trusted and only permitted changes after it
    problem: str | None
    time_source: str = "workstation clock"  # "timestamp" when an RFC 3161 token proves signed_at
    kind: str = "signature"  # or "document timestamp" (PAdES B-LTA)

    def line(self) -> str:
        """One line: who signed, as what, when (and what backs that time), and whether it holds."""
        who = f"{self.signer_name} ({self.username})" if self.username else self.signer_name
        when = self.signed_at.isoformat(sep=" ", timespec="seconds") if self.signed_at else "an unknown time"
        verdict = "VALID" if self.ok else f"INVALID: {self.problem}"
        if self.kind == "document timestamp":
            return f"Document timestamp by {who} at {when} — {verdict}"
        backing = "timestamped" if self.time_source == "timestamp" else NO_TIMESTAMP
        return f"Signed by {who} as {self.meaning or 'no stated meaning'} at {when} ({backing}) — {verdict}"


@dataclass(frozen=True, slots=True)
class VerificationReport:
    """Every signature of a file in signing order, and whether the file as a whole can be relied on."""

    signatures: tuple[SignatureCheck, ...]
    ok: bool
    problem: str | None  # the first reason the file fails, in plain words

    def lines(self) -> list[str]:
        """One line per signer, then the verdict."""
        lines = [check.line() for check in self.signatures]
        if self.ok:
            lines.append("Verdict: VALID — every signature holds and the file is unchanged since the last one.")
        else:
            lines.append(f"Verdict: NOT VALID — {self.problem}.")
        return lines


def sign_pdf(
    pdf: bytes,
    p12: bytes,
    password: str,
    *,
    field_name: str,
    meaning: str,
    signer_name: str,
    location: str = "",
    contact: str = "",
    stamp_box: tuple[float, float, float, float] | None = None,
    page: int = -1,
    certify: bool = False,
    long_term: LongTermSettings | None = None,
) -> bytes:
    """Sign `pdf` as an incremental update and return the new file.

    Signs the empty signature field `field_name` if the layout made one (its own rectangle then decides
    where the stamp goes and `stamp_box`/`page` are ignored); otherwise creates the field on `page`,
    visible in `stamp_box` (PDF points: x1, y1, x2, y2) or invisible when it is None.  The previous
    bytes are kept as they are, so earlier signatures stay valid.  `certify` makes an author
    signature that still permits later signatures (co-signing) and nothing else.  With `long_term`, the
    signature gets an RFC 3161 timestamp and the file the validation data for PAdES B-LT (B-LTA optionally).
    """
    identity = open_identity(p12, password)  # wrong password fails here, before any PDF work
    now = dt.datetime.now(dt.UTC)
    cert = identity.certificate
    if now < cert.not_valid_before_utc:
        raise SigningError("Your signing certificate is not valid yet; check this computer's clock.")
    if now > cert.not_valid_after_utc:
        raise SigningError(
            f"Your signing certificate expired on {cert.not_valid_after_utc:%Y-%m-%d}; "
            "ask an administrator to renew it."
        )
    if not field_name or "." in field_name:
        raise SigningError("A signature field name is required and may not contain a dot.")
    meaning = meaning.strip()
    if not meaning:
        raise SigningError("A signature needs a meaning, such as “Prepared by”.")
    signer_name = signer_name.strip() or certificate_summary(cert.public_bytes(Encoding.PEM)).common_name

    from pyhanko.keys.internal import (
        translate_pyca_cryptography_cert_to_asn1,
        translate_pyca_cryptography_key_to_asn1,
    )
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError as PyHankoSigningError
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    site_roots = [translate_pyca_cryptography_cert_to_asn1(c) for c in identity.chain]
    timestamper, long_term_meta = signer_options(long_term, site_roots) if long_term else (None, {})
    signer = _unlocked_key_signer(identity.key)(
        signing_cert=translate_pyca_cryptography_cert_to_asn1(cert),
        signing_key=translate_pyca_cryptography_key_to_asn1(identity.key),
        # The authority's certificate goes into the signature so any reader can build the chain.
        cert_registry=SimpleCertificateStore.from_certs(
            [translate_pyca_cryptography_cert_to_asn1(c) for c in identity.chain]
        ),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        # PAdES (ETSI.CAdES.detached): the signed attributes bind the signer's certificate (ESS
        # signing-certificate-v2), so it cannot be swapped for another with the same key; pdfsig,
        # Adobe and pyHanko all accept it.
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=meaning,
        name=signer_name,
        location=location or None,
        contact_info=contact or None,
        certify=certify,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,  # a certified record may still be co-signed
        **long_term_meta,
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        existing = list(fields.enumerate_sig_fields(writer, with_name=field_name))
        if existing and existing[0][1] is not None:
            raise SigningError(f"The signature field “{field_name}” is already signed.")
        # pyHanko types the box as ints but writes it as reals, so fractional points are fine.
        new_field = fields.SigFieldSpec(field_name, on_page=page, box=stamp_box)  # type: ignore[arg-type]
        pdf_signer = signers.PdfSigner(
            meta,
            signer,
            stamp_style=_stamp_style(STAMP_TEXT + meaning + signer_name),
            new_field_spec=None if existing else new_field,
            timestamper=timestamper,
        )
        with _quiet_loggers():
            out = pdf_signer.sign_pdf(
                writer,
                existing_fields_only=bool(existing),
                appearance_text_params={"meaning": meaning},
            )
    except (PdfError, PyHankoSigningError, ValueError, KeyError, IndexError) as exc:
        if long_term is not None and _is_timestamp_failure(exc):
            raise SigningError(_TSA_DOWN.format(url=long_term.tsa_url)) from None
        raise SigningError(f"The document could not be signed: {_plain(exc)}.") from None
    except Exception as exc:
        if long_term is not None and _is_timestamp_failure(exc):
            raise SigningError(_TSA_DOWN.format(url=long_term.tsa_url)) from None
        raise
    data: bytes = out.getvalue()
    return data


_TSA_DOWN = ("The time-stamp authority at {url} did not give a timestamp, so the record was not signed; "
             "try again, or ask the administrator to check the time-stamp service.")


def _is_timestamp_failure(exc: BaseException) -> bool:
    """Whether signing failed because the TSA could not be reached or answered badly."""
    from pyhanko.sign.timestamps import TimestampRequestError

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, TimestampRequestError | OSError | TimeoutError) or \
                type(seen).__module__.startswith("aiohttp"):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _unlocked_key_signer(key: rsa.RSAPrivateKey) -> Any:
    """A pyHanko SimpleSigner class that signs with `key` as open_identity already unlocked and checked it.

    SimpleSigner re-parses its key from DER for every raw signature, which re-runs the RSA key check
    (~35 ms for RSA-2048), and pyHanko signs twice per PDF (a dry run sizes the signature container):
    a third of a signature's CPU time (bench/RESULTS.md).
    """
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign import signers
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class UnlockedKeySigner(signers.SimpleSigner):
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            try:
                mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            except ValueError:
                mechanism = None
            if mechanism != "rsassa_pkcs1v15":  # anything else: pyHanko's own general path
                return bytes(super().sign_raw(data, digest_algorithm))
            return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))

    return UnlockedKeySigner


def verify_pdf(pdf: bytes, trust_roots_pem: list[bytes], *, tsa_roots_pem: tuple[bytes, ...] | list[bytes] = (),
               site_crls_der: tuple[bytes, ...] | list[bytes] = (),
               now: dt.datetime | None = None) -> VerificationReport:
    """Check every signature and document timestamp in `pdf` against the site's trust roots.

    The file is OK only if every signature's pyHanko bottom line holds (intact, valid, trusted,
    no forbidden change after it) and the last one covers the whole file.  A signature with an RFC 3161
    timestamp is judged at the timestamp's time, against the TSA roots the site trusts, the validation data
    in the file and the site's current CRL (`site_crls_der`); one without is judged at its claimed signing
    time, as Adobe Reader does, and its line says that only the workstation clock backs it.  `now` moves
    the verifier's clock (tests of a record read ten years on).  Runs `asyncio.run` inside pyHanko, so call
    it from a worker, not from a running asyncio loop.
    """
    roots = _trust_roots(trust_roots_pem)
    tsa_roots = asn1_certs(list(tsa_roots_pem))
    # The header may legally follow up to 1 KiB of junk; anything else is not worth parsing.
    if b"%PDF-" not in pdf[:1024]:
        raise VerificationError("The file is not a PDF.")

    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    clock = now or dt.datetime.now(dt.UTC)
    with _quiet_loggers():
        try:
            reader = PdfFileReader(io.BytesIO(pdf))
            embedded = list(reader.embedded_signatures)
        except (PdfError, ValueError, KeyError, IndexError, TypeError, AttributeError):
            raise VerificationError("The file is damaged or truncated and cannot be read as a PDF.") from None
        if not embedded:
            return VerificationReport(signatures=(), ok=False, problem=NO_SIGNATURE)
        checks = [_check_signature(sig, reader, roots, tsa_roots, list(site_crls_der), clock) for sig in embedded]
        last_covers_file = _covers_entire_file(embedded[-1])

    problem = next((f"{'signature' if c.kind == 'signature' else c.kind} {c.field_name} by {c.signer_name}: "
                    f"{c.problem}" for c in checks if not c.ok), None)
    # Long-term validation data (a DSS) and document timestamps are added after the last signature by design;
    # pyHanko's difference analysis calls such revisions "LTA updates" and nothing else may follow.
    if problem is None and not last_covers_file and checks[-1].modification_level != "lta updates":
        problem = CHANGED_AFTER_LAST
    return VerificationReport(signatures=tuple(checks), ok=problem is None, problem=problem)


def _check_signature(sig: EmbeddedPdfSignature, reader: Any, roots: list[Any], tsa_roots: list[Any],
                     site_crls_der: list[bytes], now: dt.datetime) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp

    field_name = str(sig.field_name)
    meaning = str(sig.sig_object.get("/Reason", "") or "")
    try:
        signer_cert = x509.load_der_x509_certificate(sig.signer_cert.dump())
        summary = certificate_summary(signer_cert.public_bytes(Encoding.PEM))
        signer_name, username = summary.common_name, summary.username
    except Exception:  # a signature whose certificate cannot be read is reported, not raised
        signer_name, username = "an unreadable certificate", None
    is_doc_ts = sig.sig_object_type == "/DocTimeStamp"
    stamped_at = document_timestamp_time(sig) if is_doc_ts else signature_timestamp_time(sig)
    signed_at = stamped_at or _aware(_claimed_time(sig))
    kind = "document timestamp" if is_doc_ts else "signature"
    time_source = "timestamp" if stamped_at else "workstation clock"
    broken: dict[str, Any] = {
        "field_name": field_name, "signer_name": signer_name, "username": username, "signed_at": signed_at,
              "meaning": meaning, "intact": False, "valid": False, "trusted": False, "coverage": "unclear",
              "modification_level": None, "ok": False, "time_source": time_source, "kind": kind}

    if sig.sig_object_type not in ("/Sig", "/DocTimeStamp"):
        return SignatureCheck(**broken, problem="the signature is of an unknown type")
    # A claimed time in the future cannot be used to stretch a certificate's validity.
    moment = min(signed_at, now) if signed_at else now
    signer_context, stamp_context = validation_contexts(
        reader, site_roots=roots, tsa_roots=tsa_roots, site_crls_der=site_crls_der, signer_moment=moment,
        timestamp_moment=stamped_at or now, timestamped=stamped_at is not None)
    try:
        if is_doc_ts:
            status: Any = validate_pdf_timestamp(sig, stamp_context)
        else:
            status = validate_pdf_signature(sig, signer_context, stamp_context)
    except Exception as exc:  # pyHanko raises many types for malformed signatures
        return SignatureCheck(**broken, problem=f"the signature cannot be checked ({_plain(exc)})")

    coverage = status.coverage.name if status.coverage is not None else "UNCLEAR"
    level = status.modification_level
    if is_doc_ts:
        # pyHanko gives a document timestamp no bottom line: intact, valid, trusted, and only allowed changes after.
        ok = bool(status.intact and status.valid and status.trusted and level is not None
                  and getattr(status, "docmdp_ok", None) is not False)
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
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        coverage=_COVERAGE_WORDS.get(coverage, coverage.lower()),
        modification_level=level.name.lower().replace("_", " ") if level is not None else None,
        ok=ok,
        problem=None if ok else _problem_of(status),
        time_source=time_source,
        kind=kind,
    )


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


def _stamp_style(text: str) -> Any:
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    font = _StampFont(text)
    return TextStampStyle(
        stamp_text=STAMP_TEXT,
        timestamp_format=STAMP_TIME_FORMAT,
        # The engine and the text box must share one size, or lines drift (pyHanko issue #733).
        text_box_style=TextBoxStyle(font=font, font_size=STAMP_FONT_SIZE),  # type: ignore[arg-type]  # duck-typed
        border_width=1,
        # Long names shrink to fit the box the layout reserved instead of running past its edge.
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(4),
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
    )


class _StampFont:
    """pyHanko font-engine factory drawing the stamp in DejaVu Sans rescaled to 1000 units per em.

    The base-14 Courier cannot draw "Ł" or Greek, so the stamp embeds a Unicode TrueType font.
    pyHanko 0.38 writes a TrueType font's advance widths into /W in font units, but PDF reads /W
    in thousandths of an em: DejaVu's 2048-unit em made every glyph twice as wide in poppler and
    Adobe.  Subsetting to the characters in use and rescaling to 1000 units costs ~0.1 s and makes
    the numbers agree.
    """

    def __init__(self, text: str) -> None:
        self._text = text

    def create_font_engine(self, writer: Any, obj_stream: Any = None) -> Any:
        from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(_font_for(self._text)),
            font_size=STAMP_FONT_SIZE,
            obj_stream=obj_stream,
        )


# Printable ASCII covers the time-stamp pyHanko formats after this point (digits, zone letters).
_STAMP_ASCII = frozenset(map(chr, range(0x20, 0x7F)))


def _font_for(text: str) -> bytes:
    # Subsetting and rescaling DejaVu costs ~0.2 s of CPU, more than the rest of a signature (bench/RESULTS.md).
    # The result depends only on the set of characters, which for most names is printable ASCII alone,
    # so it is computed once per distinct set and reused.
    return _subset_font(frozenset(text) | _STAMP_ASCII)


@functools.lru_cache(maxsize=32)
def _subset_font(chars: frozenset[str]) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(str(_stamp_font_path()))
    options = subset.Options()
    options.layout_features = ["kern"]
    options.hinting = False  # hinting programs do not survive rescaling, and a stamp needs none
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    scale_upem(font, 1000)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _stamp_font_path() -> Path:
    try:
        font = importlib.resources.files("checklist_app.resources").joinpath("fonts/DejaVuSans.ttf")
        if font.is_file():
            return Path(str(font))
    except ModuleNotFoundError:
        pass
    # A source checkout keeps resources/ beside the package (pyproject maps it in only when installed).
    import checklist_app

    font_path = Path(checklist_app.__file__).resolve().parent.parent / "resources" / "fonts" / "DejaVuSans.ttf"
    if not font_path.is_file():
        raise SigningError("The signature stamp font (DejaVuSans.ttf) is missing from the installation.")
    return font_path


@contextlib.contextmanager
def _quiet_loggers() -> Iterator[None]:
    saved = []
    for name in _NOISY_LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.level))
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in saved:
            logger.setLevel(level)


def _aware(when: dt.datetime | None) -> dt.datetime | None:
    if when is None or when.tzinfo is not None:
        return when
    return when.replace(tzinfo=dt.UTC)  # a PDF date without an offset is read as UTC


def _plain(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text.rstrip(".")


def add_signature_field(pdf: bytes, field_name: str, *, page: int,
                        box: tuple[float, float, float, float]) -> bytes:
    """Reserve an empty, visible signature field (e.g. the reviewer's) before the first signature,
    so a later co-signature fills it in place instead of adding a field after signing."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    with _quiet_loggers():
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        append_signature_field(writer, SigFieldSpec(sig_field_name=field_name, on_page=page,
                                                    box=(round(box[0]), round(box[1]), round(box[2]), round(box[3]))))
        out = io.BytesIO()
        writer.write(out)
    return out.getvalue()
