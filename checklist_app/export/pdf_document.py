"""The record PDF's document types: what goes in (RecordDocument), what comes out (RenderedPdf), the field names."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from ..domain.forms import FormDefinition
from ..domain.lifecycle import Meaning, Status
from ..domain.readiness import Readiness
from ..domain.records import Record

# This module must stay importable without reportlab: the services build RecordDocument at start-up,
# while reportlab (pdf_layout, pdf_parts) is only imported when a PDF is actually rendered.

# Page sizes in PDF points. US Letter is the default: the app targets US hospitals (CPT 77003
# billing context), where printers are loaded with Letter; A4 is there for sites that need it.
LETTER: tuple[float, float] = (612.0, 792.0)
A4: tuple[float, float] = (595.2755905511812, 841.8897637795277)

MEANINGS = tuple(m.value for m in Meaning)
STATUSES = tuple(s.value for s in Status)

# The two signature fields the layout reserves on the last page (pyHanko stamps go there).
PREPARED_FIELD = Meaning.PREPARED.value
REVIEWED_FIELD = Meaning.REVIEWED.value


class SignatureBlock(BaseModel):
    """The manifestation of one electronic signature: who, as what, when, and what they attested."""

    model_config = ConfigDict(frozen=True)

    meaning: str  # a Meaning value
    meaning_title: str  # "Prepared by", "Reviewed by", "Amended by"
    full_name: str = Field(min_length=1)
    username: str = Field(min_length=1)
    role_title: str
    signed_at: AwareDatetime
    attestation: str
    override_reason: str | None = None  # required by the services when signing a NOT READY record
    override_authorised_by: str | None = None  # ... with the clinician who authorised it (Rules v2)

    @field_validator("meaning")
    @classmethod
    def _known_meaning(cls, value: str) -> str:
        if value not in MEANINGS:
            raise ValueError(f"meaning must be one of {', '.join(MEANINGS)}")
        return str(value)


class RecordDocument(BaseModel):
    """Everything the record PDF shows; built by the services, rendered without any I/O."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    record_id: str = Field(min_length=1)
    status: str  # draft | signed | reviewed | amended
    form: FormDefinition
    record: Record
    readiness: Readiness
    content_sha256: str | None  # canonical-JSON hash frozen at signing; None for a draft
    signatures: tuple[SignatureBlock, ...] = ()
    generated_by: str
    generated_at: AwareDatetime
    supersedes_id: str | None = None
    amendment_reason: str | None = None
    form_note: str | None = None  # a site form that differs from the shipped one says so on every page

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: str) -> str:
        if value not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        return str(value)

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    def signature(self, *meanings: str) -> SignatureBlock | None:
        """The first signature with one of these meanings."""
        return next((s for s in self.signatures if s.meaning in meanings), None)


@dataclass(frozen=True, slots=True)
class SignatureSlot:
    """A reserved, empty rectangle for a visible signature stamp: PDF points (x1, y1, x2, y2), bottom-left origin."""

    page: int  # 0-based
    box: tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class RenderedPdf:
    pdf: bytes
    signature_fields: dict[str, SignatureSlot] = field(default_factory=dict)


def qr_payload(doc: RecordDocument) -> str:
    """What the header QR code encodes: the record id and its content hash (or 'draft')."""
    return f"checklist:{doc.record_id}:{doc.content_sha256 or 'draft'}"
