"""The record PDF's content, top to bottom: header, verdict banner, findings, medicines, checklist, signatures.

The header and banner are laid out in pdf_header, the checklist sections in pdf_checklist; this module lays
out the findings, medicines, fasting and amendment blocks and assembles the whole story."""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import white
from reportlab.platypus import Flowable, KeepTogether, Spacer

from ..domain.forms import FormDefinition
from ..domain.lifecycle import CANCELLED_LABEL, Meaning
from ..domain.timefmt import hours_text
from .pdf_checklist import sections
from .pdf_document import RecordDocument, SignatureSlot
from .pdf_header import banner, patient_block, title_block
from .pdf_signatures import signatures
from .pdf_style import (
    AMBER_TEXT,
    GREEN,
    HOLD_STATUS,
    INK,
    NAVY,
    PALE_AMBER,
    PALE_NAVY,
    PALE_RED,
    RED,
    STATE,
    STATUS,
    boxed,
    colored,
    duration,
    esc,
    grid,
    offset_text,
    p,
    plural,
    stamp,
    when,
)

# ---------------------------------------------------------------- findings


def item_text(form: FormDefinition, item_id: str) -> str:
    item = form.items.get(item_id)
    return esc(item.text if item else item_id)


def finding_text(form: FormDefinition, item_id: str, reason: str) -> str:
    """Item in bold, then the reason; a reason that already names the item is not preceded by it again."""
    item = form.items.get(item_id)
    if item is not None and item.text in reason:
        return esc(reason).replace(esc(item.text), f"<b>{esc(item.text)}</b>", 1)
    return f"<b>{item_text(form, item_id)}</b><br/>{esc(reason)}"


def findings(doc: RecordDocument, width: float) -> list[Flowable]:
    r, form, out = doc.readiness, doc.form, []
    override = next((s for s in doc.signatures if s.override_reason), None)
    if r.blockers:
        out.append(p(f"Blockers — {len(r.blockers)}", "h2"))
        rows: list[list[Any]] = [[p("", "head"), p("ITEM AND REASON", "head"), p("OVERRIDE", "head")]]
        for b in r.blockers:
            kind = (
                "Hard stop — no override"
                if b.hard_stop
                else f"Allowed with a reason, authorised by the {esc(b.authoriser)}"
                if b.override_allowed and b.authoriser
                else "Allowed with a documented reason"
                if b.override_allowed
                else "Not allowed"
            )
            rows.append([p(colored("✗", RED)), p(finding_text(form, b.item, b.reason)), p(kind, "small")])
        out.append(grid(rows, [16, width - 16 - 132, 132], [("BACKGROUND", (0, 1), (-1, -1), PALE_RED)]))
    if override is not None:
        heading = esc(CANCELLED_LABEL) if override.meaning == Meaning.CANCELLED else "Signed with a documented override"
        text = (
            f"<b>{heading}</b> by {esc(override.full_name)} "
            f"({esc(override.username)}), {esc(stamp(override.signed_at))}.<br/>"
            f"<b>Reason:</b> {esc(override.override_reason)}"
            + (
                f"<br/><b>Authorised by:</b> {esc(override.override_authorised_by)}"
                if override.override_authorised_by
                else ""
            )
        )
        out += [
            Spacer(1, 5),
            *boxed(
                [p(text)],
                width,
                [
                    ("BOX", (0, 0), (-1, -1), 1.2, RED),
                    ("BACKGROUND", (0, 0), (-1, -1), white),
                    ("LEFTPADDING", (0, 0), (-1, -1), 7),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ],
            ),
        ]
    if r.warnings:
        out.append(p(f"Warnings — {len(r.warnings)}", "h2"))
        rows = [[p(colored("!", AMBER_TEXT)), p(finding_text(form, w.item, w.reason))] for w in r.warnings]
        out.append(grid(rows, [16, width - 16], [("BACKGROUND", (0, 0), (-1, -1), PALE_AMBER)], header=False))
    if r.missing:
        out.append(p(f"Missing — {plural(len(r.missing), 'required item')} not answered", "h2"))
        rows = [[p(colored("?", AMBER_TEXT)), p(item_text(form, m)), p(esc(m), "small")] for m in r.missing]
        out.append(
            grid(rows, [16, width - 16 - 150, 150], [("BACKGROUND", (0, 0), (-1, -1), PALE_AMBER)], header=False)
        )
    return out


# ---------------------------------------------------------------- medicines and fasting


