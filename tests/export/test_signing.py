"""Tests of PDF signing and verification, cross-checked with poppler's pdfsig."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from checklist_app.export import pki
from checklist_app.export.errors import SigningError, VerificationError, WrongPasswordError
from checklist_app.export.signing import sign_pdf
from checklist_app.export.verification import CHANGED_AFTER_LAST, NO_SIGNATURE, verify_pdf

SECRET = b"site secret for tests"
ZOE = "Zoë Łukasiewicz-Ødegård"
SOFIA = "Σοφία Παπαδοπούλου"
MARKER = "readiness-record-marker"
FONT = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "DejaVuSans.ttf"
PREPARED_BOX = (330.0, 60.0, 560.0, 110.0)
REVIEWED_BOX = (330.0, 120.0, 560.0, 170.0)


# --- fixtures: keys are slow to make, so one set per module -------------------------------------


@pytest.fixture(scope="module")
def authority() -> pki.SiteAuthority:
    return pki.new_site_authority("Riverside Spine Centre", SECRET)


@pytest.fixture(scope="module")
def other_authority() -> pki.SiteAuthority:
    return pki.new_site_authority("Some Other Hospital", SECRET)


@pytest.fixture(scope="module")
def nurse(authority: pki.SiteAuthority) -> bytes:
    return pki.issue_user_identity(authority, SECRET, username="zlo", full_name=ZOE, password="nurse-pw")


@pytest.fixture(scope="module")
def charge_nurse(authority: pki.SiteAuthority) -> bytes:
    return pki.issue_user_identity(authority, SECRET, username="spap", full_name=SOFIA, password="charge-pw")


@pytest.fixture(scope="module")
def stranger(other_authority: pki.SiteAuthority) -> bytes:
    # Same name and username as our nurse, but issued by another site's authority.
    return pki.issue_user_identity(other_authority, SECRET, username="zlo", full_name=ZOE, password="x-pw")


@pytest.fixture(scope="module")
def record() -> bytes:
    return _record_pdf()


@pytest.fixture(scope="module")
def signed(record: bytes, nurse: bytes) -> bytes:
    return _prepare(record, nurse)


@pytest.fixture(scope="module")
def cosigned(signed: bytes, charge_nurse: bytes) -> bytes:
    return sign_pdf(
        signed, charge_nurse, "charge-pw", field_name="Reviewed", meaning="Reviewed by",
        signer_name=SOFIA, stamp_box=REVIEWED_BOX,
    )  # fmt: skip


def _prepare(pdf: bytes, p12: bytes, password: str = "nurse-pw", **kwargs: Any) -> bytes:
    return sign_pdf(
        pdf, p12, password, field_name="Prepared", meaning="Prepared by", signer_name=ZOE,
        stamp_box=PREPARED_BOX, **kwargs,
    )  # fmt: skip


def _record_pdf() -> bytes:
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT)))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(MARKER)
    pdf.setFont("DejaVuSans", 12)
    pdf.drawString(72, 760, "Pre-procedure readiness checklist")
    pdf.drawString(72, 740, f"Nurse: {ZOE}")
    pdf.drawString(72, 720, f"Charge nurse: {SOFIA}")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _signed_ranges(pdf: bytes) -> list[tuple[int, int, int, int]]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf))
    return [tuple(int(x) for x in s.sig_object["/ByteRange"]) for s in reader.embedded_signatures]  # type: ignore[misc]


def _flip_byte_in_first_signed_range(pdf: bytes) -> bytes:
    index = pdf.index(MARKER.encode()) + 3
    start, length, _, _ = _signed_ranges(pdf)[0]
    assert start <= index < start + length, "the flipped byte must lie inside the signed range"
    data = bytearray(pdf)
    data[index] ^= 0x01
    return bytes(data)


def _append_unsigned_update(pdf: bytes) -> bytes:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    info_ref = writer.trailer.raw_get("/Info")
    info = info_ref.get_object()
    info[generic.NameObject("/Title")] = generic.TextStringObject("changed after signing")
    writer.mark_update(info_ref)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdfsig(pdf: bytes, tmp_path: Path) -> str:
    exe = shutil.which("pdfsig")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("pdfsig is missing: CI must install poppler-utils (apt-get install -y poppler-utils)")
        pytest.skip("pdfsig not installed (apt-get install -y poppler-utils)")
    path = tmp_path / "record.pdf"
    path.write_bytes(pdf)
    # pdfsig exits 0 even for a broken signature, so only its text says anything.
    result = subprocess.run([exe, str(path)], capture_output=True, check=False, timeout=60)
    return result.stdout.decode("utf-8", "replace")


def _stamp_font_widths(pdf: bytes, field_name: str) -> list[int]:
    """Every advance width declared in /W by the Type0 fonts of one signature's appearance."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf))
    sig = next(s for s in reader.embedded_signatures if s.field_name == field_name)
    widths: list[int] = []

    def collect(resources: Any) -> None:
        for font in resources.get("/Font", {}).values():
            for descendant in font.get_object().get("/DescendantFonts", []):
                for entry in descendant.get_object()["/W"]:
                    if isinstance(entry, list):
                        widths.extend(int(w) for w in entry)
        for xobject in resources.get("/XObject", {}).values():
            collect(xobject.get_object().get("/Resources", {}))

    collect(sig.sig_field["/AP"]["/N"]["/Resources"])
    return widths


