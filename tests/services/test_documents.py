"""Signing, co-signing, the signed PDF and its verification, through the services.

Every refusal (wrong password, locked account, wrong role, same person, incomplete or hard-stopped record)
must be logged and leave nothing signed; every tampering with the PDF must fail verification, and poppler's
pdfsig must agree wherever it can tell.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from checklist_app.export import pki
from checklist_app.export.signing import sign_pdf
from checklist_app.export.verification import CHANGED_AFTER_LAST, NO_SIGNATURE
from checklist_app.services import passwords
from checklist_app.services.app import AppServices
from checklist_app.services.auth import WRONG
from checklist_app.services.errors import LoginError, SigningRefused
from checklist_app.services.models import Meaning, Role
from checklist_app.store import Actions, ConflictError
from tests.helpers.databases import copy_sqlite
from tests.helpers.hashing import QUICK_HASHER
from tests.helpers.poppler import pdfsig, pdftotext
from tests.helpers.world import PATIENT, SOFIA, ZOE, World, local_now

OVERRIDE = "Proceduralist accepts the 33 h apixaban hold"
AUTHORISER = "Dr. Amara Rivera"


# --- helpers ---------------------------------------------------------------------------------------------------


def _signed_ranges(pdf: bytes) -> list[list[int]]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf))
    return [[int(x) for x in s.sig_object["/ByteRange"]] for s in reader.embedded_signatures]


def flip_signed_byte(pdf: bytes) -> bytes:
    """Flip one bit inside the first content stream: still a readable PDF, but no longer what was signed."""
    match = re.search(rb"stream\r?\n", pdf)
    assert match is not None
    index = match.end() + 100
    for start, length, _, _ in _signed_ranges(pdf):
        assert start <= index < start + length, "the flipped byte must lie inside every signed range"
    data = bytearray(pdf)
    data[index] ^= 0x01
    return bytes(data)


def append_unsigned_update(pdf: bytes) -> bytes:
    """A valid incremental update after the last signature that nobody signed (a changed title)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    info_ref = writer.trailer.raw_get("/Info")
    info_ref.get_object()[generic.NameObject("/Title")] = generic.TextStringObject("changed after signing")
    writer.mark_update(info_ref)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def assert_nothing_signed(world: World, record_id: str) -> None:
    row = world.svc.store.records.get(record_id)
    assert (row.status, row.signatures, row.canonical_json, row.content_sha256, row.signed_at) == (
        "draft",
        (),
        None,
        None,
        None,
    )
    assert world.svc.store.records.latest_pdf(record_id) is None


def refusals(world: World, record_id: str, action: str) -> list[str]:
    return [e.detail["reason"] for e in world.svc.store.audit.entries(record_id=record_id) if e.action == action]


def squash(text: str) -> str:
    return " ".join(text.split())


# --- fixtures --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reviewed:
    """A READY record prepared by the nurse and co-signed by the charge nurse, with its PDF after each."""

    id: str
    prepared: bytes
    reviewed: bytes


@pytest.fixture(scope="module")
def reviewed(world: World) -> Reviewed:
    case = world.signed_case(name=PATIENT)
    prepared_pdf = world.svc.store.records.latest_pdf(case.record_id)
    assert prepared_pdf is not None
    world.svc.documents.co_sign(world.user("charge"), world.password("charge"), case.record_id)
    return Reviewed(case.record_id, prepared_pdf.pdf, world.svc.documents.pdf(world.user("charge"), case.record_id))


