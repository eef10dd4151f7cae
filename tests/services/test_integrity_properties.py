"""Properties of a record that cannot lie (issue 10): whatever allowed calls the services make, every record
verifies and the audit chain holds; after any single raw-SQL change to a signed record's rows, one of the two
checks fails. Signing is slow (keys, PDF), so the examples are few and each one counts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from checklist_app.services.app import AppServices
from checklist_app.services.models import Meaning
from tests.helpers.attacks import as_owner
from tests.helpers.databases import copy_sqlite
from tests.helpers.hashing import QUICK_HASHER
from tests.helpers.world import READY, World

SETTINGS = settings(
    max_examples=5,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _world(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, name: str) -> Iterator[World]:
    folder = tmp_path_factory.mktemp(name)
    url = copy_sqlite(sqlite_template, folder / "checklists.db")
    svc = AppServices.open(url, hasher=QUICK_HASHER)
    try:
        yield World(svc=svc, url=url, folder=folder)
    finally:
        svc.close()


@pytest.fixture(scope="module")
def calls_world(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[World]:
    yield from _world(tmp_path_factory, sqlite_template, "calls")


@pytest.fixture(scope="module")
def attack_world(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[World]:
    """Guards lifted once, as the database owner: the checks must not lean on the triggers."""
    for world in _world(tmp_path_factory, sqlite_template, "attacks"):
        as_owner(world.url)
        yield world


def statuses(world: World) -> dict[str, str]:
    with world.svc.store.db.engine.connect() as conn:
        return {str(r.id): str(r.status) for r in conn.execute(text("SELECT id, status FROM records"))}


def pick(world: World, wanted: tuple[str, ...], index: int) -> str | None:
    ids = sorted(i for i, s in statuses(world).items() if s in wanted)
    return ids[index % len(ids)] if ids else None


CALLS = st.lists(
    st.tuples(st.sampled_from(("sign", "co_sign", "amend", "print", "draft")), st.integers(min_value=0, max_value=50)),
    min_size=1,
    max_size=3,
)


@SETTINGS
@given(calls=CALLS)
def test_any_sequence_of_allowed_calls_keeps_every_record_verifiable(
    calls_world: World, calls: list[tuple[str, int]]
) -> None:
    world = calls_world
    for call, index in calls:
        if call == "sign":
            world.signed_case(name="Prop Signed")
        elif call == "draft":
            world.ready_case(name="Prop Draft")
        elif call == "co_sign" and (record_id := pick(world, ("signed",), index)):
            state = world.svc.cases.state(world.svc.store.records.get(record_id))
            if world.svc.documents.why_not_signable(world.user("charge"), state, Meaning.REVIEWED) is None:
                world.svc.documents.co_sign(world.user("charge"), world.password("charge"), record_id)
        elif call == "print" and (record_id := pick(world, ("signed", "reviewed"), index)):
            world.svc.documents.mark_printed(world.user("coordinator"), [record_id])
        elif call == "amend" and (record_id := pick(world, ("signed", "reviewed"), index)):
            draft = world.svc.documents.amend(world.user("charge"), record_id, "level corrected after imaging")
            draft = world.svc.cases.answer(world.user("nurse"), draft, "vitals.recorded", "met", note="rechecked")
            world.svc.documents.sign(world.user("nurse"), world.password("nurse"), draft)
    for record_id, status in statuses(world).items():
        if status != "draft":
            result = world.svc.documents.check(record_id)
            assert result.ok, (status, result.lines())
    assert world.svc.store.audit.verify().ok


# One raw change each: (description, SQL with :id, extra parameters).
def _answer_value(item: str, value: Any) -> tuple[str, str, dict[str, Any]]:
    return (
        f"answer {item}",
        "UPDATE answers SET value_json = :v WHERE record_id = :id AND item_id = :item",
        {"v": json.dumps(value), "item": item},
    )


FIXED_CHANGES = [
    ("answer note", "UPDATE answers SET note = 'edited later' WHERE record_id = :id", {}),
    ("answer removed", "DELETE FROM answers WHERE record_id = :id AND item_id = 'consent.signed'", {}),
    (
        "answer added",
        "INSERT INTO answers (record_id, item_id, value_json, note, na_reason) "
        "VALUES (:id, 'extra.item', '\"met\"', '', '')",
        {},
    ),
    ("patient name", "UPDATE records SET patient_name = 'Someone Else' WHERE id = :id", {}),
    ("mrn", "UPDATE records SET mrn = 'MRN999999' WHERE id = :id", {}),
    ("level", "UPDATE records SET level = 'C1-C2' WHERE id = :id", {}),
    ("laterality", "UPDATE records SET laterality = 'right' WHERE id = :id", {}),
    ("form version", "UPDATE records SET form_version = '99' WHERE id = :id", {}),
    ("canonical json", "UPDATE records SET canonical_json = canonical_json || ' ' WHERE id = :id", {}),
    ("content hash", "UPDATE records SET content_sha256 = :zeros WHERE id = :id", {"zeros": "0" * 64}),
    ("status signed", "UPDATE records SET status = 'signed' WHERE id = :id", {}),
    ("status amended", "UPDATE records SET status = 'amended' WHERE id = :id", {}),
    ("status draft", "UPDATE records SET status = 'draft' WHERE id = :id", {}),
    ("signer", "UPDATE signatures SET username = 'kim' WHERE record_id = :id AND meaning = 'prepared'", {}),
    ("reviewer", "UPDATE signatures SET username = 'dana' WHERE record_id = :id AND meaning = 'reviewed'", {}),
    ("meaning", "UPDATE signatures SET meaning = 'amended' WHERE record_id = :id AND meaning = 'prepared'", {}),
    ("reviewer role", "UPDATE signatures SET role = 'Nurse' WHERE record_id = :id AND meaning = 'reviewed'", {}),
    ("signature removed", "DELETE FROM signatures WHERE record_id = :id AND meaning = 'reviewed'", {}),
    (
        "signature added",
        "INSERT INTO signatures (record_id, meaning, username, full_name, role, signed_at) "
        "SELECT record_id, meaning, username, full_name, role, signed_at FROM signatures "
        "WHERE record_id = :id AND meaning = 'prepared'",
        {},
    ),
    ("newest pdf removed", "DELETE FROM record_pdfs WHERE record_id = :id AND revision = 2", {}),
    ("every pdf removed", "DELETE FROM record_pdfs WHERE record_id = :id", {}),
    (
        "audit entry",
        "UPDATE audit SET detail = detail || ' ' WHERE seq = (SELECT MAX(seq) FROM audit WHERE record_id = :id)",
        {},
    ),
    ("audit head", "DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)", {}),
]
CHANGES = st.one_of(
    st.builds(_answer_value, st.sampled_from(sorted(READY)), st.sampled_from(("not_met", "na", "maybe", 3, []))),
    st.sampled_from(FIXED_CHANGES),
)


@SETTINGS
@given(change=CHANGES, flip_at=st.integers(min_value=16, max_value=4000), flip=st.booleans())
def test_any_single_raw_change_to_a_signed_record_is_caught(
    attack_world: World, change: tuple[str, str, dict], flip_at: int, flip: bool
) -> None:
    world = attack_world
    assert world.svc.store.audit.verify().ok
    case = world.signed_case(name="Prop Attacked")
    world.svc.documents.co_sign(world.user("charge"), world.password("charge"), case.record_id)
    assert world.svc.documents.check(case.record_id).ok
    if flip:  # the PDF's bytes themselves: one byte of the newest revision
        stored = world.svc.store.records.latest_pdf(case.record_id)
        assert stored is not None
        data = bytearray(stored.pdf)
        data[flip_at % len(data)] ^= 0x20
        description, sql, params = (
            "pdf byte",
            "UPDATE record_pdfs SET pdf = :pdf WHERE record_id = :id AND revision = 2",
            {"pdf": bytes(data)},
        )
    else:
        description, sql, params = change
    attack_and_check(world, case.record_id, description, sql, params)


def attack_and_check(world: World, record_id: str, description: str, sql: str, params: dict[str, Any]) -> None:
    try:
        as_owner(world.url, sql, id=record_id, **params)
        caught = not world.svc.documents.check(record_id).ok or not world.svc.store.audit.verify().ok
        assert caught, f"not caught: {description}"
    finally:
        as_owner(world.url, rehash=True)  # a consistent chain again for the next attack


def test_every_listed_raw_change_is_caught(attack_world: World) -> None:
    """The property's fixed changes each once (hypothesis samples only a few of them per run)."""
    for description, sql, params in FIXED_CHANGES:
        assert attack_world.svc.store.audit.verify().ok
        case = attack_world.signed_case(name="Each Attacked")
        attack_world.svc.documents.co_sign(attack_world.user("charge"), attack_world.password("charge"), case.record_id)
        attack_and_check(attack_world, case.record_id, description, sql, params)
