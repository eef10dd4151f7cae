"""Cases: open today's worklist, start a case, save one answer at a time, search saved records."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from ..domain import lifecycle, limits
from ..domain.answers import coerce_value
from ..domain.errors import RecordError
from ..domain.forms import FormDefinition
from ..domain.lifecycle import Action, Status
from ..domain.readiness import Readiness, evaluate, ready_after_waiting
from ..domain.reasons import blocker_keys
from ..domain.records import Answer, Patient, Procedure, Record
from ..domain.schedule import LEVEL_FIRST, needs_level
from ..domain.timefmt import local_now
from ..store import Store
from ..store.audit import Actions
from ..store.record_rows import RecordFilter, RecordRow, RecordSummary
from .catalog import DEFAULT_FORM_ID, find_form, load_form, site_form_note
from .errors import PermissionRefused
from .models import CaseFilter, CasePage, CaseState, CaseSummary, User

EDITORS = lifecycle.EDITORS  # kept here for the UI pages that ask who works on cases


def _jsonable(value: Any) -> Any:
    """Answers are stored as JSON: datetimes become ISO 8601 text with their offset."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def summary(row: RecordSummary) -> CaseSummary:
    return CaseSummary(
        record_id=row.id,
        status=row.status,
        readiness_state=row.readiness_state,
        patient_name=row.patient_name,
        mrn=row.mrn,
        birth_date=row.birth_date,
        procedure_type=row.procedure_type,
        level=row.level,
        laterality=row.laterality,
        scheduled_at=row.scheduled_at,
        nurse=row.nurse,
        signed_at=row.signed_at,
        printed_at=row.printed_at,
        supersedes_id=row.supersedes_id,
        printed_by=row.printed_by,
        print_outcome=row.print_outcome,
        signed_by=row.signed_by,
    )


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone()


def record_filter(filters: CaseFilter) -> RecordFilter:
    return RecordFilter(
        status=filters.status,
        readiness_state=filters.readiness,
        scheduled_from=_day_start(filters.date_from) if filters.date_from else None,
        scheduled_to=_day_start(filters.date_to + timedelta(days=1)) if filters.date_to else None,
        nurse=filters.nurse or None,
        text=(filters.text or "").strip() or None,
        printed=filters.printed,
        procedure_type=filters.procedure_type,
        reason=filters.reason,
        latest_only=filters.latest_only,
    )