@pytest.fixture(scope="module")
def other_site(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[AppServices]:
    """Another hospital: its own database, so its own signing authority, with a nurse of the same name."""
    svc = AppServices.open(
        copy_sqlite(sqlite_template, tmp_path_factory.mktemp("other-site") / "other.db"), hasher=QUICK_HASHER
    )
    try:
        yield svc
    finally:
        svc.close()


# --- who may sign what -----------------------------------------------------------------------------------------


def test_an_incomplete_record_cannot_be_signed(world: World) -> None:
    nurse = world.user("nurse")
    case = world.ready_case(consent__signed=None, imaging__reviewed=None)
    assert case.readiness.state == "incomplete"
    reason = world.svc.documents.why_not_signable(nurse, case)
    assert reason is not None and reason.startswith("Not complete: 2 required item(s)")
    with pytest.raises(SigningRefused, match="Not complete"):
        world.svc.documents.sign(nurse, world.password("nurse"), case, override_reason="just sign it")
    assert_nothing_signed(world, case.record_id)
    assert refusals(world, case.record_id, "record.sign_refused") == [reason]


def test_a_hard_stop_is_never_signable_even_with_an_override(world: World) -> None:
    nurse = world.user("nurse")
    case = world.ready_case(consent__signed="not_met")
    assert case.readiness.state == "not_ready"
    assert [(b.item, b.hard_stop, b.override_allowed) for b in case.readiness.blockers] == [
        ("consent.signed", True, False)
    ]
    with pytest.raises(SigningRefused, match="cannot be overridden"):
        world.svc.documents.sign(nurse, world.password("nurse"), case, override_reason=OVERRIDE)
    assert_nothing_signed(world, case.record_id)
    assert len(refusals(world, case.record_id, "record.sign_refused")) == 1


def test_not_ready_is_signed_only_with_a_documented_override(world: World, tmp_path: Path) -> None:
    nurse = world.user("nurse")
    dose = [{"drug": "apixaban", "last_dose_at": (local_now() - timedelta(hours=30)).isoformat()}]
    case = world.ready_case(
        anticoagulants=dose,
        thrombotic_risk__high="no",
        antithrombotic__prescriber_agreed={"value": "met", "note": "Dr. Okafor"},
    )
    assert case.readiness.state == "not_ready"
    assert all(b.override_allowed and not b.hard_stop for b in case.readiness.blockers)
    for missing in (None, "", "   "):
        with pytest.raises(SigningRefused, match="documented override"):
            world.svc.documents.sign(
                nurse, world.password("nurse"), case, override_reason=missing, authorised_by=AUTHORISER
            )
    # Rules v2: the reason alone is not enough; the clinician who authorised it is named.
    for missing in (None, "", "   "):
        with pytest.raises(SigningRefused, match="name of the proceduralist who authorised it"):
            world.svc.documents.sign(
                nurse, world.password("nurse"), case, override_reason=OVERRIDE, authorised_by=missing
            )
    assert_nothing_signed(world, case.record_id)
    assert len(refusals(world, case.record_id, "record.sign_refused")) == 6

    text = world.svc.documents.manifestation(nurse, Meaning.PREPARED, OVERRIDE, authorised_by=AUTHORISER)
    assert "documented override" in text and f"Authorised by: {AUTHORISER}" in text
    signed = world.svc.documents.sign(
        nurse, world.password("nurse"), case, override_reason=f"  {OVERRIDE}\n", authorised_by=f" {AUTHORISER} "
    )
    assert signed.status == "signed" and signed.readiness.state == "not_ready"
    row = world.svc.store.records.get(case.record_id)
    (signature,) = row.signatures
    assert (signature.meaning, signature.username, signature.override_reason) == ("prepared", "zoe", OVERRIDE)
    assert signature.override_authorised_by == AUTHORISER
    assert OVERRIDE in signature.manifestation and ZOE in signature.manifestation
    assert AUTHORISER in signature.manifestation
    # Frozen with the record: the signed canonical JSON carries the override and its authoriser.
    assert json.loads(row.canonical_json or "{}")["override"] == {"reason": OVERRIDE, "authorised_by": AUTHORISER}
    entry = [e for e in world.svc.store.audit.entries(record_id=case.record_id) if e.action == Actions.RECORD_SIGNED]
    assert entry[0].detail["override_reason"] == OVERRIDE
    assert entry[0].detail["override_authorised_by"] == AUTHORISER
    pdf = world.svc.documents.pdf(nurse, case.record_id)
    printed = squash(pdftotext(pdf, tmp_path))
    assert OVERRIDE in printed and AUTHORISER in printed
    assert world.svc.documents.verify(case.record_id)[0]

    # A charge nurse who also works as a nurse may review someone else's override.
    reviewed = world.svc.documents.co_sign(world.user("dual"), world.password("dual"), case.record_id)
    assert reviewed.status == "reviewed" and world.svc.documents.verify(case.record_id)[0]


def test_a_ready_record_ignores_an_override_reason(world: World) -> None:
    """An override is only recorded when there is something to override."""
    case = world.ready_case()
    world.svc.documents.sign(world.user("nurse"), world.password("nurse"), case, override_reason="not needed")
    (signature,) = world.svc.store.records.get(case.record_id).signatures
    assert signature.override_reason is None and "override" not in signature.manifestation


def test_wrong_password_is_refused_logged_and_nothing_is_signed(world: World) -> None:
    nurse = world.user("nurse")
    case = world.ready_case()
    assert world.svc.documents.why_not_signable(nurse, case) is None
    seq = world.audit_seq()
    with pytest.raises(LoginError, match=WRONG):
        world.svc.documents.sign(nurse, "ready-set-go-2025", case)
    assert_nothing_signed(world, case.record_id)
    failed = [e for e in world.audit_since(seq) if e.action == Actions.LOGIN_FAILED]
    assert [(e.actor, e.detail["failed_attempts"]) for e in failed] == [("zoe", 1)]
    assert refusals(world, case.record_id, "record.sign_refused") == [WRONG]
    world.svc.auth.login("zoe", world.password("nurse"))  # reset the count for the other tests


def test_a_locked_account_cannot_sign_even_with_the_right_password(world: World) -> None:
    locked = world.user("locked")
    case = world.ready_case("locked")
    assert world.svc.documents.why_not_signable(locked, case) is None
    for _ in range(passwords.MAX_FAILED_ATTEMPTS):
        with pytest.raises(LoginError):
            world.svc.auth.login("lena", "not-my-password-1")
    seq = world.audit_seq()
    with pytest.raises(LoginError, match=WRONG):
        world.svc.documents.sign(locked, world.password("locked"), case)
    assert_nothing_signed(world, case.record_id)
    assert [e.detail for e in world.audit_since(seq) if e.action == Actions.LOGIN_FAILED] == [{"reason": "locked"}]
    assert refusals(world, case.record_id, "record.sign_refused") == [WRONG]  # the login audit says "locked"


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("coordinator", "Only a nurse can sign"),
        ("admin", "Only a nurse can sign"),
        ("charge", "Only a nurse can sign"),
    ],
)
def test_wrong_role_cannot_sign_as_prepared(world: World, who: str, message: str) -> None:
    case = world.ready_case()
    user = world.user(who)
    assert world.svc.documents.why_not_signable(user, case) == f"{message} as “Prepared by”."
    with pytest.raises(SigningRefused, match=message):
        world.svc.documents.sign(user, world.password(who), case)
    assert_nothing_signed(world, case.record_id)
    assert refusals(world, case.record_id, "record.sign_refused") == [f"{message} as “Prepared by”."]


