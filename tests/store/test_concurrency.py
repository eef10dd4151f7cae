"""Two workstations on one draft: compare-and-set lets exactly one write win; the other is told to reload."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from checklist_app.store import ConflictError, RecordStateError, Store
from tests.helpers.store_rows import answer, cosign, new_draft, sign, signature


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls at the same moment in threads; each result is a return value or the exception."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:  # collected and asserted by the test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_stale_version_is_a_conflict_naming_who_changed_it(open_store: Callable[..., Store]) -> None:
    ward_a, ward_b = open_store(), open_store()
    row = new_draft(ward_a)
    seen_by_b = ward_b.records.get(row.id)
    ward_a.records.set_answer(
        row.id,
        "consent.signed",
        answer("met", by="nurse.ana"),
        expected_version=1,
        actor="nurse.ana",
        readiness_state="incomplete",
    )
    with pytest.raises(ConflictError) as info:
        ward_b.records.set_answer(
            row.id,
            "consent.signed",
            answer("not_met", by="nurse.ben"),
            expected_version=seen_by_b.version,
            actor="nurse.ben",
            readiness_state="incomplete",
        )
    err = info.value
    assert "changed on another workstation (by nurse.ana at " in str(err) and "Reload" in str(err)
    assert (err.expected_version, err.current_version, err.changed_by) == (1, 2, "nurse.ana")
    reloaded = ward_b.records.get(row.id)
    assert reloaded.record.answers["consent.signed"].value == "met"
    ward_b.records.set_answer(
        row.id,
        "consent.signed",
        answer("not_met", by="nurse.ben"),
        expected_version=reloaded.version,
        actor="nurse.ben",
        readiness_state="incomplete",
    )
    assert ward_a.records.get(row.id).record.answers["consent.signed"].value == "not_met"


def test_simultaneous_writers_one_wins_one_conflicts(open_store: Callable[..., Store]) -> None:
    ward_a, ward_b = open_store(), open_store()
    for round_ in range(5):
        row = new_draft(ward_a)
        results = race(
            partial(
                ward_a.records.set_answer,
                row.id,
                "x",
                answer(f"a{round_}"),
                expected_version=1,
                actor="nurse.ana",
                readiness_state="incomplete",
            ),
            partial(
                ward_b.records.set_answer,
                row.id,
                "x",
                answer(f"b{round_}"),
                expected_version=1,
                actor="nurse.ben",
                readiness_state="incomplete",
            ),
        )
        wins = [r for r in results if r == 2]
        conflicts = [r for r in results if isinstance(r, ConflictError)]
        assert len(wins) == 1 and len(conflicts) == 1, results
        winner = "a" if results[0] == 2 else "b"
        final = ward_a.records.get(row.id)
        assert final.version == 2 and final.record.answers["x"].value == f"{winner}{round_}"
        assert [e.action for e in ward_b.audit.entries(record_id=row.id)] == ["record.created", "answer.set"]
    assert ward_a.audit.verify().ok


def test_signing_races_an_answer(open_store: Callable[..., Store]) -> None:
    ward_a, ward_b = open_store(), open_store()
    row = new_draft(ward_a)
    results = race(
        lambda: sign(ward_a, row),
        lambda: ward_b.records.set_answer(
            row.id, "late", answer("yes"), expected_version=1, actor="nurse.ben", readiness_state="incomplete"
        ),
    )
    final = ward_a.records.get(row.id)
    if isinstance(results[0], Exception):  # the answer got in first; signing saw a newer version
        assert isinstance(results[0], ConflictError) and final.status == "draft"
    else:  # signed first; the late answer must be refused, never silently added to a signed record
        assert isinstance(results[1], RecordStateError | ConflictError)
        assert final.status == "signed" and "late" not in final.record.answers


def test_two_cosigners_one_wins(open_store: Callable[..., Store]) -> None:
    ward_a, ward_b = open_store(), open_store()
    row = sign(ward_a, new_draft(ward_a))
    latest = ward_a.records.latest_pdf(row.id)
    assert latest is not None
    results = race(
        *[
            (
                lambda s=s, who=who: s.records.add_signature(  # type: ignore[misc]
                    row.id, signature("reviewed", who, "charge_nurse"), latest.pdf + f"% {who}\n".encode()
                )
            )
            for s, who in ((ward_a, "charge.lee"), (ward_b, "charge.mo"))
        ]
    )
    assert sum(isinstance(r, ConflictError) for r in results) == 1, results
    final = ward_a.records.get(row.id)
    assert final.status == "reviewed" and [s.meaning for s in final.signatures] == ["prepared", "reviewed"]
    # The loser reloads and co-signs on top of the winner's PDF.
    cosign(ward_b, final, "charge.mo")
    assert len(ward_b.records.get(row.id).signatures) == 3


def test_two_amendments_of_one_record_one_wins(open_store: Callable[..., Store]) -> None:
    ward_a, ward_b = open_store(), open_store()
    row = sign(ward_a, new_draft(ward_a))
    results = race(
        lambda: ward_a.records.amend(row.id, "reason a", "charge.lee"),
        lambda: ward_b.records.amend(row.id, "reason b", "charge.mo"),
    )
    assert sum(isinstance(r, RecordStateError) for r in results) == 1, results
    assert len(ward_a.records.versions(row.id)) == 2