# --- signing ------------------------------------------------------------------------------------


def test_wrong_password_raises_and_signs_nothing(record: bytes, nurse: bytes) -> None:
    """A mistyped password is a WrongPasswordError; no signed file comes out."""
    result = None
    with pytest.raises(WrongPasswordError):
        result = _prepare(record, nurse, password="nurse-PW")
    assert result is None
    assert verify_pdf(record, []).problem == NO_SIGNATURE


def test_signed_once_verifies(signed: bytes, authority: pki.SiteAuthority) -> None:
    """One signature by our nurse: valid, trusted, covering the whole file."""
    report = verify_pdf(signed, [authority.cert_pem])
    assert report.ok, report.lines()
    (check,) = report.signatures
    assert (check.field_name, check.signer_name, check.username, check.meaning) == (
        "Prepared",
        ZOE,
        "zlo",
        "Prepared by",
    )
    assert check.intact and check.valid and check.trusted and check.coverage == "entire file"
    assert check.signed_at is not None and check.signed_at.tzinfo is not None
    assert abs(check.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=10)
    lines = report.lines()
    assert lines[0].startswith(f"Signed by {ZOE} (zlo) as Prepared by at ")
    assert lines[0].endswith("— VALID")
    assert lines[-1].startswith("Verdict: VALID")


def test_cosigned_keeps_the_first_signature_and_verifies(
    signed: bytes, cosigned: bytes, authority: pki.SiteAuthority
) -> None:
    """The reviewer's co-signature is an incremental update; both signers are listed in order."""
    assert cosigned.startswith(signed)
    report = verify_pdf(cosigned, [authority.cert_pem])
    assert report.ok, report.lines()
    assert [(c.signer_name, c.username, c.meaning) for c in report.signatures] == [
        (ZOE, "zlo", "Prepared by"),
        (SOFIA, "spap", "Reviewed by"),
    ]
    first, last = report.signatures
    assert first.coverage == "entire revision" and first.modification_level == "form filling"
    assert last.coverage == "entire file"
    assert [line.split(" as ")[0] for line in report.lines()[:2]] == [
        f"Signed by {ZOE} (zlo)",
        f"Signed by {SOFIA} (spap)",
    ]


def test_certified_record_can_still_be_cosigned(
    record: bytes, nurse: bytes, charge_nurse: bytes, authority: pki.SiteAuthority
) -> None:
    """A certifying first signature permits the reviewer's signature and nothing else."""
    certified = _prepare(record, nurse, certify=True)
    both = sign_pdf(certified, charge_nurse, "charge-pw", field_name="Reviewed", meaning="Reviewed by",
                    signer_name=SOFIA)  # fmt: skip
    assert verify_pdf(both, [authority.cert_pem]).ok
    assert not verify_pdf(_append_unsigned_update(both), [authority.cert_pem]).ok


