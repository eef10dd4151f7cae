"""Tests of the record PDF: text a reader extracts, fonts, watermark, footers, signature boxes, determinism."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import Any

import pytest
from pydantic import ValidationError

from checklist_app.domain.forms import FormDefinition
from checklist_app.domain.readiness import evaluate
from checklist_app.domain.records import parse_record
from checklist_app.export.pdf import render_record_pdf
from checklist_app.export.pdf_document import A4, RecordDocument, RenderedPdf, SignatureBlock
from checklist_app.services.catalog import load_form

ZOE = "Zoë Łukasiewicz-Ødegård"
SOFIA = "Σοφία Παπαδοπούλου"
WATERMARK = "DRAFT – NOT VALID FOR PROCEDURE"
EST = timezone(timedelta(hours=-5))
NOW = datetime(2026, 11, 24, 8, 0, tzinfo=EST)
ATTESTATION = "I attest that this record is true and complete."
CHECKS = (
    "patient.two_identifiers",
    "consent.signed",
    "procedure.verified",
    "site.marked",
    "imaging.reviewed",
    "allergies.reviewed",
    "infection.absent",
    "vitals.recorded",
    "personnel.proceduralist",
    "personnel.radiologic_technologist",
    "personnel.nurse",
    "setting.fluoroscopy_ready",
    "setting.radiation_protection",
    "setting.resuscitation_ready",
)


@cache
def form() -> FormDefinition:
    return load_form("fluoro-spine-injection")


def poppler(tool: str) -> str:
    """Path of a poppler tool; skipped locally when missing, but a hard failure in CI."""
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} (poppler-utils) is required in CI")
        pytest.skip(f"{tool} not installed (apt-get install poppler-utils)")
    return path


def run(tool: str, *args: str, pdf: bytes) -> str:
    """Run a poppler tool on the PDF (from a temporary file: not every tool reads stdin)."""
    exe = poppler(tool)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "record.pdf")
        with open(path, "wb") as handle:
            handle.write(pdf)
        extra = ["-"] if tool == "pdftotext" else []
        result = subprocess.run([exe, *args, path, *extra], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def text(pdf: bytes, page: int | None = None) -> str:
    args = ["-f", str(page), "-l", str(page)] if page else []
    return run("pdftotext", "-enc", "UTF-8", *args, pdf=pdf)


def flat(value: str) -> str:
    """Whitespace folded: a table cell wraps its text, a reader does not care where."""
    return " ".join(value.split())


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))


def answers(overrides: dict[str, Any], by: str = "rnurse") -> dict[str, Any]:
    values: dict[str, Any] = {item: "met" for item in CHECKS}
    values.update(
        {
            "contrast.prior_reaction": "no",
            "sedation.planned": "no",
            "anticoagulants": [],
            "bleeding_risk.elevated": "no",
            "diabetes.present": "no",
            "neuro.baseline_documented": "met",
            "steroid.planned": "dexamethasone",
            "personnel.proceduralist": {"value": "met", "note": "Dr. Rivera"},
        }
    )
    values.update(overrides)
    return {
        k: {
            "by": by,
            "at": "2026-11-24T07:30:00-05:00",
            **(v if isinstance(v, dict) and "value" in v else {"value": v}),
        }
        for k, v in values.items()
    }


def make_doc(
    *,
    status: str = "signed",
    name: str = "Jordan Example",
    mrn: str = "MRN100001",
    sex: str = "male",
    overrides: dict[str, Any] | None = None,
    signatures: tuple[SignatureBlock, ...] | None = None,
    **extra: Any,
) -> RecordDocument:
    record = parse_record(
        {
            "form": "fluoro-spine-injection",
            "patient": {"name": name, "birth_date": "1960-01-15", "mrn": mrn, "sex": sex},
            "procedure": {
                "type": "interlaminar_epidural",
                "level": "L4-L5",
                "laterality": "left",
                "scheduled_at": "2026-11-24T09:30:00-05:00",
            },
            "answers": answers(overrides or {}),
        }
    )
    readiness = evaluate(form(), record, NOW)
    if signatures is None:
        signatures = () if status == "draft" else (signature(),)
    return RecordDocument(
        record_id="R-TEST-0001",
        status=status,
        form=form(),
        record=record,
        readiness=readiness,
        content_sha256=None if status == "draft" else "ab" * 32,
        signatures=signatures,
        generated_by="cfoster",
        generated_at=NOW + timedelta(minutes=30),
        **extra,
    )


def signature(name: str = "Riley Nurse", override: str | None = None, meaning: str = "prepared") -> SignatureBlock:
    titles = {"prepared": "Prepared by", "reviewed": "Reviewed by", "amended": "Amended by"}
    return SignatureBlock(
        meaning=meaning,
        meaning_title=titles[meaning],
        full_name=name,
        username="rnurse",
        role_title="Nurse",
        signed_at=NOW + timedelta(minutes=12),
        attestation=ATTESTATION,
        override_reason=override,
    )


NOT_READY = {
    "consent.signed": {"value": "not_met", "note": "Consent form missing from the chart"},
    "anticoagulants": [
        {"drug": "apixaban", "last_dose_at": "2026-11-22T09:00:00-05:00"},
        {"drug": "clopidogrel", "last_dose_at": "2026-11-15T08:00:00-05:00"},
        {"drug": "naproxen", "last_dose_at": "2026-11-22T21:00:00-05:00"},
    ],
    "bleeding_risk.elevated": "yes",
}


@cache
def ready_signed() -> RenderedPdf:
    return render_record_pdf(make_doc())


@cache
def not_ready_draft() -> RenderedPdf:
    return render_record_pdf(make_doc(status="draft", overrides=NOT_READY))


def test_non_ascii_names_print_exactly() -> None:
    doc = make_doc(name=ZOE, sex="male", signatures=(signature(SOFIA),))
    out = text(render_record_pdf(doc).pdf)
    assert ZOE in out
    assert SOFIA in out


def test_draft_has_the_watermark_on_every_page_and_signed_has_none() -> None:
    draft = not_ready_draft().pdf
    pages = page_count(draft)
    assert pages >= 2
    for page in range(1, pages + 1):
        assert WATERMARK in text(draft, page), f"page {page}"
    assert WATERMARK not in text(ready_signed().pdf)


def test_every_page_has_page_x_of_y_and_the_footer_hashes() -> None:
    pdf = not_ready_draft().pdf
    pages = page_count(pdf)
    for page in range(1, pages + 1):
        out = text(pdf, page)
        assert f"Page {page} of {pages}" in out
        assert f"form hash {form().content_hash[:12]}" in out
        assert "unsigned draft" in out
        assert "generated by cfoster at 2026-11-24 08:30 UTC−05:00" in out
    assert "record hash abababababababab" in text(ready_signed().pdf, 1)


def test_verdict_word_and_every_blocker_reason_print() -> None:
    doc = make_doc(status="draft", overrides=NOT_READY)
    assert doc.readiness.state == "not_ready" and len(doc.readiness.blockers) >= 3
    out = flat(text(not_ready_draft().pdf))
    assert "NOT READY" in out
    for blocker in doc.readiness.blockers:
        assert flat(blocker.reason) in out
    assert "READY" in text(ready_signed().pdf, 1)
    incomplete = make_doc(status="draft", overrides={"vitals.recorded": None})
    assert "INCOMPLETE" in text(render_record_pdf(incomplete).pdf, 1)


def test_hold_table_shows_eligible_time_and_unconfirmed_mark() -> None:
    out = flat(text(not_ready_draft().pdf))
    # apixaban: last dose Sun 22 Nov 09:00 + 72 h, printed in the procedure's offset
    assert "Wed 25 Nov 2026 09:00" in out
    assert "ELIGIBLE FROM (UTC−05:00)" in out
    assert "needs clinician confirmation" in out
    assert "24 h after the procedure" in out  # restart after


def test_answers_in_words_with_who_when_and_note() -> None:
    doc = make_doc(
        overrides={
            "site.marked": {"value": "na", "note": "Midline approach"},
            "personnel.proceduralist": {"value": "met", "note": "Dr. A. Sample"},
        }
    )
    out = flat(text(render_record_pdf(doc).pdf))
    assert "Met ✓" in out
    assert "N/A — Midline approach" in out
    assert "Note: Dr. A. Sample" in out
    assert "rnurse · 24 Nov 07:30" in out
    assert "Not applicable to this case:" in out


def test_signature_manifestation_and_override_reason_print() -> None:
    reason = "Anesthesia reviewed the fasting gap and accepts it"
    doc = make_doc(
        overrides={
            "sedation.planned": "yes",
            "escort.arranged": "met",
            "iv.access": "met",
            "personnel.sedation_provider": "met",
            "fasting.last_solids_at": "2026-11-24T03:00:00-05:00",
            "fasting.last_clear_liquids_at": "2026-11-24T06:00:00-05:00",
        },
        signatures=(signature(override=reason),),
    )
    assert doc.readiness.state == "not_ready"
    out = flat(text(render_record_pdf(doc).pdf))
    for expected in (
        "Riley Nurse",
        "User id rnurse",
        "Role Nurse",
        "Signed 2026-11-24 08:12 UTC−05:00",
        "Meaning Prepared by",
        ATTESTATION,
        reason,
        "Signed with a documented override",
        "Reviewed by (charge nurse) — digital signature",
    ):
        assert expected in out


def test_same_input_gives_identical_bytes_dated_by_generated_at() -> None:
    first = render_record_pdf(make_doc(status="draft", overrides=NOT_READY)).pdf
    assert first == not_ready_draft().pdf
    assert b"/CreationDate (D:20261124083000-05'00')" in first


def test_only_embedded_fonts() -> None:
    for pdf in (ready_signed().pdf, not_ready_draft().pdf):
        rows = run("pdffonts", pdf=pdf).splitlines()[2:]
        assert rows
        for row in rows:
            assert "DejaVuSans" in row.split()[0], row
            assert re.search(r"\byes\s+yes\s+yes\b", row), row  # embedded, subset, ToUnicode


def test_signature_boxes_are_reserved_on_the_last_page() -> None:
    for rendered in (ready_signed(), not_ready_draft()):
        slots = rendered.signature_fields
        assert set(slots) == {"prepared", "reviewed"}
        last = page_count(rendered.pdf) - 1
        assert slots["prepared"].page == slots["reviewed"].page == last
        prepared, reviewed = slots["prepared"].box, slots["reviewed"].box
        for x1, y1, x2, y2 in (slots["prepared"].box, slots["reviewed"].box):
            assert 0 < x1 < x2 <= 612 and 54 <= y1 < y2 <= 792  # on the page, above the footer
            assert x2 - x1 >= 200 and y2 - y1 >= 50  # room for pyHanko's three-line stamp
        # side by side at one height, preparer first, not overlapping
        assert (prepared[1], prepared[3]) == (reviewed[1], reviewed[3]) and prepared[2] < reviewed[0]


def test_a_very_long_override_still_puts_both_boxes_on_the_last_page() -> None:
    reason = "The proceduralist documented the reason at length. " * 120
    rendered = render_record_pdf(make_doc(signatures=(signature(override=reason),)))
    last = page_count(rendered.pdf) - 1
    assert {slot.page for slot in rendered.signature_fields.values()} == {last}
    assert "documented the reason at length" in text(rendered.pdf, last + 1)


def test_amendment_prints_and_aliases_the_box() -> None:
    doc = make_doc(
        status="amended",
        signatures=(signature(meaning="amended"),),
        supersedes_id="R-OLD-7",
        amendment_reason="Corrected the level",
    )
    rendered = render_record_pdf(doc)
    out = flat(text(rendered.pdf))
    assert "Amendment of record R-OLD-7" in out and "Corrected the level" in out
    assert "Amended by" in out
    assert rendered.signature_fields["amended"] == rendered.signature_fields["prepared"]


def test_a4_and_a_non_ascii_mrn() -> None:
    rendered = render_record_pdf(make_doc(mrn="ØST-1"), page_size=A4)
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in rendered.pdf
    assert "Code 128 cannot encode" in flat(text(rendered.pdf, 1))


def test_models_reject_bad_values() -> None:
    with pytest.raises(ValidationError):  # a signature time without its UTC offset
        SignatureBlock.model_validate({**signature().model_dump(), "signed_at": datetime(2026, 11, 24, 8, 0)})
    with pytest.raises(ValidationError):
        SignatureBlock.model_validate({**signature().model_dump(), "meaning": "approved"})
    with pytest.raises(ValidationError):
        RecordDocument.model_validate({**dict(make_doc()), "status": "final"})


def test_importing_the_api_does_not_import_reportlab() -> None:
    code = "import sys, checklist_app.export.pdf; sys.exit('reportlab' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_very_long_notes_print_in_full_instead_of_stopping_the_layout() -> None:
    def note(tag: str) -> str:
        return "The patient's daughter explains the medication history in detail. " * 80 + f"End of {tag}."

    drugs = [{"drug": "ibuprofen", "last_dose_at": f"2026-11-{day:02d}T08:00:00-05:00"} for day in range(10, 20)]
    doc = make_doc(
        overrides={
            "personnel.proceduralist": {"value": "met", "note": note("note")},
            "site.marked": {"value": "na", "na_reason": note("na")},
            "anticoagulants": drugs,
        },
        supersedes_id="R-OLD-1",
        amendment_reason=note("amendment"),
        status="amended",
        signatures=(signature(meaning="amended", override=note("override")),),
    )
    out = flat(text(render_record_pdf(doc).pdf))
    for tag in ("note", "na", "amendment", "override"):
        assert f"End of {tag}." in out
    assert "10 medicines — each with its last dose in the hold table above" in out