def test_co_signing_needs_a_charge_nurse_who_did_not_prepare(world: World) -> None:
    dual = world.user("dual")
    case = world.ready_case("dual")

    # Not signed yet: nothing to co-sign.
    with pytest.raises(SigningRefused, match="Only a signed checklist"):
        world.svc.documents.co_sign(world.user("charge"), world.password("charge"), case.record_id)

    world.svc.documents.sign(dual, world.password("dual"), case)
    before = world.svc.store.records.latest_pdf(case.record_id)
    for who, message in (
        ("nurse", "Only a charge nurse can sign as “Reviewed by”."),
        ("coordinator", "Only a charge nurse can sign as “Reviewed by”."),
        ("dual", "The reviewer must be a different person from the nurse who prepared"),
    ):
        with pytest.raises(SigningRefused, match=re.escape(message)):
            world.svc.documents.co_sign(world.user(who), world.password(who), case.record_id)
    row = world.svc.store.records.get(case.record_id)
    assert row.status == "signed" and [s.meaning for s in row.signatures] == ["prepared"]
    assert world.svc.store.records.latest_pdf(case.record_id) == before
    logged = refusals(world, case.record_id, "record.cosign_refused")
    assert len(logged) == 4 and logged[-1].startswith("The reviewer must be a different person")


