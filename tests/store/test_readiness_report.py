"""The dashboard's figures (store/readiness_report.py) over a small synthetic week, counted by hand, on SQLite and
PostgreSQL; and the readiness history cannot be rewritten behind the app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from checklist_app.store import ImmutableRecordError, Store
from checklist_app.store.readiness_report import ReasonCount, ReportScope
from tests.helpers.store_rows import answer, canonical, fake_pdf, make_record, new_draft, sign, signature

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
WEEK = ReportScope(datetime(2026, 11, 23, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC))
CONSENT, MEDS, FASTING = ("consent.signed", None), ("meds.anticoagulants", "apixaban"), ("fasting.solids", None)
WARFARIN = ("meds.anticoagulants", "warfarin")


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def _save(store: Store, record_id: str, version: int, state: str, blockers: list[tuple[str, str | None]]) -> int:
    return store.records.set_answer(
        record_id,
        "consent.signed",
        answer("met" if not blockers else "not_met"),
        expected_version=version,
        actor="nurse.kim",
        readiness_state=state,
        previous=store.records.get(record_id).record.answers.get("consent.signed"),
        blockers=blockers,
    )


def _sign(store: Store, record_id: str, **override: str) -> None:
    row = store.records.get(record_id)
    text_, digest = canonical(row)
    store.records.sign(
        record_id,
        expected_version=row.version,
        canonical_json=text_,
        sha256=digest,
        signature=replace(signature(), **override),
        pdf=fake_pdf(),
    )  # type: ignore[arg-type]


@pytest.fixture
def week(open_store: Callable[..., Store]) -> Store:
    """Seven cases, hand-counted in the test below."""
    clock = Clock()
    store = open_store(clock=clock)

    def draft(mrn: str, at: str = "2026-11-25T09:30:00-05:00", nurse: str = "nurse.kim") -> str:
        return new_draft(store, make_record(mrn=mrn, scheduled_at=at), nurse=nurse).id

    a = draft("MRN-A")  # NOT READY (consent), then ready; signed 60 min after its first answer
    _save(store, a, _save(store, a, 1, "not_ready", [CONSENT]), "ready", [])
    _sign(store, a)
    clock.now = T0 + timedelta(minutes=30)
    b = draft("MRN-B", nurse="nurse.ray")  # two drugs, then one; signed with an override 30 min later
    _save(store, b, _save(store, b, 1, "not_ready", [MEDS, WARFARIN]), "not_ready", [MEDS])
    _sign(store, b, override_reason="benefit outweighs risk", override_authorised_by="Dr Ada Proc")
    c = draft("MRN-C")  # ate: moved to Friday (within the week), judged ready there
    version = _save(store, c, 1, "not_ready", [FASTING])
    store.records.reschedule(
        c,
        datetime(2026, 11, 27, 14, 0, tzinfo=UTC),
        "ate breakfast",
        expected_version=version,
        actor="nurse.kim",
        readiness_state="ready",
    )
    d = draft("MRN-D")  # NOT READY (consent), then cancelled
    _save(store, d, 1, "not_ready", [CONSENT])
    _sign(store, d, meaning="cancelled", override_reason="patient declined")
    e = draft("MRN-E")  # ready, not yet signed
    _save(store, e, 1, "ready", [])
    f = draft("MRN-F", at="2026-12-09T09:30:00-05:00")  # another week: not counted
    _save(store, f, 1, "not_ready", [CONSENT])
    g = draft("MRN-G")  # signed, then amended: counted once, as its (open) amendment
    _save(store, g, 1, "ready", [])
    sign(store, store.records.get(g))
    store.records.amend(g, "wrong level", "charge.lee")
    return store


def test_the_figures_of_a_known_week_are_the_hand_counted_ones(week: Store) -> None:
    figures = week.reports.figures(WEEK)
    assert figures.cases == 6
    assert figures.outcomes == {"signed_ready": 1, "signed_override": 1, "rescheduled": 1, "cancelled": 1, "open": 2}
    assert figures.reasons == (
        ReasonCount("consent.signed", None, 2),
        ReasonCount("fasting.solids", None, 1),
        ReasonCount("meds.anticoagulants", "apixaban", 1),
        ReasonCount("meds.anticoagulants", "warfarin", 1),
    )
    assert figures.median_minutes_to_sign == 45.0  # A: 60 min, B: 30 min (the signature is at 09:00 UTC)
    assert figures.overrides == (("Dr Ada Proc", 1),)
    assert [(w[1], w[2]) for w in figures.weeks] == [(6, 4)]  # A, B, C and D were NOT READY at a save


def test_filters_narrow_the_figures(week: Store) -> None:
    ray = week.reports.figures(replace(WEEK, nurse="nurse.ray"))
    assert (ray.cases, ray.outcomes["signed_override"], [r.drug for r in ray.reasons]) == (
        1,
        1,
        ["apixaban", "warfarin"],
    )
    other = week.reports.figures(replace(WEEK, procedure_type="medial_branch_block"))
    assert (other.cases, other.reasons, other.median_minutes_to_sign) == (0, (), None)
    assert week.reports.choices(WEEK) == (("interlaminar_epidural",), ("charge.lee", "nurse.kim", "nurse.ray"))


def test_the_history_cannot_be_rewritten_or_added_to_a_signed_record(week: Store) -> None:
    signed = week.db.read(
        lambda c: c.execute(text("SELECT r.id, r.version FROM records r WHERE r.status = 'signed'")).first()
    )
    for sql in ("UPDATE readiness_history SET item = 'x'", "DELETE FROM readiness_history"):
        with pytest.raises(ImmutableRecordError):
            week.db.write(lambda c, s=sql: c.execute(text(s)))
    with pytest.raises(ImmutableRecordError):
        week.db.write(
            lambda c: c.execute(
                text(
                    "INSERT INTO readiness_history (record_id, version, saved_at, state, event, item, drug) "
                    "VALUES (:id, :v, :at, 'not_ready', 'answer', 'consent.signed', '')"
                ),
                {"id": signed.id, "v": signed.version, "at": T0},
            )
        )
    assert week.reports.figures(WEEK).reasons[0] == ReasonCount("consent.signed", None, 2)


def test_every_save_path_writes_the_same_history(store: Store) -> None:
    """With the previous answer (SQLite's driver path; PostgreSQL's one-call function) and without it (SQLite's
    driver path; PostgreSQL's general path): the same rows, in the save's own version."""

    def saves(with_previous: bool) -> list[tuple[object, ...]]:
        record_id = new_draft(store).id
        version, previous = 1, None
        for value, state, blockers in (("not_met", "not_ready", [CONSENT, MEDS]), ("met", "ready", [])):
            kwargs = {"previous": previous} if with_previous else {}
            step = answer(value)
            version = store.records.set_answer(
                record_id,
                "consent.signed",
                step,
                expected_version=version,
                actor="nurse.kim",
                readiness_state=state,
                blockers=blockers,
                **kwargs,
            )
            previous = step
        return store.db.read(
            lambda c: [
                tuple(r)
                for r in c.execute(
                    text(
                        "SELECT version, state, event, item, drug FROM readiness_history WHERE record_id = :r "
                        "ORDER BY version, item, drug"
                    ),
                    {"r": record_id},
                )
            ]
        )

    expected = [
        (2, "not_ready", "answer", "consent.signed", ""),
        (2, "not_ready", "answer", *MEDS),
        (3, "ready", "answer", "", ""),
    ]
    assert saves(with_previous=True) == expected
    assert saves(with_previous=False) == expected


def test_an_amended_case_keeps_its_reasons_and_its_first_answer(open_store: Callable[..., Store]) -> None:
    """NOT READY, signed with an override, then amended (twice): still one case with its reasons, and its time
    to sign runs from the first answer of its first version to the signature of its latest."""
    clock = Clock()
    store = open_store(clock=clock)
    both = (ReasonCount("consent.signed", None, 1), ReasonCount("meds.anticoagulants", "apixaban", 1))
    first = new_draft(store, make_record(mrn="MRN-H", scheduled_at="2026-11-25T09:30:00-05:00")).id
    version = _save(store, first, 1, "not_ready", [CONSENT, MEDS])  # first answer: 08:00 UTC
    clock.now = T0 + timedelta(minutes=10)
    _save(store, first, version, "not_ready", [MEDS])
    _sign(store, first, override_reason="benefit outweighs risk", override_authorised_by="Dr Ada Proc")
    second = store.records.amend(first, "wrong level", "charge.lee").id
    figures = store.reports.figures(WEEK)
    assert (figures.cases, figures.outcomes["open"], figures.median_minutes_to_sign) == (1, 1, None)
    assert figures.reasons == both
    assert [(w[1], w[2]) for w in figures.weeks] == [(1, 1)]

    _sign(
        store,
        second,
        meaning="amended",
        override_reason="benefit outweighs risk",
        override_authorised_by="Dr Ada Proc",
        signed_at=datetime(2026, 11, 24, 10, 30, tzinfo=UTC),
    )
    third = store.records.amend(second, "wrong side", "charge.lee").id
    _sign(
        store,
        third,
        meaning="amended",
        override_reason="benefit outweighs risk",
        override_authorised_by="Dr Bo Proc",
        signed_at=datetime(2026, 11, 24, 11, 0, tzinfo=UTC),
    )
    figures = store.reports.figures(WEEK)
    assert (figures.cases, figures.outcomes["signed_override"]) == (1, 1)
    assert figures.reasons == both
    assert figures.median_minutes_to_sign == 180.0  # 08:00 (first answer of the first version) to 11:00
    assert figures.overrides == (("Dr Bo Proc", 1),)
    assert [(w[1], w[2]) for w in figures.weeks] == [(1, 1)]


@pytest.mark.parametrize("offset", ["-05:00", "+09:00"])
def test_an_evening_and_a_night_case_are_in_the_weeks_of_their_own_day(store: Store, offset: str) -> None:
    """The weekly trend buckets by the day the case is booked on, not its UTC day (nor the database's zone)."""
    start = datetime.fromisoformat(f"2026-11-23T00:00:00{offset}")
    late = new_draft(store, make_record(mrn="MRN-LATE", scheduled_at=f"2026-11-29T23:30:00{offset}")).id
    _save(store, late, 1, "not_ready", [CONSENT])
    new_draft(store, make_record(mrn="MRN-EARLY", scheduled_at=f"2026-11-30T00:30:00{offset}"))
    new_draft(store, make_record(mrn="MRN-EARLY2", scheduled_at=f"2026-11-30T00:30:00{offset}"))
    figures = store.reports.figures(ReportScope(start, start + timedelta(days=14)))
    assert [(w[0].isoformat(), w[1], w[2]) for w in figures.weeks] == [("2026-11-23", 1, 1), ("2026-11-30", 2, 0)]
