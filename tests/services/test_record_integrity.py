"""Issue 10's attacks on a signed record, each by raw SQL through the attacker's own connection, on SQLite and
PostgreSQL: every one is refused by the database or shown as TAMPERED by the services' check (never VALID)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from checklist_app.domain.records import canonical_json, content_sha256
from checklist_app.export.signing import sign_pdf
from checklist_app.services.anchors import verify_anchors, write_checkpoint
from checklist_app.services.app import AppServices
from checklist_app.services.errors import TamperedRecord
from tests.helpers.attacks import as_owner, attacker_sql
from tests.helpers.databases import BACKENDS, copy_sqlite
from tests.helpers.hashing import QUICK_HASHER
from tests.helpers.world import World


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """A fresh database per test: owner attacks lift guards for good."""
    if request.param == "sqlite":
        url = copy_sqlite(request.getfixturevalue("sqlite_template"), tmp_path / "checklists.db")
    else:
        url = request.getfixturevalue("pg_databases").take()
    svc = AppServices.open(url, hasher=QUICK_HASHER)
    try:
        yield World(svc=svc, url=url, folder=tmp_path)
    finally:
        svc.close()


def assert_tampered(world: World, record_id: str, words: str) -> None:
    result = world.svc.documents.check(record_id)
    assert not result.ok and result.tampered, result.lines()
    assert words in str(result.problem), result.problem
    assert result.lines()[-1].startswith("Verdict: TAMPERED — ")
    assert not any("VALID —" in line and "NOT" not in line for line in result.lines()[-1:])
    with pytest.raises(TamperedRecord, match="was not exported"):
        world.svc.documents.pdf(world.user("coordinator"), record_id)


def test_a_genuine_record_verifies_and_exports(world: World) -> None:
    case = world.signed_case()
    result = world.svc.documents.check(case.record_id)
    assert result.ok and not result.tampered, result.lines()
    assert result.lines()[-1].startswith("Verdict: VALID")
    assert world.svc.documents.pdf(world.user("coordinator"), case.record_id).startswith(b"%PDF-")


def test_another_patients_signed_pdf_inserted_as_a_new_revision_is_tampered(world: World) -> None:
    """Finding 1: INSERT rights are enough to add a revision; the PDF names its own record, not this one."""
    mine = world.signed_case(name="Abel Mine")
    theirs = world.signed_case(name="Bea Theirs")
    attacker_sql(
        world.url,
        "INSERT INTO record_pdfs (record_id, revision, pdf, sha256, created_at, created_by) "
        "SELECT :mine, 2, pdf, sha256, created_at, created_by FROM record_pdfs "
        "WHERE record_id = :theirs AND revision = 1",
        mine=mine.record_id,
        theirs=theirs.record_id,
    )
    stored = world.svc.store.records.latest_pdf(mine.record_id)
    assert stored is not None and stored.revision == 2  # the bytes really changed
    assert world.svc.documents.verify_pdf_bytes(stored.pdf).ok  # ...and are validly signed on their own
    assert_tampered(world, mine.record_id, f"signed PDF of another record ({theirs.record_id})")


def test_a_draft_marked_signed_with_a_borrowed_pdf_and_signature_is_tampered(world: World) -> None:
    """Finding 1: a draft given another record's signature row and PDF, its own canonical JSON and hash."""
    theirs = world.signed_case(name="Bea Theirs")
    draft = world.ready_case(name="Cy Draft")
    row = world.svc.store.records.get(draft.record_id)
    text = canonical_json(row.record)
    attacker_sql(
        world.url,
        "INSERT INTO signatures (record_id, meaning, username, full_name, role, signed_at, manifestation) "
        "SELECT :draft, meaning, username, full_name, role, signed_at, manifestation FROM signatures "
        "WHERE record_id = :theirs",
        "INSERT INTO record_pdfs (record_id, revision, pdf, sha256, created_at, created_by) "
        "SELECT :draft, 1, pdf, sha256, created_at, created_by FROM record_pdfs WHERE record_id = :theirs",
        "UPDATE records SET status = 'signed', canonical_json = :text, content_sha256 = :sha, "
        "signed_at = (SELECT signed_at FROM records WHERE id = :theirs) WHERE id = :draft",
        draft=draft.record_id,
        theirs=theirs.record_id,
        text=text,
        sha=content_sha256(text),
    )
    assert world.svc.store.records.get(draft.record_id).status == "signed"
    assert_tampered(world, draft.record_id, "another record")


