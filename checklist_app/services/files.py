"""Atomic file writes: a crash or a full disk never leaves a half-written PDF where the old one was."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def display_copy(pdf: bytes) -> bytes:
    """The PDF as people should see and print it (signature stamps drawn in); never saved as the record."""
    from ..export.display_copy import flattened_for_display

    return flattened_for_display(pdf)


def write_atomically(path: str | Path, data: bytes) -> None:
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def paper_copy(pdf: bytes, stamp: str, last_page_note: str = "") -> bytes:
    """The display copy with the print stamp and the signers' line drawn in as text, for a print system that
    renders PDF itself; never saved as the record."""
    from ..export.display_copy import paper_copy as stamped

    return stamped(pdf, stamp, last_page_note)