class CaseService:
    def __init__(self, store: Store, clock: Any = local_now) -> None:
        self._store = store
        self._clock = clock
        self._forms: dict[str, FormDefinition] = {}  # pinned older forms by hash (immutable, so cacheable)

    def now(self) -> datetime:
        moment: datetime = self._clock()
        return moment

    def form_for(self, record: Record) -> FormDefinition:
        """The form the record was made with: the current file when its hash matches, else the stored copy."""
        current = load_form(record.form)
        if record.form_hash in (None, current.content_hash):
            return current
        pinned = self._forms.get(record.form_hash)
        if pinned is None:
            # The database's copy, else an earlier version shipped or kept by the site beside the current file.
            pinned = self._store.forms.get(record.form_hash) or find_form(record.form, form_hash=record.form_hash)
            if pinned is None:
                raise RecordError(
                    "form",
                    f"this record was made with form {record.form} version "
                    f"{record.form_version} ({record.form_hash[:12]}), which this database "
                    "does not hold; open it on the workstation that created it",
                )
            self._forms[record.form_hash] = pinned
        return pinned

    def state(self, row: RecordRow, readiness: Readiness | None = None) -> CaseState:
        form = self.form_for(row.record)
        if readiness is None:
            readiness = evaluate(form, row.record, self._clock())
        return CaseState(
            record_id=row.id,
            version=row.version,
            status=row.status,
            record=row.record,
            readiness=readiness,
            form=form,
            nurse=row.nurse,
            saved_at=row.updated_at,
            signed_at=row.signed_at,
            printed_at=row.printed_at,
            content_sha256=row.content_sha256,
            supersedes_id=row.supersedes_id,
            form_note=site_form_note(form),
        )

    def new_case(self, user: User, patient: Patient, procedure: Procedure, form_id: str = DEFAULT_FORM_ID) -> CaseState:
        refused = lifecycle.why_not(Action.START, roles=user.roles, user_id=user.username, facts=None)
        if refused:
            raise PermissionRefused(refused)
        form = load_form(form_id)
        if procedure.type not in form.procedure_table:
            raise RecordError("procedure.type", f"{procedure.type!r} is not a procedure of this checklist")
        # One MRN, one patient: a known MRN brings its demographics; another name or birth date is refused.
        patient = self._store.db.write(
            lambda conn: self._store.patients.resolve_in(
                conn, patient, issuer=None, source="typed", actor=user.username, mrn_field="patient.mrn"
            )
        )
        record = Record(
            form=form.id,
            form_version=form.version,
            form_hash=form.content_hash,
            patient=patient,
            procedure=procedure,
            source="typed",
        )
        readiness = evaluate(form, record, self._clock())
        self._store.forms.save(form)  # so every workstation can judge this record by this exact form
        row = self._store.records.create_draft(record, user.username, form.version, form.content_hash, readiness.state)
        return self.state(row, readiness)

    def form_levels(self, procedure_type: str, form_id: str = DEFAULT_FORM_ID) -> tuple[str, ...]:
        """The levels the form offers for a procedure type (empty: the form leaves the level free)."""
        kind = load_form(form_id).procedure_table.get(procedure_type)
        return kind.levels if kind else ()

    def open_case(self, user: User, record_id: str) -> CaseState:
        row = self._store.records.get(record_id)
        self._store.audit.append(user.username, Actions.RECORD_VIEWED, record_id)
        return self.state(row)

    def refresh(self, case: CaseState) -> CaseState:
        """Re-evaluate with the current time (holds and fasting change as time passes)."""
        return case.model_copy(update={"readiness": evaluate(case.form, case.record, self._clock())})

    def answer(
        self, user: User, case: CaseState, item_id: str, value: Any, *, note: str = "", na_reason: str = ""
    ) -> CaseState:
        """Save one answer durably, then return the case with its new readiness."""
        # The roles are judged here; the record's state by the store as it writes (it may have changed).
        refused = lifecycle.why_not(Action.ANSWER, roles=user.roles, user_id=user.username, facts=None)
        if refused:
            raise PermissionRefused(refused)
        if needs_level(case.record):  # ScheduleService.confirm_level first
            raise RecordError("procedure.level", LEVEL_FIRST)
        item = case.form.items.get(item_id)
        if item is None:
            raise RecordError(f"answers.{item_id}", "unknown item id")
        now = self._clock()
        value = _jsonable(value)
        # Bad input is refused before anything is saved; the other answers were checked when they were saved,
        # so the engine takes their typed values as they are and checks none of them again.
        typed = coerce_value(case.form, item, value, now, item.text)
        for text in (note, na_reason):
            if len(text) > limits.NOTE_CHARS:  # signing renders it into the PDF: a 1 MB note took a minute
                raise RecordError(f"answers.{item_id}", f"the note is longer than {limits.NOTE_CHARS} characters")
        cleared = value is None and not note.strip() and not na_reason.strip()
        answer = None if cleared else Answer(value=value, note=note, na_reason=na_reason, by=user.username, at=now)
        record = case.record.with_answer(item_id, answer)
        checked = {**case.readiness.values, item_id: typed}
        readiness = evaluate(case.form, record, now, checked)
        # `previous`: the answer this case held at its version; the store checks it against the row.
        version = self._store.records.set_answer(
            case.record_id,
            item_id,
            answer,
            expected_version=case.version,
            actor=user.username,
            readiness_state=readiness.state,
            previous=case.record.answers.get(item_id),
            blockers=blocker_keys(case.form, readiness),
        )
        return case.model_copy(update={"record": record, "readiness": readiness, "version": version, "saved_at": now})

    def worklist(self, user: User, day: date) -> list[CaseSummary]:
        rows, _ = self._store.records.search_page(
            CaseSummary,
            RecordFilter(scheduled_from=_day_start(day), scheduled_to=_day_start(day + timedelta(days=1))),
            limit=500,
        )
        return [r for r in rows if r.status != Status.AMENDED.value]

    def ready_times(self, rows: list[CaseSummary]) -> dict[str, datetime]:
        """Record id → the time the draft can start ("ready from"), for the worklist's drafts that a wait makes
        READY (a hold or a fast that completes later). Judged now: the stored state is the one of the last save."""
        out: dict[str, datetime] = {}
        waiting = [
            row.record_id for row in rows if row.status == Status.DRAFT.value and row.readiness_state != "incomplete"
        ]
        for record_id, record_row in self._store.records.get_many(waiting).items():  # one read for them all
            moment = self.ready_time(self.state(record_row))
            if moment is not None:
                out[record_id] = moment
        return out

    def ready_time(self, case: CaseState) -> datetime | None:
        """The time this case can start when a wait is all it needs (see `ready_after_waiting`), else None."""
        if case.status != Status.DRAFT.value:
            return None
        return ready_after_waiting(case.form, case.record, self._clock(), case.readiness)

    def search(
        self, filters: CaseFilter, *, limit: int = 100, after: str | None = None, descending: bool = False
    ) -> CasePage:
        """One page by scheduled time (newest first with `descending`); `after` is the previous next_cursor."""
        # Rows built straight from the driver's tuples, in CaseSummary's field order (store PAGE_COLUMNS).
        rows, cursor = self._store.records.search_page(
            CaseSummary, record_filter(filters), limit=limit, after=after, descending=descending
        )
        return CasePage(rows=tuple(rows), next_cursor=cursor)

    def count(self, filters: CaseFilter) -> int:
        return self._store.records.count(record_filter(filters))

    def known_patient(self, mrn: str) -> Patient | None:
        """The patient an MRN already names, or None for an MRN never seen.

        One MRN is one patient: the new-case dialog fills the patient in from this and does not let it be
        typed differently. The patients table is what `new_case` holds a typed case to (it follows ADT^A08
        corrections, which records already signed do not), so it is asked first, for exactly this MRN."""
        wanted = mrn.strip()
        if not wanted:
            return None
        if known := self._store.patients.find(wanted):
            return known[0].patient
        # Records made before the patients table (0006), or the MRN typed in another letter case.
        page = self._store.records.search(RecordFilter(text=wanted), limit=50, descending=True)
        for row in page.items:
            if row.mrn.strip().casefold() == wanted.casefold():
                if known := self._store.patients.find(row.mrn):
                    return known[0].patient
                return Patient.model_validate(
                    {"name": row.patient_name, "birth_date": row.birth_date, "mrn": row.mrn, "sex": row.sex}
                )
        return None

    def print_queue(self, limit: int = 500) -> list[CaseSummary]:
        rows, _ = self._store.records.search_page(
            CaseSummary, RecordFilter(status=(Status.SIGNED.value, Status.REVIEWED.value), printed=False), limit=limit
        )
        return rows

    def sent_to_printer(self, limit: int = 500) -> list[CaseSummary]:
        """Records sent to a printer, newest time first: what the coordinator may confirm or reprint."""
        page = self._store.records.search(
            RecordFilter(status=(Status.SIGNED.value, Status.REVIEWED.value, Status.AMENDED.value), printed=True),
            limit=limit,
            descending=True,
        )
        return [summary(r) for r in page.items]

    def reschedule(self, user: User, record_id: str, scheduled_at: datetime, reason: str) -> CaseState:
        """Move a draft to a new time, audited with its reason, and judge it again at the new time."""
        row = self._store.records.get(record_id)
        facts = lifecycle.Facts(status=row.status, is_latest=row.superseded_by_id is None)
        refused = lifecycle.why_not(Action.RESCHEDULE, roles=user.roles, user_id=user.username, facts=facts)
        if refused:
            raise PermissionRefused(refused)
        if not reason.strip():
            raise RecordError("reason", "a new time needs a reason (for example “patient unwell, moved to Friday”)")
        if scheduled_at.utcoffset() is None:
            raise RecordError("scheduled_at", "give the new time with its UTC offset")
        procedure = Procedure.model_validate({**row.record.procedure.model_dump(), "scheduled_at": scheduled_at})
        record = row.record.model_copy(update={"procedure": procedure})
        readiness = evaluate(self.form_for(record), record, self._clock())
        moved = self._store.records.reschedule(
            record_id,
            scheduled_at,
            reason.strip(),
            expected_version=row.version,
            actor=user.username,
            readiness_state=readiness.state,
            blockers=blocker_keys(self.form_for(record), readiness),
        )
        return self.state(moved, readiness)
