"""The hospital's schedule in: apply a booked step (MWL or HL7) to the drafts, one transaction each."""

from __future__ import annotations

import contextlib
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection

from ..domain import lifecycle
from ..domain.errors import ChecklistError, RecordError
from ..domain.forms import FormDefinition
from ..domain.lifecycle import Action
from ..domain.readiness import evaluate
from ..domain.schedule import ScheduledCase, ScheduleRefusal, draft_record, procedure_for
from ..interop import hl7v2, mwl
from ..store import Store
from ..store.schedule import HL7_MESSAGE, CaseOrigin, ScheduleEntry
from .cases import CaseService
from .catalog import DEFAULT_FORM_ID, load_form
from .errors import PermissionRefused
from .models import CaseState, User

log = logging.getLogger("checklist_app.schedule")

Outcome = Literal["new", "updated", "unchanged"]
FEED_ACTOR = {"mwl": "feed:mwl", "hl7": "feed:hl7"}


def site_zone(environ: dict[str, str] | None = None) -> tzinfo:
    """The site's time zone: CHECKLIST_SITE_TZ (an IANA name such as America/New_York), else this computer's."""
    name = (environ if environ is not None else os.environ).get("CHECKLIST_SITE_TZ", "").strip()
    if not name:
        local = datetime.now().astimezone().tzinfo
        assert local is not None
        return local
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ChecklistError(f"CHECKLIST_SITE_TZ={name!r} is not a known time zone (e.g. America/New_York)") from None


@dataclass(frozen=True)
class MwlSettings:
    """The site's worklist server for "Refresh from schedule" (environment: CHECKLIST_MWL=HOST:PORT, and
    CHECKLIST_MWL_CALLED_AET, CHECKLIST_MWL_CALLING_AET, CHECKLIST_MWL_REFRESH_MINUTES for a timer)."""

    host: str
    port: int
    called_aet: str = "ANY-SCP"
    calling_aet: str = "CHECKLIST"
    refresh_minutes: int = 0  # 0: only when asked

    @classmethod
    def from_environ(cls, environ: dict[str, str] | None = None) -> MwlSettings | None:
        env = environ if environ is not None else dict(os.environ)
        address = env.get("CHECKLIST_MWL", "").strip()
        if not address:
            return None
        host, _, port = address.rpartition(":")
        minutes = env.get("CHECKLIST_MWL_REFRESH_MINUTES", "0").strip() or "0"
        if not host or not port.isdigit() or not minutes.isdigit():
            raise ChecklistError(
                f"CHECKLIST_MWL={address!r} / CHECKLIST_MWL_REFRESH_MINUTES={minutes!r}: give "
                "HOST:PORT and a whole number of minutes"
            )
        return cls(
            host=host.strip("[]"),
            port=int(port),
            called_aet=env.get("CHECKLIST_MWL_CALLED_AET", "").strip() or "ANY-SCP",
            calling_aet=env.get("CHECKLIST_MWL_CALLING_AET", "").strip() or "CHECKLIST",
            refresh_minutes=int(minutes),
        )


@dataclass
class PullReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    refusals: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def lines(self) -> list[str]:
        head = f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, {len(self.refusals)} refused"
        return [head, *(f"refused {r}" for r in self.refusals)]


class StepRefused(ChecklistError):
    """A step that cannot be applied for a reason beyond its data (e.g. its checklist is already signed)."""


