"""The printable record PDF: render a RecordDocument (see pdf_document) into a RenderedPdf with signature slots."""

from __future__ import annotations

from .pdf_document import LETTER, RecordDocument, RenderedPdf

# This module must stay importable without reportlab: reportlab (pdf_layout, pdf_parts) is only
# imported when a PDF is actually rendered.


def render_record_pdf(doc: RecordDocument, *, page_size: tuple[float, float] = LETTER) -> RenderedPdf:
    """Render the record as PDF bytes; byte-identical for the same input (no clock, no random ids)."""
    from .pdf_layout import build_pdf  # reportlab is imported only here, when a PDF is wanted

    pdf, slots = build_pdf(doc, page_size)
    return RenderedPdf(pdf=pdf, signature_fields=slots)
