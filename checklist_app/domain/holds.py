"""Antithrombotic hold intervals: how long each drug was held against what the form requires."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .forms import Drug, FormDefinition, Interval
from .timefmt import hours, hours_text, tenths_down, when_text

HoldStatus = Literal["ok", "no_hold", "shared", "in_range", "lab_pending", "too_short", "not_in_table"]


class HoldVerdict(StrEnum):
    """What one hold row means for readiness; the PDF and the medication row colour by it."""

    OK = "ok"
    WARNING = "warning"  # a shared decision, or held within the guideline range
    NEEDS_LAB = "needs_lab"  # enough only if the missing lab allows it: a warning until it is entered
    BLOCKER = "blocker"

    @property
    def finding(self) -> Literal["blocker", "warning", "ok"]:
        """The kind of finding the row raises (the readiness JSON's "verdict")."""
        if self is HoldVerdict.BLOCKER:
            return "blocker"
        return "warning" if self in (HoldVerdict.WARNING, HoldVerdict.NEEDS_LAB) else "ok"


class HoldResult(BaseModel):
    """One row of the anticoagulant table: required, elapsed, eligible and restart."""

    model_config = ConfigDict(frozen=True)

    drug: str
    name: str
    last_dose_at: datetime
    risk_class: str
    status: HoldStatus
    required_hours: float | None
    preferred_hours: float | None
    elapsed_hours: float
    eligible_at: datetime | None
    preferred_at: datetime | None
    restart_after: str
    ok: bool
    reason: str
    confirmed: bool
    source: str

    @property
    def verdict(self) -> HoldVerdict:
        if self.status in ("too_short", "not_in_table"):
            return HoldVerdict.BLOCKER
        if self.status == "lab_pending":
            return HoldVerdict.NEEDS_LAB
        return HoldVerdict.WARNING if self.status in ("shared", "in_range") else HoldVerdict.OK

    @property
    def blocks(self) -> bool:
        return self.verdict.finding == "blocker"

    @property
    def warns(self) -> bool:
        return self.verdict.finding == "warning"


def assess_hold(
    form: FormDefinition,
    drug: Drug,
    last_dose_at: datetime,
    procedure_time: datetime,
    risk_class: str,
    lab_value: float | None,
    entry_name: str | None = None,
) -> HoldResult:
    """Judge one last dose against the drug's rule at this risk class (hours are exact)."""
    rule = drug.rules[risk_class]
    if entry_name:  # a catch-all entry ("other") is shown by the medicine's own name
        drug = drug.model_copy(update={"name": entry_name})
    tz = procedure_time.tzinfo
    elapsed = procedure_time - last_dose_at
    interval = rule.hold if isinstance(rule.hold, Interval) else None
    lab_text = ""
    pending: Interval | None = None  # the longer hold that applies if the missing lab turns out low
    adj = drug.lab_adjustment
    if interval is not None and adj is not None:
        threshold = form.number(adj.below)
        lab_name = form.items[adj.item].text.lower()
        if lab_value is None:
            # clinical.md: the lab is then *missing* (the record is incomplete); the usual hold still blocks.
            pending = adj.hold
            lab_text = f" ({adj.hold.min_hours:g} h if {lab_name} < {threshold:g}; enter it)"
        elif lab_value < threshold:
            interval, lab_text = adj.hold, f" ({lab_name} {lab_value:g} < {threshold:g})"
    restart = rule.restart.text() if rule.restart else ""
    common = {
        "drug": drug.code,
        "name": drug.name,
        "last_dose_at": last_dose_at,
        "risk_class": risk_class,
        "elapsed_hours": tenths_down(elapsed),
        "restart_after": restart,
        "confirmed": drug.confirmed,
        "source": form.source_text(drug.source),
    }
    if interval is None:
        if rule.hold == "not_in_table":
            return HoldResult(
                **common,
                status="not_in_table",
                required_hours=None,
                preferred_hours=None,
                eligible_at=None,
                preferred_at=None,
                ok=False,
                reason=f"{drug.name}: not in the site's table: the proceduralist decides",
            )
        if rule.hold == "shared":
            return HoldResult(
                **common,
                status="shared",
                required_hours=None,
                preferred_hours=None,
                eligible_at=None,
                preferred_at=None,
                ok=True,
                reason=f"{drug.name}: hold or continue is a shared decision with the prescriber "
                f"({risk_class} bleeding-risk procedure)",
            )
        return HoldResult(
            **common,
            status="no_hold",
            required_hours=0,
            preferred_hours=None,
            eligible_at=None,
            preferred_at=None,
            ok=True,
            reason=f"{drug.name}: no hold needed at {risk_class} bleeding risk",
        )
    required = timedelta(hours=interval.min_hours)
    eligible = last_dose_at + required
    preferred_at = (
        last_dose_at + timedelta(hours=interval.preferred_hours) if interval.preferred_hours is not None else None
    )
    values = {
        "required_hours": interval.min_hours,
        "preferred_hours": interval.preferred_hours,
        "eligible_at": eligible.astimezone(tz),
        "preferred_at": preferred_at.astimezone(tz) if preferred_at else None,
    }
    held = hours_text(hours(elapsed))
    if elapsed < required:
        return HoldResult(
            **common,
            **values,
            status="too_short",
            ok=False,
            reason=f"{drug.name} held {held} of the required {interval.min_hours:g} h{lab_text}; "
            f"eligible from {when_text(eligible, tz)}",
        )
    if pending is not None and elapsed < timedelta(hours=pending.min_hours):
        return HoldResult(
            **common,
            **values,
            status="lab_pending",
            ok=False,
            reason=f"{drug.name} held {held}: enough only if the lab allows it{lab_text}",
        )
    if preferred_at is not None and procedure_time < preferred_at:
        return HoldResult(
            **common,
            **values,
            status="in_range",
            ok=True,
            reason=f"{drug.name} held {held}: within the guideline range "
            f"({interval.min_hours:g}–{interval.preferred_hours:g} h){lab_text}; "
            f"preferred from {when_text(preferred_at, tz)}",
        )
    if rule.shared_decision:
        return HoldResult(
            **common,
            **values,
            status="shared",
            ok=True,
            reason=f"{drug.name} held {held} (required {interval.min_hours:g} h){lab_text}; the rest is a "
            f"shared decision with the prescriber ({risk_class} bleeding-risk procedure)",
        )
    return HoldResult(
        **common,
        **values,
        status="ok",
        ok=True,
        reason=f"{drug.name} held {held} (required {interval.min_hours:g} h){lab_text}",
    )