def test_status_lies_by_the_database_owner_are_tampered(world: World) -> None:
    """Finding 2, past the triggers: reviewed with no co-signature, amended with no newer version."""
    reviewed = world.signed_case(name="Dee Reviewed")
    amended = world.signed_case(name="Eve Amended")
    as_owner(
        world.url,
        "UPDATE records SET status = 'reviewed' WHERE id = :a",
        "UPDATE records SET status = 'amended' WHERE id = :b",
        a=reviewed.record_id,
        b=amended.record_id,
    )
    assert_tampered(world, reviewed.record_id, "marked reviewed but has no valid co-signature")
    assert_tampered(world, amended.record_id, "marked amended but no newer version")


_COPIED = (
    "readiness_state, form_id, form_version, form_hash, patient_name, mrn, birth_date, sex, procedure_type, "
    "level, laterality, scheduled_at, scheduled_offset_s, created_by, created_at, updated_by, updated_at"
)


def test_amended_by_an_inserted_successor_draft_is_tampered(world: World) -> None:
    """Finding 2, within the triggers: INSERT a draft that names the record as superseded, then mark the record
    amended. The record would leave the print queue and worklist; the audit chain holds no such amendment."""
    case = world.signed_case(name="Ivo Insert")
    attacker_sql(
        world.url,
        f"INSERT INTO records (id, version, status, supersedes_id, amendment_reason, {_COPIED}) "
        f"SELECT 'forged-successor', 1, 'draft', id, 'forged', {_COPIED} FROM records WHERE id = :id",
        "UPDATE records SET status = 'amended' WHERE id = :id",
        id=case.record_id,
    )
    assert world.svc.store.records.get(case.record_id).status == "amended"  # the database let it through
    assert_tampered(world, case.record_id, "the audit log holds no amendment")


def test_a_tampered_record_leaves_in_no_format(world: World) -> None:
    """Finding 1 for every way out: record JSON, FHIR and HL7 refuse a record that fails the check, as the PDF."""
    mine = world.signed_case(name="Abel Mine")
    theirs = world.signed_case(name="Bea Theirs")
    attacker_sql(
        world.url,
        "INSERT INTO record_pdfs (record_id, revision, pdf, sha256, created_at, created_by) "
        "SELECT :mine, 2, pdf, sha256, created_at, created_by FROM record_pdfs "
        "WHERE record_id = :theirs AND revision = 1",
        mine=mine.record_id,
        theirs=theirs.record_id,
    )
    coordinator = world.user("coordinator")
    for fmt in ("json", "fhir"):
        with pytest.raises(TamperedRecord, match="was not exported"):
            world.svc.exports.record(coordinator, mine.record_id, fmt)
    with pytest.raises(TamperedRecord, match="was not exported"):
        world.svc.hl7.enqueue(mine.record_id, "127.0.0.1:2575")
    refused = [
        e.detail["format"]
        for e in world.svc.store.audit.entries(record_id=mine.record_id)
        if e.action == "record.export_refused"
    ]
    assert refused == ["json", "fhir", "hl7"]
    assert world.svc.exports.record(coordinator, theirs.record_id, "json").startswith(b"{")  # a true one leaves


def test_a_co_signature_made_by_a_nurse_with_her_own_key_is_tampered(world: World) -> None:
    """A nurse co-signs offline with her own valid key and adds the rows a charge nurse's review would add."""
    case = world.signed_case(name="Fay Cosigned")
    kim = world.user("nurse2")
    account = world.svc.store.users.get(kim.username)
    assert account.identity_p12 is not None
    stored = world.svc.store.records.latest_pdf(case.record_id)
    assert stored is not None
    forged = sign_pdf(
        stored.pdf,
        account.identity_p12,
        world.password("nurse2"),
        field_name="reviewed",
        meaning="Reviewed by",
        signer_name=kim.full_name,
    )
    attacker_sql(
        world.url,
        "INSERT INTO signatures (record_id, meaning, username, full_name, role, signed_at, manifestation) "
        "SELECT id, 'reviewed', :kim, :name, 'Charge nurse', signed_at, '' FROM records WHERE id = :id",
        "INSERT INTO record_pdfs (record_id, revision, pdf, sha256, created_at, created_by) "
        "SELECT record_id, 2, :pdf, 'x', created_at, :kim FROM record_pdfs WHERE record_id = :id",
        "UPDATE records SET status = 'reviewed' WHERE id = :id",
        id=case.record_id,
        kim=kim.username,
        name=kim.full_name,
        pdf=forged,
    )
    assert world.svc.documents.verify_pdf_bytes(forged).ok  # every signature in the file holds
    assert_tampered(world, case.record_id, "no valid co-signature by a charge nurse")