def test_co_signing_with_a_wrong_password_is_refused_and_logged(world: World) -> None:
    case = world.signed_case()
    before = world.svc.store.records.latest_pdf(case.record_id)
    with pytest.raises(LoginError):
        world.svc.documents.co_sign(world.user("charge"), "review-all-2025", case.record_id)
    row = world.svc.store.records.get(case.record_id)
    assert row.status == "signed" and len(row.signatures) == 1
    assert world.svc.store.records.latest_pdf(case.record_id) == before
    assert refusals(world, case.record_id, "record.cosign_refused") == [WRONG]
    world.svc.auth.login("sofia", world.password("charge"))  # reset the count


def test_signing_what_another_workstation_just_changed_is_refused(world: World) -> None:
    nurse = world.user("nurse")
    shown = world.ready_case()  # what this workstation's window shows: READY, version N
    other = world.open_other()
    try:
        there = other.cases.open_case(world.user("nurse2"), shown.record_id)
        other.cases.answer(world.user("nurse2"), there, "imaging.reviewed", "met", note="re-checked")
        with pytest.raises(ConflictError):  # still READY, but not what the signer saw
            world.svc.documents.sign(nurse, world.password("nurse"), shown)
        assert_nothing_signed(world, shown.record_id)
        there = other.cases.open_case(world.user("nurse2"), shown.record_id)
        other.cases.answer(world.user("nurse2"), there, "consent.signed", "not_met")
    finally:
        other.close()
    # The saved answers are judged, not the window's: now a hard stop.
    with pytest.raises(SigningRefused, match="cannot be overridden"):
        world.svc.documents.sign(nurse, world.password("nurse"), shown, override_reason=OVERRIDE)
    assert_nothing_signed(world, shown.record_id)


# --- the signed record ----------------------------------------------------------------------------------------


def test_prepared_and_reviewed_record_verifies_with_both_signers(world: World, reviewed: Reviewed) -> None:
    ok, lines = world.svc.documents.verify(reviewed.id)
    assert ok, lines
    assert len(lines) == 3 and lines[-1].startswith("Verdict: VALID")
    assert f"Signed by {ZOE} (zoe) as Prepared by" in lines[0] and lines[0].endswith("VALID")
    assert f"Signed by {SOFIA} (sofia) as Reviewed by" in lines[1] and lines[1].endswith("VALID")
    row = world.svc.store.records.get(reviewed.id)
    assert row.status == "reviewed"
    assert [(s.meaning, s.username, s.full_name) for s in row.signatures] == [
        ("prepared", "zoe", ZOE),
        ("reviewed", "sofia", SOFIA),
    ]
    # The review is an incremental update: the prepared file is kept byte for byte inside it.
    assert reviewed.reviewed.startswith(reviewed.prepared)
    with pytest.raises(SigningRefused, match="cannot be co-signed again"):
        world.svc.documents.co_sign(world.user("dual"), world.password("dual"), reviewed.id)


def test_pdfsig_agrees_the_record_is_signed_twice_and_whole(reviewed: Reviewed, tmp_path: Path) -> None:
    text = pdfsig(reviewed.reviewed, tmp_path)
    assert text.count("Signature Validation: Signature is Valid.") == 2, text
    assert f"Signer Certificate Common Name: {ZOE}" in text and f"Signer Certificate Common Name: {SOFIA}" in text
    assert text.count("Total document signed") == 1


def test_extracted_text_holds_the_non_ascii_names_exactly(reviewed: Reviewed, tmp_path: Path) -> None:
    text = pdftotext(reviewed.reviewed, tmp_path)
    for name in (PATIENT, ZOE, SOFIA):
        assert name in text, f"{name!r} is not in the extracted text"