class ScheduleService:
    def __init__(
        self, store: Store, cases: CaseService, *, form_id: str = DEFAULT_FORM_ID, zone: tzinfo | None = None
    ) -> None:
        self._store = store
        self._cases = cases
        self._form_id = form_id
        self._zone = zone
        self._form: FormDefinition | None = None

    @property
    def zone(self) -> tzinfo:
        """The site's time zone, read on first use (a bad CHECKLIST_SITE_TZ stops a feed, not the worklist)."""
        if self._zone is None:
            self._zone = site_zone()
        return self._zone

    def form(self) -> FormDefinition:
        """The current form (its schedule mapping), stored by hash once so every workstation can judge drafts."""
        if self._form is None:
            self._form = load_form(self._form_id)
            self._store.forms.save(self._form)
        return self._form

    # -- one step -----------------------------------------------------------------------------------------------

    def apply_in(self, conn: Connection, case: ScheduledCase, reference: dict[str, str]) -> tuple[Outcome, str | None]:
        """Apply one step inside the caller's transaction; returns the outcome and the draft's id."""
        form = self._form
        if form is None:  # form() writes in a transaction of its own: never from inside the caller's
            raise RuntimeError("ScheduleService.form() must be called before apply_in")
        actor = FEED_ACTOR[case.source]
        entry = self._store.schedule.entry_in(conn, case.source, case.key)
        fingerprint = case.fingerprint()
        day = case.scheduled_at.astimezone(self.zone).date()
        if entry is not None and entry.fingerprint == fingerprint and (entry.removed_at is None) != case.cancelled:
            return "unchanged", entry.record_id
        if case.cancelled:
            # Nothing to mark for a step never seen, already marked, or whose checklist is signed (it stays).
            if entry is None or entry.status != "draft" or entry.removed_at is not None:
                return "unchanged", None if entry is None else entry.record_id
            self._store.schedule.mark_removed_in(
                conn,
                entry,
                reason="discontinued in the schedule",
                actor=actor,
                fingerprint=fingerprint,
                reference=reference,
            )
            return "updated", entry.record_id
        procedure_for(form, case)  # an unmapped code is refused before anything is written
        if entry is not None and entry.status != "draft":
            raise StepRefused(
                f"the checklist {entry.record_id} is already {entry.status}; the schedule's change is not applied to it"
            )
        patient = self._store.patients.resolve_in(
            conn, case.patient, issuer=case.issuer, source=case.source, actor=actor, mrn_field=_mrn_field(case)
        )
        if entry is None:
            record = draft_record(form, case, patient)
            state = evaluate(form, record, self._cases.now()).state
            record_id = self._store.schedule.create_in(
                conn,
                source=case.source,
                key=case.key,
                record=record,
                actor=actor,
                form_version=form.version,
                form_hash=form.content_hash,
                readiness_state=state,
                day=day,
                fingerprint=fingerprint,
                reference=reference,
            )
            return "new", record_id
        current = self._store.records._load(conn, entry.record_id).record
        pinned = self._cases.form_for(current)
        record = current.model_copy(update={"patient": patient, "procedure": procedure_for(pinned, case)})
        state = evaluate(pinned, record, self._cases.now()).state
        self._store.schedule.update_in(
            conn,
            entry,
            record=record,
            actor=actor,
            readiness_state=state,
            day=day,
            fingerprint=fingerprint,
            reference=reference,
        )
        return "updated", entry.record_id

    def confirm_level(self, user: User, case: CaseState, level: str) -> CaseState:
        """The nurse confirms the spinal level the schedule did not give, before the first answer (audited)."""
        refused = lifecycle.why_not(Action.ANSWER, roles=user.roles, user_id=user.username, facts=None)
        if refused:
            raise PermissionRefused(refused)
        level = " ".join(level.split())
        if not level or len(level) > 50:
            raise RecordError("procedure.level", "give the level, e.g. L4-L5 (at most 50 characters)")
        procedure = case.record.procedure.model_copy(update={"level": level})
        record = case.record.model_copy(update={"procedure": procedure})
        readiness = evaluate(case.form, record, self._cases.now())
        version = self._store.schedule.set_level(
            case.record_id, level, expected_version=case.version, actor=user.username, readiness_state=readiness.state
        )
        return case.model_copy(update={"record": record, "readiness": readiness, "version": version})

    def origins(self, record_ids: list[str]) -> dict[str, CaseOrigin]:
        """For the worklist: each case's source (typed, MWL, HL7), accession, and "removed from schedule"."""
        return self._store.schedule.origins(record_ids)

    # -- MWL ----------------------------------------------------------------------------------------------------

    def pull(
        self,
        host: str,
        port: int,
        *,
        day: date | None = None,
        called_aet: str = "ANY-SCP",
        calling_aet: str = "CHECKLIST",
        timeout_s: float = 15.0,
    ) -> PullReport:
        """Read the day's worklist whole (WorklistError when it cannot), then apply each step in its own
        transaction and mark the day's steps that are gone "removed from schedule"."""
        day = day or datetime.now(self.zone).date()
        answers = mwl.query_worklist(
            host, port, day=day, called_aet=called_aet, calling_aet=calling_aet, timeout_s=timeout_s
        )
        return self.apply_worklist(answers, day)

    def apply_worklist(self, answers: list[mwl.Answer], day: date) -> PullReport:
        self.form()  # stored (its own transaction) before the steps' transactions use it
        report = PullReport()
        seen: set[str] = set()
        for answer in answers:
            # A step still listed is not gone, even when its data is refused this time.
            with contextlib.suppress(ScheduleRefusal):
                seen.add(mwl.step_key(answer.dataset))
            try:
                case = mwl.to_case(answer.dataset, self.zone)
            except ScheduleRefusal as exc:
                report.refusals.append(f"{answer.reference}: {exc}")
                continue
            seen.add(case.key)
            reference = {"reference": answer.reference}
            try:
                outcome, _ = self._store.db.write(self._applier(case, reference))
            except (ScheduleRefusal, StepRefused) as exc:
                report.refusals.append(f"{answer.reference}: {exc}")
                continue
            report.count(outcome)
        for entry in self._store.db.read(lambda conn: self._store.schedule.entries_of_day_in(conn, "mwl", day)):
            if entry.key in seen or entry.removed_at is not None or entry.status != "draft":
                continue
            self._store.db.write(self._remover(entry))
            report.updated += 1
        log.info("worklist pull for %s: %s", day.isoformat(), report.lines()[0])
        return report

    def _applier(
        self, case: ScheduledCase, reference: dict[str, str]
    ) -> Callable[[Connection], tuple[Outcome, str | None]]:
        return lambda conn: self.apply_in(conn, case, reference)

    def _remover(self, entry: ScheduleEntry) -> Callable[[Connection], None]:
        return lambda conn: self._store.schedule.mark_removed_in(
            conn, entry, reason="no longer on the worklist", actor="feed:mwl", fingerprint=None, reference={}
        )

    # -- HL7 ----------------------------------------------------------------------------------------------------

    def handle_hl7(self, raw: bytes) -> bytes:
        """One MLLP block in, its ACK out: the message applied in one transaction and audited by control id."""
        now = self._cases.now()
        header = hl7v2.peek_header(raw)
        control = _ack_control_id()
        self.form()
        try:
            message = hl7v2.parse(raw, self.zone)
            record_id = self._store.db.write(lambda conn: self._apply_hl7_in(conn, message))
        except hl7v2.Hl7Rejected as exc:
            return self._refused(header, "AR", exc.where, exc.code, exc.message, control, now)
        except ScheduleRefusal as exc:
            return self._refused(
                header,
                "AE",
                exc.field,
                hl7v2.REFUSAL_CODES.get(exc.code, hl7v2.ERR_INTERNAL),
                exc.message,
                control,
                now,
            )
        except StepRefused as exc:
            return self._refused(header, "AE", "SCH-1", hl7v2.ERR_INTERNAL, str(exc), control, now)
        log.info(
            "hl7 %s %s: AA%s", header.message_type, header.control_id, f" (record {record_id})" if record_id else ""
        )
        return self._encode(hl7v2.ack(header, "AA", control_id=control, now=now), header)

    def _apply_hl7_in(self, conn: Connection, message: hl7v2.Hl7Message) -> str | None:
        header = message.header
        reference = {"control_id": header.control_id, "message_type": header.message_type}
        record_id: str | None = None
        outcome = "applied"
        if message.kind == "book":
            assert message.case is not None
            outcome, record_id = self.apply_in(conn, message.case, reference)
        elif message.kind == "cancel":
            entry = self._store.schedule.entry_in(conn, "hl7", message.key)
            if entry is not None and entry.status == "draft" and entry.removed_at is None:
                self._store.schedule.mark_removed_in(
                    conn,
                    entry,
                    reason="cancelled in the schedule (SIU^S15)",
                    actor="feed:hl7",
                    fingerprint=None,
                    reference=reference,
                )
                record_id, outcome = entry.record_id, "updated"
            else:
                outcome = "unchanged"
        else:
            assert message.patient is not None
            if message.kind == "register":
                self._store.patients.resolve_in(
                    conn, message.patient, issuer=message.issuer, source="hl7", actor="feed:hl7", mrn_field="PID-3"
                )
            else:
                self._store.patients.update_in(
                    conn, message.patient, issuer=message.issuer, source="hl7", actor="feed:hl7", reference=reference
                )
        self._store.audit.append_in(
            conn, "feed:hl7", HL7_MESSAGE, record_id, {**reference, "ack": "AA", "outcome": outcome}
        )
        return record_id

    def _refused(
        self,
        header: hl7v2.Header,
        code: Literal["AE", "AR"],
        where: str,
        err: str,
        text: str,
        control: str,
        now: datetime,
    ) -> bytes:
        # Logged and audited by control id and field only: the reason text names no patient data.
        log.warning("hl7 %s %s: %s %s (%s)", header.message_type or "?", header.control_id or "?", code, where, err)
        detail: dict[str, Any] = {
            "control_id": header.control_id,
            "message_type": header.message_type,
            "ack": code,
            "field": where,
            "error": err,
            "reason": text,
        }
        self._store.audit.append("feed:hl7", HL7_MESSAGE, None, detail)
        return self._encode(
            hl7v2.ack(header, code, control_id=control, now=now, error_where=where, error_code=err, error_text=text),
            header,
        )

    @staticmethod
    def _encode(text: str, header: hl7v2.Header) -> bytes:
        codec = hl7v2.CHARSETS.get(header.charset.strip().upper(), "utf-8")
        return text.encode(codec, errors="replace")


def _ack_control_id() -> str:
    """MSH-10 of an ACK: unique (two ACKs may leave within one millisecond), 20 characters as HL7 allows."""
    return "A" + uuid.uuid4().hex[:19].upper()


def _mrn_field(case: ScheduledCase) -> str:
    return "PID-3" if case.source == "hl7" else mwl.T_PATIENT_ID


def make_handler(service: ScheduleService) -> Callable[[bytes], bytes]:
    """The listener's handler: never raises (an unexpected error is an AR naming no data, and is logged)."""

    def handle(raw: bytes) -> bytes:
        try:
            return service.handle_hl7(raw)
        except Exception as exc:  # the listener must answer and go on: the sender would resend forever
            header = hl7v2.peek_header(raw)
            log.error(
                "hl7 %s %s: internal error %s", header.message_type or "?", header.control_id or "?", type(exc).__name__
            )
            now = datetime.now().astimezone()
            return ScheduleService._encode(
                hl7v2.ack(
                    header,
                    "AR",
                    control_id=_ack_control_id(),
                    now=now,
                    error_where="MSH",
                    error_code=hl7v2.ERR_INTERNAL,
                    error_text="the message could not be applied; try again later",
                ),
                header,
            )

    return handle