def test_a_signature_row_naming_someone_else_is_tampered(world: World) -> None:
    case = world.signed_case(name="Gus Signer")
    as_owner(
        world.url,
        "UPDATE signatures SET username = :kim WHERE record_id = :id",
        kim=world.user("nurse2").username,
        id=case.record_id,
    )
    assert_tampered(world, case.record_id, "was made with the certificate of zoe, but the record says kim")


def test_owner_rewrites_an_answer_and_rehashes_the_chain_the_anchors_catch_it(world: World) -> None:
    """Finding 3: drop the triggers, rewrite an answer with its canonical JSON and SHA-256 together, re-hash the
    whole audit chain: plain `audit verify` passes, the anchors outside the database do not."""
    case = world.signed_case(name="Hal Rewritten")
    anchors = world.folder / "anchors"
    anchors.mkdir()
    (anchors / "record.pdf").write_bytes(world.svc.documents.pdf(world.user("coordinator"), case.record_id))
    (anchors / "head.checkpoint").write_bytes(write_checkpoint(world.svc.store, "it-admin"))
    assert verify_anchors(world.svc.store, anchors).ok

    as_owner(
        world.url,
        "UPDATE answers SET value_json = '\"not_met\"' WHERE record_id = :id AND item_id = 'consent.signed'",
        "UPDATE audit SET detail = REPLACE(detail, '\"met\"', '\"not_met\"') WHERE record_id = :id "
        "AND action = 'answer.set' AND detail LIKE '%consent.signed%'",
        id=case.record_id,
    )
    text = canonical_json(world.svc.store.records.get(case.record_id).record)
    as_owner(
        world.url,
        "UPDATE records SET canonical_json = :text, content_sha256 = :sha WHERE id = :id",
        rehash=True,
        text=text,
        sha=content_sha256(text),
        id=case.record_id,
    )

    assert world.svc.store.audit.verify().ok  # the forgery is consistent inside the database
    report = verify_anchors(world.svc.store, anchors)
    assert not report.ok and "head.checkpoint: audit entry" in report.message
    assert "rewritten or re-hashed" in report.message
    (anchors / "head.checkpoint").unlink()
    report = verify_anchors(world.svc.store, anchors)
    assert not report.ok and report.message.startswith("record.pdf: ")
    assert_tampered(world, case.record_id, "content SHA-256")


def test_a_trimmed_chain_disagrees_with_a_checkpoint(world: World) -> None:
    world.signed_case(name="Ida Trimmed")
    anchors = world.folder / "anchors"
    anchors.mkdir()
    (anchors / "head.checkpoint").write_bytes(write_checkpoint(world.svc.store, "it-admin"))
    head, _ = world.svc.store.audit.head()
    as_owner(
        world.url,
        "DELETE FROM audit WHERE seq >= :cut",
        "UPDATE audit_head SET seq = (SELECT MAX(seq) FROM audit), "
        "hash = (SELECT hash FROM audit WHERE seq = (SELECT MAX(seq) FROM audit))",
        cut=head - 2,
    )
    assert world.svc.store.audit.verify().ok
    report = verify_anchors(world.svc.store, anchors)
    assert not report.ok and "the audit log was trimmed" in report.message, report.message


def test_a_forged_checkpoint_is_refused(world: World) -> None:
    world.signed_case(name="Jo Forged")
    anchors = world.folder / "anchors"
    anchors.mkdir()
    genuine = write_checkpoint(world.svc.store, "it-admin")
    (anchors / "head.checkpoint").write_bytes(genuine.replace(b'"by": "it-admin"', b'"by": "mallory"'))
    report = verify_anchors(world.svc.store, anchors)
    assert not report.ok and "not signed by this site's signing authority" in report.message


def test_a_signed_record_whose_pdfs_were_deleted_is_not_exported_as_a_draft(world: World) -> None:
    case = world.signed_case(name="Kai Nopdf")
    as_owner(world.url, "DELETE FROM record_pdfs WHERE record_id = :id", id=case.record_id)
    result = world.svc.documents.check(case.record_id)
    assert not result.ok and result.tampered and "has no signed PDF" in str(result.problem)
    with pytest.raises(TamperedRecord, match="was not exported"):
        world.svc.documents.pdf(world.user("coordinator"), case.record_id)
