"""The archival form of the record PDF: PDF/A-3b with the record's canonical JSON inside as an associated file."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Mapping

from checklist_app.domain.errors import ChecklistError

# The embedded file's name and MIME type; a reader (pdfdetach, Acrobat's attachment pane) lists it under this name.
RECORD_JSON_NAME = "record.json"
RECORD_JSON_MIME = "application/json"
PDFA_FLAVOUR = "3b"


class ArchiveError(ChecklistError):
    """The record PDF could not be made into a PDF/A archive file."""


def make_pdfa(
    pdf: bytes,
    canonical_json: str,
    *,
    record_id: str,
    created: dt.datetime,
    supplements: Mapping[str, bytes] | None = None,
) -> bytes:
    """The record PDF as PDF/A-3b with `canonical_json` embedded as its /Data associated file.

    `supplements` are further JSON files (name -> bytes) embedded as /Supplement associated files, such as the
    record binding: PDF/A allows any associated file, while a custom XMP namespace would need an extension
    schema that pikepdf's validator (an allowlist) does not accept.

    Run before the first signature: pyHanko then appends its signatures as incremental updates, so the
    archived bytes and the embedded JSON are covered by every signature.  The JSON is stored exactly as
    given (UTF-8), so its SHA-256 is the record's content hash.  The result is validated by pikepdf's
    PDF/A validator before it is returned; a file that fails is an error, never a silent non-PDF/A.
    """
    import pikepdf
    from pikepdf import Array, Name
    from pikepdf import pdfa as pikepdf_pdfa

    data = canonical_json.encode("utf-8")
    created_pdf = _pdf_date(created)
    try:
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            _drop_empty_transitions(doc)
            spec = pikepdf.AttachedFileSpec(
                doc, data, description=f"Record {record_id}: canonical JSON, SHA-256 "
                f"{hashlib.sha256(data).hexdigest()}", filename=RECORD_JSON_NAME, mime_type=RECORD_JSON_MIME,
                creation_date=created_pdf, mod_date=created_pdf, relationship=Name.Data,
            )  # fmt: skip
            doc.attachments[RECORD_JSON_NAME] = spec
            extra = dict(supplements or {})
            for name, content in extra.items():
                doc.attachments[name] = pikepdf.AttachedFileSpec(
                    doc,
                    content,
                    description=f"Record {record_id}: {name}",
                    filename=name,
                    mime_type=RECORD_JSON_MIME,
                    creation_date=created_pdf,
                    mod_date=created_pdf,
                    relationship=Name.Supplement,
                )
            # PDF/A-3 6.8: every embedded file is an associated file of some object; the record's data belongs
            # to the document as a whole, so the catalog lists it.
            doc.Root.AF = Array([_filespec_object(doc, name) for name in (RECORD_JSON_NAME, *extra)])
            if "/Trapped" in doc.docinfo:  # no XMP equivalent in PDF/A's schemas; pikepdf would warn and drop it
                del doc.docinfo["/Trapped"]
            with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as meta:
                meta.load_from_docinfo(doc.docinfo)
                meta["xmp:CreateDate"] = created.isoformat()
                meta["xmp:ModifyDate"] = created.isoformat()
            pikepdf_pdfa.prepare(doc, PDFA_FLAVOUR)  # sRGB output intent (pikepdf's own profile), XMP pdfaid
            # prepare() names pikepdf the producer; pyHanko appends its own name to DocInfo's /Producer at every
            # signature but writes only its own into the XMP, so the two would disagree (PDF/A 6.6.3) after the
            # first signature. Naming pyHanko from the start keeps them equal across signatures.
            with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as meta:
                meta["pdf:Producer"] = _producer()
            # No object streams: every object stays readable on its own, so a changed byte in a signed file is
            # reported as a change under the signature instead of a file pyHanko cannot parse at all.
            save_kwargs = pikepdf_pdfa.resolve_save_kwargs(
                PDFA_FLAVOUR, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.disable
            )
            out = io.BytesIO()
            doc.save(out, **save_kwargs)
        # Only the written bytes count: validate them, not the document in memory.
        final = pikepdf_pdfa.validate_written(io.BytesIO(out.getvalue()), PDFA_FLAVOUR, save_kwargs)
        if not final.passed:
            raise pikepdf_pdfa.PdfaError(final)
    except pikepdf_pdfa.PdfaError as exc:
        raise ArchiveError(f"The record could not be made PDF/A-{PDFA_FLAVOUR}: {_first_finding(exc)}") from None
    except pikepdf.PdfError as exc:
        raise ArchiveError(f"The record PDF cannot be read: {exc}") from None
    return out.getvalue()


def embedded_record_json(pdf: bytes) -> bytes | None:
    """The bytes of the embedded record JSON, or None when the file carries none."""
    return embedded_file(pdf, RECORD_JSON_NAME)


def embedded_file(pdf: bytes, name: str) -> bytes | None:
    """The bytes of the embedded file `name`, or None when the file carries none (or cannot be read)."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            spec = doc.attachments.get(name)
            return None if spec is None else bytes(spec.get_file().read_bytes())
    except pikepdf.PdfError:
        return None


def _filespec_object(doc: object, name: str) -> object:
    import pikepdf

    assert isinstance(doc, pikepdf.Pdf)
    names = doc.Root.Names.EmbeddedFiles.Names
    for i in range(0, len(names), 2):
        if str(names[i]) == name:
            return names[i + 1]
    raise ArchiveError(f"The embedded {name} went missing while the archive was built.")


def _drop_empty_transitions(doc: object) -> None:
    """reportlab writes an empty /Trans dictionary on every page; PDF/A's allowlist rejects the unknown key."""
    import pikepdf

    assert isinstance(doc, pikepdf.Pdf)
    for page in doc.pages:
        trans = page.obj.get("/Trans")
        if isinstance(trans, pikepdf.Dictionary) and len(trans.keys()) == 0:
            del page.obj["/Trans"]


def _producer() -> str:
    # pyHanko rewrites /Producer to its own vendor string when it signs; starting with that string keeps DocInfo
    # and XMP in agreement after the signature (PDF/A 6.6.3), which pyHanko does not do itself.
    from pyhanko.pdf_utils.metadata.model import VENDOR

    return str(VENDOR)


def _pdf_date(when: dt.datetime) -> str:
    when = when.astimezone(dt.UTC)
    return when.strftime("D:%Y%m%d%H%M%SZ")


def _first_finding(exc: Exception) -> str:
    report = getattr(exc, "report", None)
    findings = list(getattr(report, "findings", []) or [])
    if not findings:
        return str(exc)
    first = findings[0]
    return f"{getattr(first, 'rule', '')} {getattr(first, 'message', first)}".strip()
