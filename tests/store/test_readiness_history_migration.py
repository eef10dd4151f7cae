"""Migration 0014 fills the readiness history of records saved before it, from the audit log (states, times)
and the stored answers (the latest save's blockers), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, text

from checklist_app.services.catalog import DEFAULT_FORM_ID, load_form
from checklist_app.store import Store
from checklist_app.store.connection import create_store_engine, upgrade
from checklist_app.store.readiness_report import ReportScope
from checklist_app.store.tables import readiness_history
from tests.helpers.store_rows import answer, make_record

BEFORE = "0013_cancel_reschedule"


def _saved_before_0014(store: Store, record_id: str, value: str, versions: list[tuple[int, str, str]]) -> None:
    """What a 0013 save left: the answer row, the record's version and state, one audit entry per save."""
    for version, state, action in versions:
        store.audit.append(
            "nurse.kim", action, record_id, {"item": "consent.signed", "version": version, "readiness_state": state}
        )
    store.db.write(
        lambda c: c.execute(
            text(
                "INSERT INTO answers (record_id, item_id, value_json, note, na_reason) "
                "VALUES (:r, 'consent.signed', :v, '', '')"
            ),
            {"r": record_id, "v": f'"{value}"'},
        )
    )
    store.db.write(
        lambda c: c.execute(
            text("UPDATE records SET version = :v, readiness_state = :s WHERE id = :r"),
            {"v": versions[-1][0], "s": versions[-1][1], "r": record_id},
        )
    )


def test_the_history_of_earlier_saves_is_filled_in(empty_db_url: str) -> None:
    engine = create_store_engine(empty_db_url)
    upgrade(engine, BEFORE)
    engine.dispose()
    form = load_form(DEFAULT_FORM_ID)
    with Store.open(empty_db_url, migrate=False) as old:
        old.forms.save(form)

        def draft(mrn: str) -> str:
            return old.records.create_draft(
                make_record(mrn=mrn), "nurse.kim", form.version, form.content_hash, "incomplete"
            ).id

        fixed, blocked = draft("MRN-1"), draft("MRN-2")
        _saved_before_0014(
            old,
            fixed,
            "met",
            [(2, "not_ready", "answer.set"), (3, "ready", "answer.set"), (4, "ready", "record.rescheduled")],
        )
        _saved_before_0014(old, blocked, "not_met", [(2, "not_ready", "answer.set")])
    with Store.open(empty_db_url) as store:
        rows = store.db.read(
            lambda c: c.execute(
                select(
                    readiness_history.c.record_id,
                    readiness_history.c.version,
                    readiness_history.c.state,
                    readiness_history.c.event,
                    readiness_history.c.item,
                    readiness_history.c.drug,
                ).order_by(readiness_history.c.record_id, readiness_history.c.version)
            ).all()
        )
        assert {r.record_id for r in rows} == {fixed, blocked}
        assert [tuple(r)[1:] for r in rows if r.record_id == fixed] == [
            (2, "not_ready", "answer", "", ""),
            (3, "ready", "answer", "", ""),
            (4, "ready", "reschedule", "", ""),
        ]
        assert [tuple(r)[1:] for r in rows if r.record_id == blocked] == [
            (2, "not_ready", "answer", "consent.signed", "")
        ]
        # The backfilled history counts like a saved one: the NOT READY case by its reason, the moved case.
        figures = store.reports.figures(
            ReportScope(datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
        )
        assert [(r.item, r.cases) for r in figures.reasons] == [("consent.signed", 1)]
        assert figures.outcomes["rescheduled"] == 1
        # A save after the migration writes its own rows (the save paths know the table).
        store.records.set_answer(
            blocked,
            "consent.signed",
            answer("met"),
            expected_version=2,
            actor="nurse.kim",
            readiness_state="ready",
            previous=store.records.get(blocked).record.answers["consent.signed"],
        )
        assert (
            store.reports.figures(
                ReportScope(datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
            ).reasons
            == figures.reasons
        )