def test_a_signed_record_re_exported_later_is_byte_identical(world: World, reviewed: Reviewed) -> None:
    seq = world.audit_seq()
    again = world.svc.documents.pdf(world.user("coordinator"), reviewed.id)
    later = world.svc.documents.pdf(world.user("charge"), reviewed.id)
    stored = world.svc.store.records.latest_pdf(reviewed.id)
    assert stored is not None
    assert again == later == reviewed.reviewed == stored.pdf
    exports = [e for e in world.audit_since(seq) if e.action == Actions.RECORD_EXPORTED]
    assert [(e.actor, e.detail) for e in exports] == [
        ("jordan", {"format": "pdf", "signed": True}),
        ("sofia", {"format": "pdf", "signed": True}),
    ]


def test_a_draft_exports_as_an_unsigned_draft(world: World, tmp_path: Path) -> None:
    case = world.ready_case()
    pdf = world.svc.documents.pdf(world.user("nurse"), case.record_id)
    assert pdf.startswith(b"%PDF-") and "DRAFT" in pdftotext(pdf, tmp_path).upper()
    report = world.svc.documents.verify_pdf_bytes(pdf)
    assert not report.ok and report.problem == NO_SIGNATURE
    assert world.svc.documents.verify(case.record_id) == (False, ["Not signed yet: there is nothing to verify."])
    assert_nothing_signed(world, case.record_id)


# --- tampering -------------------------------------------------------------------------------------------------


def test_flipping_one_byte_fails_verification_and_pdfsig_sees_a_digest_mismatch(
    world: World, reviewed: Reviewed, tmp_path: Path
) -> None:
    for original in (reviewed.prepared, reviewed.reviewed):
        flipped = flip_signed_byte(original)
        report = world.svc.documents.verify_pdf_bytes(flipped)
        assert not report.ok
        assert "changed after this signature" in (report.problem or "")
        text = pdfsig(flipped, tmp_path)
        assert "Digest Mismatch" in text and "Signature is Valid" not in text, text


def test_an_unsigned_incremental_update_fails_verification(world: World, reviewed: Reviewed, tmp_path: Path) -> None:
    appended = append_unsigned_update(reviewed.reviewed)
    report = world.svc.documents.verify_pdf_bytes(appended)
    assert not report.ok and report.problem == CHANGED_AFTER_LAST
    assert report.lines()[-1] == f"Verdict: NOT VALID — {CHANGED_AFTER_LAST}."
    # pdfsig: both signatures still valid for what they cover, but neither covers the whole file any more.
    text = pdfsig(appended, tmp_path)
    assert text.count("Signature is Valid.") == 2 and "Total document signed" not in text, text


def test_a_reviewer_key_from_another_sites_authority_fails_verification(world: World, reviewed: Reviewed) -> None:
    # Same name and user name as our charge nurse, but vouched for by someone else's authority.
    authority = pki.new_site_authority("Some Other Hospital", b"another site's secret")
    stranger = pki.issue_user_identity(
        authority, b"another site's secret", username="sofia", full_name=SOFIA, password="stranger-pw-2026"
    )
    forged = sign_pdf(
        reviewed.prepared,
        stranger,
        "stranger-pw-2026",
        field_name="reviewed",
        meaning=Meaning.REVIEWED.label,
        signer_name=SOFIA,
    )
    report = world.svc.documents.verify_pdf_bytes(forged)
    assert not report.ok
    assert report.signatures[0].ok and not report.signatures[1].ok
    assert report.signatures[1].problem == "the signer's certificate was not issued by a trusted signing authority"
    # pdfsig cannot tell this one: it trusts neither site's authority, so it reports both certificates alike.


def test_a_record_signed_at_another_site_fails_verification_here(world: World, other_site: AppServices) -> None:
    nurse_there = other_site.auth.create_user("zoe", ZOE, {Role.NURSE}, "other-site-2026", actor="test-setup")
    ours, theirs = world.svc.store.users.get_site_authority(), other_site.store.users.get_site_authority()
    assert ours is not None and theirs is not None and ours.cert_pem != theirs.cert_pem
    there = World(svc=other_site, url="", folder=Path("."))
    there.users["nurse"] = nurse_there
    case = there.ready_case()
    other_site.documents.sign(nurse_there, "other-site-2026", case)
    pdf = other_site.documents.pdf(nurse_there, case.record_id)
    assert other_site.documents.verify_pdf_bytes(pdf).ok  # fine where it was signed
    report = world.svc.documents.verify_pdf_bytes(pdf)
    assert not report.ok and "not issued by a trusted signing authority" in (report.problem or "")


