"""The record binding: which record, version and content a PDF is, and the audit chain head at signing.

The binding is an associated file of the PDF/A archive (`record-binding.json`, beside the record JSON), embedded
before the first signature, so that signature covers it: a validly signed PDF of another record, or of another
version of this one, names that other record and is caught by `records verify`; the chain head is an anchor
outside the database for `audit verify --anchors`. It is read back from the revision the first signature
covers, never from later updates of the file. (Not XMP: a custom XMP namespace needs a PDF/A extension schema,
which pikepdf's PDF/A validator does not accept.)
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

from checklist_app.export.errors import VerificationError

BINDING_NAME = "record-binding.json"
_FIELDS = ("record_id", "version", "content_sha256", "audit_seq", "audit_hash")
_MAX_BYTES = 4096  # five short fields; anything larger is not ours


@dataclass(frozen=True, slots=True)
class RecordBinding:
    """What the first signature of a record PDF vouches for besides the page content."""

    record_id: str
    version: int  # 1 for an original record, n + 1 for the amendment of version n
    content_sha256: str
    audit_seq: int  # the audit chain head when the PDF was signed: entry number ...
    audit_hash: str  # ... and its hash


def binding_file(binding: RecordBinding) -> dict[str, bytes]:
    """The binding as the associated file `make_pdfa` embeds (name -> canonical JSON bytes)."""
    data = {name: getattr(binding, name) for name in _FIELDS}
    return {BINDING_NAME: json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8")}


def first_signed_revision(pdf: bytes) -> bytes | None:
    """The bytes the earliest signature covers (the file up to the end of its byte range); None if unsigned."""
    import pikepdf

    ends: list[int] = []
    try:
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            form = doc.Root.get("/AcroForm")
            for field in form.get("/Fields", []) if form is not None else []:
                value = field.get("/V")
                if field.get("/FT") != "/Sig" or value is None or "/ByteRange" not in value:
                    continue
                ranges = [int(x) for x in value.ByteRange]
                if len(ranges) == 4:
                    ends.append(ranges[2] + ranges[3])
    except (pikepdf.PdfError, ValueError, TypeError, AttributeError):
        raise VerificationError("The file is damaged or truncated and cannot be read as a PDF.") from None
    if not ends or min(ends) > len(pdf):
        return None
    return pdf[: min(ends)]


def read_binding(pdf: bytes) -> RecordBinding | None:
    """The binding the first signature covers; None when the file has no signature or no (complete) binding."""
    from checklist_app.export.pdfa import embedded_file

    signed = first_signed_revision(pdf)
    if signed is None:
        return None
    raw = embedded_file(signed, BINDING_NAME)
    if raw is None or len(raw) > _MAX_BYTES:
        return None
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or set(data) != set(_FIELDS):
        return None
    record_id, version, sha, seq, head = (data[name] for name in _FIELDS)
    if not (
        all(isinstance(v, str) and v for v in (record_id, sha, head))
        and all(type(v) is int and v >= 0 for v in (version, seq))
    ):
        return None
    return RecordBinding(record_id=record_id, version=version, content_sha256=sha, audit_seq=seq, audit_hash=head)