def medicines(doc: RecordDocument, width: float) -> list[Flowable]:
    rows_in = doc.readiness.holds
    if "anticoagulants" not in doc.readiness.applicable and not rows_in:
        return []
    tz = doc.record.procedure.scheduled_at.tzinfo
    risk = doc.readiness.risk_class
    out: list[Flowable] = [p("Antithrombotic medicines — hold before the procedure", "h2")]
    if not rows_in:
        answered = doc.record.value("anticoagulants")
        out.append(p("None taken (recorded)." if answered == [] else "Not recorded yet."))
        return out
    offset = offset_text(doc.record.procedure.scheduled_at)
    head = ["MEDICINE", "LAST DOSE", "REQUIRED HOLD", "HELD", f"ELIGIBLE FROM ({offset})", "RESTART AFTER", "STATUS"]
    rows: list[list[Any]] = [[p(h, "head") for h in head]]
    extra: list[tuple[Any, ...]] = []
    unconfirmed = False
    for n, row in enumerate(rows_in, start=1):
        status = row.status
        required = {"no_hold": "None", "not_in_table": "Not in the site's table"}.get(
            status,
            "Shared decision"
            if status == "shared" and row.required_hours is None
            else duration(row.required_hours, row.preferred_hours),
        )
        if not row.confirmed:
            unconfirmed = True
            required += " " + colored("† needs clinician confirmation", RED, bold=False)
        eligible = row.eligible_at
        preferred = row.preferred_at
        elig = f"<b>{esc(when(eligible, tz))}</b>" if eligible else "—"
        if preferred is not None and preferred != eligible:
            elig += f"<br/><font size=7>preferred {esc(when(preferred, tz))}</font>"
        word, color = HOLD_STATUS.get(status, (esc(status), INK))
        rows.append(
            [
                p(f"<b>{esc(row.name)}</b>"),
                p(esc(when(row.last_dose_at, tz))),
                p(required),
                p(hours_text(row.elapsed_hours)),
                p(elig),
                p(esc(row.restart_after or "—")),
                p(colored(word, color)),
            ]
        )
        if row.verdict.finding == "blocker":
            extra.append(("BACKGROUND", (0, n), (-1, n), PALE_RED))
        elif row.verdict.finding == "warning":
            extra.append(("BACKGROUND", (0, n), (-1, n), PALE_AMBER))
    fractions = (0.165, 0.135, 0.14, 0.085, 0.175, 0.135, 0.165)
    out.append(grid(rows, [width * f for f in fractions], extra))
    source = doc.form.source_text(doc.form.items["anticoagulants"].source) if "anticoagulants" in doc.form.items else ""
    note = f"Rules for a <b>{esc(risk)}</b> bleeding-risk procedure" + (f" — {esc(source)}." if source else ".")
    if unconfirmed:
        note += " " + colored("†", RED) + " Guideline number needs clinician confirmation."
    out.append(Spacer(1, 3))
    out.append(p(note, "small"))
    return out


def fasting(doc: RecordDocument, width: float) -> list[Flowable]:
    summary = doc.readiness.fasting
    if not summary.required:
        return []
    out: list[Flowable] = [p("Fasting", "h2")]
    if not summary.items:
        out.append(p(colored("Fasting times not recorded yet.", AMBER_TEXT, False)))
    for result in summary.items:
        mark = colored("✓", GREEN) if result.ok else colored("✗", RED)
        out.append(p(f"{mark}  {esc(result.reason)}"))
    return out


def amendment(doc: RecordDocument, width: float) -> list[Flowable]:
    if not doc.supersedes_id:
        return []
    text = f"<b>Amendment</b> of record {esc(doc.supersedes_id)}; the earlier record is kept unchanged."
    if doc.amendment_reason:
        text += f"<br/><b>Reason:</b> {esc(doc.amendment_reason)}"
    return [
        Spacer(1, 6),
        *boxed(
            [p(text)],
            width,
            [
                ("BOX", (0, 0), (-1, -1), 0.8, NAVY),
                ("BACKGROUND", (0, 0), (-1, -1), PALE_NAVY),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ],
        ),
    ]


# ---------------------------------------------------------------- assembly


def build_story(doc: RecordDocument, width: float, slots: dict[str, SignatureSlot]) -> list[Flowable]:
    story: list[Flowable] = [title_block(doc, width), patient_block(doc, width), banner(doc)]
    if doc.form_note:
        story.append(p(colored(esc(doc.form_note), RED), "small"))
    story += amendment(doc, width)
    story += findings(doc, width)
    story += medicines(doc, width)
    story += fasting(doc, width)
    story += [Spacer(1, 4)]
    groups = sections(doc, width)
    for group in groups[:-1]:
        story += group
    # The last section goes with the signatures: they attest it, and a page of signatures alone looks orphaned.
    # (One flat KeepTogether: a nested one always reports itself too tall and forces a page break.)
    story.append(KeepTogether([*groups[-1], *signatures(doc, width, slots)]))
    return story


def footer_lines(doc: RecordDocument) -> tuple[str, str]:
    form = doc.form
    record_hash = f"record hash {doc.content_sha256[:16]}" if doc.content_sha256 else "unsigned draft"
    first = f"Form {form.id} v{form.version} · form hash {form.content_hash[:12]} · {record_hash}"
    if doc.form_note:
        first = f"SITE FORM, differs from the shipped one · {first}"
    second = f"Record {doc.record_id} · generated by {doc.generated_by} at {stamp(doc.generated_at)}"
    return first, second


def running_header(doc: RecordDocument) -> tuple[str, str]:
    pat = doc.record.patient
    return (
        f"{pat.name}  ·  DOB {pat.birth_date:%Y-%m-%d}  ·  MRN {pat.mrn}",
        f"Record {doc.record_id} · {STATUS[doc.status][0]} · {STATE[doc.readiness.state][0][3:]}",
    )