def test_signs_an_empty_field_the_layout_made(record: bytes, nurse: bytes, authority: pki.SiteAuthority) -> None:
    """A field pre-created by the layout is filled in place, keeping its rectangle; it cannot be signed twice."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields

    writer = IncrementalPdfFileWriter(io.BytesIO(record))
    fields.append_signature_field(writer, fields.SigFieldSpec("Prepared", on_page=0, box=(72, 72, 300, 130)))
    out = io.BytesIO()
    writer.write(out)

    signed = sign_pdf(out.getvalue(), nurse, "nurse-pw", field_name="Prepared", meaning="Prepared by",
                      signer_name=ZOE, stamp_box=(1, 1, 2, 2))  # fmt: skip
    report = verify_pdf(signed, [authority.cert_pem])
    assert report.ok, report.lines()
    reader = PdfFileReader(io.BytesIO(signed))
    assert [name for name, *_ in fields.enumerate_sig_fields(reader)] == ["Prepared"]
    rect = [float(x) for x in reader.embedded_signatures[0].sig_field["/Rect"]]
    assert rect == [72, 72, 300, 130]
    with pytest.raises(SigningError, match="already signed"):
        sign_pdf(signed, nurse, "nurse-pw", field_name="Prepared", meaning="Prepared by", signer_name=ZOE)


def test_invisible_signature_has_no_stamp(record: bytes, nurse: bytes, authority: pki.SiteAuthority) -> None:
    """Without a stamp box the signature field has an empty rectangle."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    signed = sign_pdf(record, nurse, "nurse-pw", field_name="Prepared", meaning="Prepared by", signer_name=ZOE)
    assert verify_pdf(signed, [authority.cert_pem]).ok
    rect = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0].sig_field["/Rect"]
    assert [float(x) for x in rect] == [0, 0, 0, 0]


def test_stamp_font_widths_are_in_thousandths_of_an_em(cosigned: bytes) -> None:
    """Guards the DejaVu rescaling: raw 2048-unit widths made poppler draw every glyph twice as wide."""
    for field in ("Prepared", "Reviewed"):
        widths = _stamp_font_widths(cosigned, field)
        assert widths, f"the {field} stamp embeds no Unicode font"
        assert max(widths) <= 1100


def test_unreadable_document_is_a_signing_error(nurse: bytes) -> None:
    """A damaged input PDF gives one plain sentence, not a pyHanko traceback."""
    with pytest.raises(SigningError, match="could not be signed"):
        sign_pdf(b"%PDF-1.4 not really", nurse, "nurse-pw", field_name="Prepared", meaning="Prepared by",
                 signer_name=ZOE)  # fmt: skip


def test_expired_identity_cannot_sign(record: bytes, authority: pki.SiteAuthority) -> None:
    """Signing with an expired certificate would make an invalid record, so it is refused up front."""
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=2 * 366)
    old = pki.issue_user_identity(authority, SECRET, username="old", full_name="Old Timer", password="pw",
                                  valid_years=1, now=long_ago)  # fmt: skip
    with pytest.raises(SigningError, match="expired"):
        sign_pdf(record, old, "pw", field_name="Prepared", meaning="Prepared by", signer_name="Old Timer")


# --- verification failures ----------------------------------------------------------------------


def test_flipped_byte_in_signed_range_is_not_ok(signed: bytes, authority: pki.SiteAuthority) -> None:
    """One changed byte breaks the signature, although the CMS 'valid' flag alone stays True."""
    report = verify_pdf(_flip_byte_in_first_signed_range(signed), [authority.cert_pem])
    assert not report.ok
    (check,) = report.signatures
    assert not check.intact and not check.ok
    assert check.problem == "the document was changed after this signature was made"
    assert "INVALID" in report.lines()[0] and report.lines()[-1].startswith("Verdict: NOT VALID")


def test_tampered_file_gives_a_structured_invalid_signature(signed: bytes, authority: pki.SiteAuthority) -> None:
    """The structured result names the tampered signature: valid=False by pyHanko's bottom line, with its problem."""
    report = verify_pdf(_flip_byte_in_first_signed_range(signed), [authority.cert_pem])
    (check,) = report.signatures
    assert (check.signer_name, check.username, check.meaning) == (ZOE, "zlo", "Prepared by")
    assert check.signed_at is not None and check.signed_at.tzinfo is not None
    assert not check.valid and check.sound  # pyHanko's own `valid` stays True; the verdict does not
    assert check.problem == "the document was changed after this signature was made"
    assert not report.ok and report.last_covers_file
    assert report.problem == f"signature Prepared by {ZOE}: {check.problem}"


