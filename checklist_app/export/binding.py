"""The record binding: which record, version and content a PDF is, and the audit chain head at signing (XMP).

The binding is written into the PDF's XMP metadata before the first signature, so that signature covers it:
a validly signed PDF of another record, or of another version of this one, names that other record and is
caught by `records verify`; the chain head is an anchor outside the database for `audit verify --anchors`.
It is read back from the revision the first signature covers, never from later updates of the file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from checklist_app.export.errors import VerificationError

# A custom XMP schema of this app (a URN: the namespace names, it is never fetched).
NAMESPACE = "urn:checklist-app:xmp:record-binding:1/"
PREFIX = "clrb"
_FIELDS = ("recordId", "recordVersion", "contentSha256", "auditSeq", "auditHash")


@dataclass(frozen=True, slots=True)
class RecordBinding:
    """What the first signature of a record PDF vouches for besides the page content."""

    record_id: str
    version: int  # 1 for an original record, n + 1 for the amendment of version n
    content_sha256: str
    audit_seq: int  # the audit chain head when the PDF was signed: entry number ...
    audit_hash: str  # ... and its hash


def _key(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def bind_pdf(pdf: bytes, binding: RecordBinding) -> bytes:
    """The PDF with the binding in its XMP metadata (other XMP properties are kept)."""
    import pikepdf
    from pikepdf.models.metadata import PdfMetadata

    PdfMetadata.register_xml_namespace(NAMESPACE, PREFIX)
    values = (binding.record_id, str(binding.version), binding.content_sha256, str(binding.audit_seq),
              binding.audit_hash)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        with doc.open_metadata(set_pikepdf_as_editor=False) as meta:
            for name, value in zip(_FIELDS, values, strict=True):
                meta[_key(name)] = value
        out = io.BytesIO()
        doc.save(out)
    return out.getvalue()


def first_signed_revision(pdf: bytes) -> bytes | None:
    """The bytes the earliest signature covers (the file up to the end of its byte range); None if unsigned."""
    import pikepdf

    ends: list[int] = []
    try:
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            form = doc.Root.get("/AcroForm")
            for field in (form.get("/Fields", []) if form is not None else []):
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
    return pdf[:min(ends)]


def read_binding(pdf: bytes) -> RecordBinding | None:
    """The binding the first signature covers; None when the file has no signature or no (complete) binding."""
    import pikepdf

    signed = first_signed_revision(pdf)
    if signed is None:
        return None
    try:
        with pikepdf.open(io.BytesIO(signed)) as doc:
            meta = doc.open_metadata()
            values = [meta.get(_key(name)) for name in _FIELDS]
    except (pikepdf.PdfError, ValueError, TypeError, AttributeError):
        return None
    if any(not isinstance(v, str) or not v for v in values):
        return None
    record_id, version, sha, seq, head = (str(v) for v in values)
    if not (version.isdigit() and seq.isdigit()):
        return None
    return RecordBinding(record_id=record_id, version=int(version), content_sha256=sha, audit_seq=int(seq),
                         audit_hash=head)
