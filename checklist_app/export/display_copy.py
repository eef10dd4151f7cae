"""A copy of a signed PDF for screens and paper, with the signature stamps drawn into the pages."""

from __future__ import annotations

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