def test_unsigned_incremental_update_after_last_signature_is_not_ok(
    cosigned: bytes, authority: pki.SiteAuthority
) -> None:
    """An update appended after the last signature fails the file even where pyHanko tolerates it."""
    report = verify_pdf(_append_unsigned_update(cosigned), [authority.cert_pem])
    assert not report.ok
    assert report.problem == CHANGED_AFTER_LAST
    assert report.lines()[-1] == f"Verdict: NOT VALID — {CHANGED_AFTER_LAST}."


def test_raw_bytes_appended_after_last_signature_are_not_ok(signed: bytes, authority: pki.SiteAuthority) -> None:
    """Even a comment appended after %%EOF means the file is not what was signed."""
    report = verify_pdf(signed + b"\n% appended later\n", [authority.cert_pem])
    assert not report.ok
    assert report.problem == CHANGED_AFTER_LAST


def test_signature_from_another_sites_authority_is_untrusted(
    record: bytes, stranger: bytes, authority: pki.SiteAuthority, other_authority: pki.SiteAuthority
) -> None:
    """Same name, same username, intact signature, wrong authority: not OK."""
    forged = _prepare(record, stranger, password="x-pw")
    report = verify_pdf(forged, [authority.cert_pem])
    assert not report.ok
    (check,) = report.signatures
    assert check.intact and not check.trusted
    assert check.problem == "the signer's certificate was not issued by a trusted signing authority"
    assert verify_pdf(forged, [authority.cert_pem, other_authority.cert_pem]).ok


def test_pyhanko_log_noise_stays_out_of_the_output(
    record: bytes, stranger: bytes, authority: pki.SiteAuthority, caplog: pytest.LogCaptureFixture
) -> None:
    """pyHanko logs tracebacks for untrusted certificates; the user sees only the report."""
    forged = _prepare(record, stranger, password="x-pw")
    pyhanko_logger = logging.getLogger("pyhanko")
    level_before = pyhanko_logger.level
    with caplog.at_level(logging.DEBUG):
        verify_pdf(forged, [authority.cert_pem])
    assert [r for r in caplog.records if r.name.startswith(("pyhanko", "fontTools"))] == []
    assert pyhanko_logger.level == level_before


def test_no_signature(record: bytes, authority: pki.SiteAuthority) -> None:
    """An unsigned PDF is not OK, and says why."""
    report = verify_pdf(record, [authority.cert_pem])
    assert not report.ok and report.signatures == ()
    assert report.problem == NO_SIGNATURE
    assert report.lines() == [f"Verdict: NOT VALID — {NO_SIGNATURE}."]


@pytest.mark.parametrize(
    "mangle",
    [lambda pdf: b"Hello, this is a text file", lambda pdf: pdf[: len(pdf) // 2], lambda pdf: pdf[:-200]],
    ids=["not-a-pdf", "half", "tail-cut"],
)
def test_unreadable_file_raises_verification_error(signed: bytes, mangle: Any) -> None:
    """Garbage and truncated files give one plain sentence, not a traceback."""
    with pytest.raises(VerificationError) as error:
        verify_pdf(mangle(signed), [])
    message = str(error.value)
    assert message and "\n" not in message and "Traceback" not in message


def test_damaged_trust_root_is_a_verification_error(signed: bytes) -> None:
    with pytest.raises(VerificationError, match="damaged"):
        verify_pdf(signed, [b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"])


# --- independent check with poppler -------------------------------------------------------------


def test_pdfsig_agrees_with_verify(cosigned: bytes, signed: bytes, tmp_path: Path) -> None:
    """Valid for our files, Digest Mismatch for a flipped byte, partial coverage for an appended update."""
    text = _pdfsig(cosigned, tmp_path)
    assert text.count("Signature Validation: Signature is Valid.") == 2, text
    assert "ETSI.CAdES.detached" in text
    assert f"Signer Certificate Common Name: {ZOE}" in text
    assert f"Signer Certificate Common Name: {SOFIA}" in text
    # Only the last signature covers the whole file.
    assert text.count("Total document signed") == 1 and text.rindex("Total document signed") > text.index(SOFIA)

    flipped = _pdfsig(_flip_byte_in_first_signed_range(signed), tmp_path)
    assert "Digest Mismatch" in flipped and "Signature is Valid" not in flipped, flipped

    appended = _pdfsig(_append_unsigned_update(cosigned), tmp_path)
    assert appended.count("Signature is Valid.") == 2 and "Total document signed" not in appended, appended
