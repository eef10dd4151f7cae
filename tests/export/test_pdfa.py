"""Tests of the PDF/A-3b archive step on its own: it validates, carries the JSON byte for byte, and looks the same."""

from __future__ import annotations

import hashlib
import io
import subprocess
import tempfile
from datetime import datetime
from functools import cache
from pathlib import Path

import pikepdf
import pytest
from pikepdf import pdfa

from checklist_app.domain.records import canonical_json
from checklist_app.export.pdf import render_record_pdf
from checklist_app.export.pdfa import ArchiveError, embedded_record_json, make_pdfa
from tests.export.test_pdf import NOW, make_doc, poppler, signature


@cache
def _archive() -> tuple[bytes, bytes, str]:
    doc = make_doc(status="signed", signatures=(signature(),))
    layout = render_record_pdf(doc).pdf
    frozen = canonical_json(doc.record)
    return layout, make_pdfa(layout, frozen, record_id=doc.record_id, created=NOW), frozen


def _pages(pdf: bytes) -> list[bytes]:
    """Each page drawn by poppler at 70 dpi, as PNG bytes."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "record.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            [poppler("pdftoppm"), "-png", "-r", "70", str(path), str(Path(folder) / "page")], check=True, timeout=120
        )
        return [p.read_bytes() for p in sorted(Path(folder).glob("page*.png"))]


def test_archive_passes_pikepdf_pdfa3b() -> None:
    _, archive, _ = _archive()
    report = pdfa.validate_written(io.BytesIO(archive), "3b")
    assert report.passed, [f"{f.rule} {f.where}: {f.message}" for f in report.findings]


def test_embedded_json_is_byte_for_byte_the_frozen_canonical_json() -> None:
    _, archive, frozen = _archive()
    data = embedded_record_json(archive)
    assert data == frozen.encode("utf-8")
    assert hashlib.sha256(data).hexdigest() == hashlib.sha256(frozen.encode("utf-8")).hexdigest()


def test_the_archive_looks_exactly_like_the_layout() -> None:
    """PDF/A changes structure and metadata only: every page draws to the same pixels as before."""
    layout, archive, _ = _archive()
    before, after = _pages(layout), _pages(archive)
    assert len(before) == len(after) >= 1
    assert before == after


def test_a_file_without_json_has_none() -> None:
    layout, _, _ = _archive()
    assert embedded_record_json(layout) is None


def test_a_damaged_pdf_is_one_clear_error() -> None:
    with pytest.raises(ArchiveError, match="cannot be read"):
        make_pdfa(b"%PDF-1.7\nnot really", "{}", record_id="r", created=datetime(2026, 1, 1).astimezone())


def test_pdfa_metadata_names_the_record_not_the_patient() -> None:
    """XMP and DocInfo carry the title, author (signer) and subject the layout set; no patient name leaks in."""
    _, archive, _ = _archive()
    with pikepdf.open(io.BytesIO(archive)) as doc:
        xmp = str(doc.open_metadata())
    assert "Jordan Example" not in xmp
    assert "pdfaid:part" in xmp
