"""The signed record is a PDF/A-3b archive that carries its own canonical JSON, checked with tools no one here wrote.

pikepdf's PDF/A validator (an allowlist built from veraPDF's rule texts) checks the archive as it was before the
first signature, which is byte for byte the start of every signed file; it declines signed files outright
(/AcroForm, /Perms and signature widgets are outside its allowlist), so for those it checks everything else.
qpdf checks the structure, poppler extracts the JSON, lists the fonts and draws the pages.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pikepdf import pdfa

from checklist_app.export.binding import BINDING_NAME
from checklist_app.export.pdfa import RECORD_JSON_NAME, embedded_record_json
from tests.helpers.world import World


def tool(name: str, package: str) -> str:
    """Path of an external checker: a hard failure in CI when missing, skipped (with the reason) elsewhere."""
    exe = shutil.which(name)
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: CI must install {package} (scripts/setup --test)")
        pytest.skip(f"{name} not installed (apt-get install -y {package})")
    return exe


def first_revision(pdf: bytes) -> bytes:
    """The file as it was before any incremental update: up to and including its first %%EOF line."""
    end = pdf.index(b"%%EOF") + len(b"%%EOF")
    return pdf[: end + 1] if pdf[end : end + 1] == b"\n" else pdf[:end]


def without_signature_machinery(pdf: bytes) -> pikepdf.Pdf:
    """The signed file less what pikepdf's validator does not cover (the form, its widgets, DocMDP, ESIC)."""
    doc = pikepdf.open(io.BytesIO(pdf))
    for key in ("/AcroForm", "/Perms"):
        del doc.Root[key]
    if "/Extensions" in doc.Root and "/ESIC" in doc.Root.Extensions:
        del doc.Root.Extensions["/ESIC"]
        if not doc.Root.Extensions.keys():
            del doc.Root["/Extensions"]
    for page in doc.pages:
        annots = page.obj.get("/Annots")
        if annots is not None:
            kept = [a for a in annots if a.get("/FT") != "/Sig"]
            if kept:
                page.obj.Annots = pikepdf.Array(kept)
            else:
                del page.obj["/Annots"]
    return doc


@pytest.fixture(scope="module")
def cosigned(world: World) -> tuple[str, bytes, bytes]:
    """(record id, PDF after the nurse's signature, PDF after the charge nurse's co-signature)."""
    case = world.signed_case()
    signed = world.svc.store.records.latest_pdf(case.record_id).pdf
    world.svc.documents.co_sign(world.user("charge"), world.password("charge"), case.record_id)
    return case.record_id, signed, world.svc.store.records.latest_pdf(case.record_id).pdf


def test_archive_before_signing_passes_pikepdf_pdfa3b(cosigned: tuple[str, bytes, bytes]) -> None:
    """What pyHanko signed is a PDF/A-3b file: pikepdf's validator approves the first revision."""
    _, signed, _ = cosigned
    report = pdfa.validate_written(io.BytesIO(first_revision(signed)), "3b")
    assert report.passed, [f"{f.rule} {f.where}: {f.message}" for f in report.findings]


@pytest.mark.parametrize("which", [1, 2], ids=["signed", "co-signed"])
def test_signed_files_keep_pdfa_apart_from_the_signatures(cosigned: tuple[str, bytes, bytes], which: int) -> None:
    """Each signature is an incremental update on the archive, and besides the signatures themselves the signed
    file still passes PDF/A-3b (XMP, output intent, fonts, the associated file) and declares it."""
    _, signed, _ = cosigned
    pdf = cosigned[which]
    archive = first_revision(signed)
    assert pdf.startswith(archive)
    report = pdfa.check(without_signature_machinery(pdf), "3b")
    assert report.passed, [f"{f.rule} {f.where}: {f.message}" for f in report.findings]
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        meta = doc.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("3", "B")
        # 6.6.3: DocInfo and XMP must agree; pyHanko rewrites both at every signature.
        assert str(doc.docinfo["/Producer"]) == meta["pdf:Producer"]
        assert str(doc.docinfo["/Title"]) == meta["dc:title"]
        intents = doc.Root.OutputIntents
        assert len(intents) == 1 and intents[0].S == "/GTS_PDFA1"
        assert str(intents[0].OutputConditionIdentifier) == "sRGB"
        assert intents[0].DestOutputProfile.read_bytes()[16:20] == b"RGB "  # ICC header: data colour space


