"""A copy of a signed PDF for screens and paper, with the signature stamps drawn into the pages."""

from __future__ import annotations

import contextlib
import io


def flattened_for_display(pdf: bytes) -> bytes:
    """Every annotation's appearance (the visible signature stamps) drawn into its page.

    Qt's PDF engine does not draw form widgets, so without this the preview and the printout show empty
    signature boxes. Flattening changes the bytes and so breaks the signatures: this copy is only ever shown
    or printed; the signed file is what is saved, exported and verified. Falls back to the original bytes
    when the file cannot be flattened (the view is then as before, never an error)."""
    try:
        import pikepdf  # lazily: only when a PDF is shown or printed

        with pikepdf.open(io.BytesIO(pdf)) as document:
            document.flatten_annotations(mode="print")
            out = io.BytesIO()
            document.save(out)
        return out.getvalue()
    except Exception:  # a damaged or unusual file: show it as it is rather than nothing
        return pdf


STAMP_POINT_SIZE = 7.0
_STAMP_BOTTOM_PT = 10.0  # inside the record's bottom margin, under its footer, as the raster printout puts it


def paper_copy(pdf: bytes, stamp: str, last_page_note: str = "") -> bytes:
    """The display copy with `stamp` ("Printed by … at …") under every page and `last_page_note` (the signers as
    checked) above it on the last page, as vector text: what goes to a print system that renders PDF itself."""
    import pikepdf
    from reportlab.pdfgen.canvas import Canvas

    from .pdf_style import FONT, register_fonts

    register_fonts()
    # The overlays stay open until the record is saved: qpdf copies their page streams lazily.
    with contextlib.ExitStack() as keep, pikepdf.open(io.BytesIO(flattened_for_display(pdf))) as document:
        last = len(document.pages) - 1
        for index, page in enumerate(document.pages):
            box = page.mediabox
            width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
            out = io.BytesIO()
            canvas = Canvas(out, pagesize=(width, height))
            canvas.setFont(FONT, STAMP_POINT_SIZE)
            canvas.setFillColorRGB(0.2, 0.2, 0.2)
            lines = [line for line in ((last_page_note if index == last else ""), stamp) if line]
            for n, line in enumerate(reversed(lines)):
                canvas.drawRightString(width - 36, _STAMP_BOTTOM_PT + n * (STAMP_POINT_SIZE + 2), line)
            canvas.save()
            overlay = keep.enter_context(pikepdf.open(io.BytesIO(out.getvalue())))
            page.add_overlay(overlay.pages[0], pikepdf.Rectangle(page.mediabox))
        result = io.BytesIO()
        document.save(result)
    return result.getvalue()