def test_verify_catches_a_database_edit_behind_the_services_back(world: World) -> None:
    case = world.signed_case()
    assert world.svc.documents.verify(case.record_id)[0]
    # An attacker with the database file removes the guard and changes a signed answer.
    world.raw_sql(
        "DROP TRIGGER trg_answers_frozen_update",
        f"UPDATE answers SET value_json = '\"not_met\"' WHERE record_id = '{case.record_id}' "
        "AND item_id = 'consent.signed'",
    )
    ok, lines = world.svc.documents.verify(case.record_id)
    assert not ok and lines[-1] == (
        "Verdict: TAMPERED — The saved answers differ from the signed record: the database was altered."
    )
    # ...and then rewrites the frozen JSON too: its SHA-256 no longer matches.
    world.raw_sql(
        "DROP TRIGGER trg_records_frozen_update",
        f"UPDATE records SET canonical_json = canonical_json || ' ' WHERE id = '{case.record_id}'",
    )
    ok, lines = world.svc.documents.verify(case.record_id)
    assert not ok and lines[-1] == (
        "Verdict: TAMPERED — The stored record does not match its SHA-256: the database was altered."
    )


def test_an_amendment_is_signed_as_amended_by_and_verifies(world: World) -> None:
    """The new version of an amended record carries an “Amended by” signature, not a second “Prepared by”."""
    signed = world.signed_case(name="Abel Amendsign")
    draft = world.svc.documents.amend(world.user("charge"), signed.record_id, "level corrected after imaging")
    draft = world.svc.cases.answer(world.user("nurse"), draft, "vitals.recorded", "met", note="rechecked")

    amended = world.svc.documents.sign(world.user("nurse"), world.password("nurse"), draft)

    row = world.svc.store.records.get(amended.record_id)
    assert [(s.meaning, s.username) for s in row.signatures] == [("amended", world.user("nurse").username)]
    ok, lines = world.svc.documents.verify(amended.record_id)
    assert ok and "as Amended by" in lines[0]


def test_a_charge_nurse_who_entered_answers_cannot_review_them(world: World) -> None:
    """Co-signing checks someone else's work: a charge nurse who ticked items is not a valid reviewer."""
    case = world.ready_case(imaging__reviewed=None)
    case = world.svc.cases.answer(world.user("charge"), case, "imaging.reviewed", "met")
    world.svc.documents.sign(world.user("nurse"), world.password("nurse"), case)

    with pytest.raises(SigningRefused, match="You entered answers in this checklist"):
        world.svc.documents.co_sign(world.user("charge"), world.password("charge"), case.record_id)
    assert world.svc.store.records.get(case.record_id).status == "signed"


def test_a_batch_is_signed_with_one_password_check_and_each_record_verifies(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """sign_batch: the password is checked once (one argon2 check), every case is signed and stored on its own."""
    nurse = world.user("nurse")
    cases = [world.ready_case(), world.ready_case()]
    checks: list[str] = []
    real_check = world.svc.auth.check_password

    def counting_check(user: Any, password: str) -> Any:
        checks.append(user.username)
        return real_check(user, password)

    monkeypatch.setattr(world.svc.auth, "check_password", counting_check)
    signed = world.svc.documents.sign_batch(nurse, world.password("nurse"), cases)
    assert checks == [nurse.username]
    assert [c.status for c in signed] == ["signed", "signed"]
    for case in signed:
        assert world.svc.documents.verify(case.record_id)[0]


def test_a_batch_with_a_wrong_password_signs_nothing(world: World) -> None:
    nurse = world.user("nurse")
    case = world.ready_case()
    with pytest.raises(LoginError, match="Wrong user name or password"):
        world.svc.documents.sign_batch(nurse, "ready-set-go-2025", [case])
    assert_nothing_signed(world, case.record_id)
    world.svc.auth.login("zoe", world.password("nurse"))  # reset the count for the other tests