@pytest.mark.parametrize("which", [1, 2], ids=["signed", "co-signed"])
def test_qpdf_and_pdffonts_accept_signed_files(cosigned: tuple[str, bytes, bytes], which: int, tmp_path: Path) -> None:
    """qpdf finds no structural error, and poppler reports every font (layout and stamps) embedded."""
    path = tmp_path / "record.pdf"
    path.write_bytes(cosigned[which])
    for pdf_path in (path,):
        checked = subprocess.run(
            [tool("qpdf", "qpdf"), "--check", str(pdf_path)], capture_output=True, text=True, timeout=60, check=False
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "No syntax or stream encoding errors found" in checked.stdout
    fonts = subprocess.run(
        [tool("pdffonts", "poppler-utils"), str(path)], capture_output=True, text=True, timeout=60, check=True
    ).stdout.splitlines()[2:]
    assert fonts, "the record uses fonts"
    for line in fonts:
        assert line.split()[-5] == "yes", f"font not embedded: {line}"


def test_pdfdetach_extracts_the_frozen_json(world: World, cosigned: tuple[str, bytes, bytes], tmp_path: Path) -> None:
    """poppler's pdfdetach gets record.json out of the co-signed file; it is the frozen canonical JSON and its
    SHA-256 is the record's content hash."""
    record_id, _, pdf = cosigned
    row = world.svc.store.records.get(record_id)
    path = tmp_path / "record.pdf"
    path.write_bytes(pdf)
    listed = subprocess.run(
        [tool("pdfdetach", "poppler-utils"), "-list", str(path)], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    numbers = [line.split(":")[0] for line in listed.splitlines() if line.endswith(f": {RECORD_JSON_NAME}")]
    assert len(numbers) == 1, listed
    out = tmp_path / "out.json"
    subprocess.run(
        [tool("pdfdetach", "poppler-utils"), "-save", numbers[0].strip(), "-o", str(out), str(path)],
        check=True,
        timeout=60,
    )
    data = out.read_bytes()
    assert data == row.canonical_json.encode("utf-8")
    assert hashlib.sha256(data).hexdigest() == row.content_sha256
    assert embedded_record_json(pdf) == data


def test_embedded_json_is_an_associated_data_file(cosigned: tuple[str, bytes, bytes]) -> None:
    """PDF/A-3 wants each embedded file listed in the catalog's /AF with its relationship and MIME type: the
    record JSON as the document's data, the record binding as a supplement."""
    _, _, pdf = cosigned
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        specs = {str(spec.UF): spec for spec in doc.Root.AF}
        assert set(specs) == {RECORD_JSON_NAME, BINDING_NAME}
        assert specs[RECORD_JSON_NAME].AFRelationship == "/Data"
        assert specs[BINDING_NAME].AFRelationship == "/Supplement"
        assert all(spec.EF.F.Subtype == "/application/json" for spec in specs.values())


def test_cosigned_archive_still_verifies(world: World, cosigned: tuple[str, bytes, bytes]) -> None:
    """The PDF/A step does not get in the way of the incremental co-signature: both hold, the file is unchanged."""
    record_id, _, pdf = cosigned
    report = world.svc.documents.verify_pdf_bytes(pdf)
    assert report.ok, report.lines()
    assert [s.field_name for s in report.signatures] == ["prepared", "reviewed"]
    ok, lines = world.svc.documents.verify(record_id)
    assert ok, lines
