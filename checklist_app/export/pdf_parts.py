"""The record PDF's content, top to bottom: header, verdict banner, findings, medicines, checklist, signatures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color, white
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from ..domain.forms import FormDefinition
from ..domain.lifecycle import CANCELLED_LABEL, Meaning
from ..domain.ready_from import ready_from_text
from ..domain.timefmt import hours_text
from .pdf_document import RecordDocument, SignatureSlot, qr_payload
from .pdf_signatures import signatures
from .pdf_style import (
    AMBER_TEXT,
    FONT,
    FONT_BOLD,
    GREEN,
    HOLD_STATUS,
    INK,
    NAVY,
    PALE_AMBER,
    PALE_NAVY,
    PALE_RED,
    RED,
    RULE,
    SIDE,
    STATE,
    STATUS,
    S,
    answer_words,
    boxed,
    colored,
    duration,
    esc,
    grid,
    offset_text,
    p,
    pstyle,
    stamp,
    styled,
    when,
)

# ---------------------------------------------------------------- header


def title_block(doc: RecordDocument, width: float) -> Table:
    word, color = STATUS[doc.status]
    pill = Table([[p(word, "pill")]], colWidths=[118], rowHeights=[17])
    styled(pill, [("BACKGROUND", (0, 0), (-1, -1), color), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                  ("ROUNDEDCORNERS", [3, 3, 3, 3])])
    kicker = p(f"PRE-PROCEDURE READINESS RECORD  ·  RECORD <font color='#1A1A1A'>{esc(doc.record_id)}</font>",
               "kicker")
    # The title gets the full width under the status pill: it is long and should stay on one line.
    table = Table([[kicker, pill], [p(esc(doc.form.title), "title"), ""]], colWidths=[width - 124, 124])
    styled(table, [("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                   ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                   ("SPAN", (0, 1), (1, 1)), ("TOPPADDING", (0, 0), (-1, -1), 0),
                   ("BOTTOMPADDING", (0, 0), (-1, 0), 2), ("BOTTOMPADDING", (0, 1), (-1, 1), 6),
                   ("LINEBELOW", (0, 1), (-1, 1), 1.4, NAVY)])
    return table


def patient_block(doc: RecordDocument, width: float) -> Table:
    rec, form = doc.record, doc.form
    tz = rec.procedure.scheduled_at.tzinfo
    age = doc.readiness.age
    sex = rec.patient.sex.capitalize()
    patient_width = width * 0.42
    patient = [
        p("PATIENT", "label"), fitted_name(rec.patient.name, patient_width - 8),
        p(f"DOB <b>{rec.patient.birth_date:%Y-%m-%d}</b> ({age} y)"
          + f"  ·  {esc(sex)}"),
        p(f"MRN <b>{esc(rec.patient.mrn)}</b>"), Spacer(1, 3), mrn_barcode(rec.patient.mrn),
    ]
    ptype = form.procedure_table.get(rec.procedure.type)
    scheduled = rec.procedure.scheduled_at
    lines = [p("PROCEDURE", "label"), p(esc(ptype.label if ptype else rec.procedure.type), "proc")]
    level = esc(rec.procedure.level) or "—"
    side = SIDE.get(rec.procedure.laterality or "", "—")
    lines.append(p(f"Level <b>{level}</b>  ·  Side <b>{side}</b>"))
    lines.append(p(f"Scheduled <b>{esc(when(scheduled, tz))}</b>"))
    if rec.procedure.accession:  # issue 13: the schedule's accession number, printed and as Code 128
        feed = {"mwl": "DICOM worklist", "hl7": "HL7 schedule"}.get(rec.source or "", "schedule")
        lines.append(p(f"Accession <b>{esc(rec.procedure.accession)}</b>  ·  from the {feed}"))
        lines.append(mrn_barcode(rec.procedure.accession) if rec.procedure.accession.isascii()
                     else p("No barcode: the accession number has characters Code 128 cannot encode", "small"))
    checked = doc.readiness.procedure_time
    if checked != scheduled:
        lines.append(p(f"Checked for a start at <b>{esc(when(checked, tz))}</b> (case delayed)"))
    risk = doc.readiness.risk_class
    if risk:
        lines.append(p(f"Bleeding-risk class <b>{esc(risk)}</b>"))
    lines.append(p(f"All times {offset_text(scheduled)}, the procedure's local offset", "small"))
    qr_size = 78.0
    qr = Drawing(qr_size, qr_size, initialFontName=FONT)
    qr.add(QrCodeWidget(qr_payload(doc), barWidth=qr_size, barHeight=qr_size, barBorder=2, barLevel="M"))
    qr_cell = [qr, p("Record id + hash", "small")]
    table = Table([[patient, lines, qr_cell]], colWidths=[patient_width, width - patient_width - 86, 86])
    styled(table, [
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (2, 0), (2, 0), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ("LINEBEFORE", (1, 0), (1, 0), 0.6, RULE), ("LEFTPADDING", (1, 0), (1, 0), 10),
        ("ALIGN", (2, 0), (2, 0), "RIGHT"),
    ])
    return table


def fitted_name(name: str, width: float) -> Paragraph:
    """The patient's name on one line when it can be (down to 12 pt); a very long one wraps instead."""
    size = 16.0
    while size > 12 and pdfmetrics.stringWidth(name, FONT_BOLD, size) > width:
        size -= 0.5
    return Paragraph(esc(name), pstyle("name_fit", size, FONT_BOLD, INK, size * 1.2))


def mrn_barcode(mrn: str) -> Flowable:
    """Code 128 of the MRN, or a note when the MRN has characters Code 128 cannot carry (a wrong scan is worse)."""
    if mrn.isascii() and mrn.isprintable():
        # Human-readable text off: the MRN is printed just above in DejaVu; fontName still set so no base-14 font.
        return Code128(mrn, barHeight=20, barWidth=0.85, humanReadable=0, fontName=FONT, fontSize=7)
    return p("No barcode: the MRN has characters Code 128 cannot encode", "small")


class Banner(Flowable):
    """The verdict in one glance: a coloured band with the word in large type (never colour alone)."""

    WORD_SIZE = 27.0
    PAD = 14.0

    def __init__(self, word: str, fill: Color, ink: Color, lines: Sequence[str]) -> None:
        super().__init__()
        self.word, self.fill, self.ink = word, fill, ink
        text = f"<b><font size=9.5>{esc(lines[0])}</font></b>" + "".join(f"<br/>{esc(x)}" for x in lines[1:])
        self.text = Paragraph(text, pstyle("banner", 8.5, color=ink, lead=11.5))
        self.word_width = pdfmetrics.stringWidth(word, FONT_BOLD, self.WORD_SIZE)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        text_width = avail_width - self.word_width - 3 * self.PAD - 10
        _, text_height = self.text.wrap(text_width, avail_height)
        self.height = max(54.0, text_height + 2 * self.PAD)
        return avail_width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFillColor(self.fill)
        c.roundRect(0, 0, self.width, self.height, 4, stroke=0, fill=1)
        c.setFillColor(self.ink)
        c.setFont(FONT_BOLD, self.WORD_SIZE)
        c.drawString(self.PAD, self.height / 2 - self.WORD_SIZE * 0.35, self.word)
        _, text_height = self.text.wrap(self.width - self.word_width - 3 * self.PAD - 10, self.height)
        self.text.drawOn(c, self.word_width + 2 * self.PAD + 10, (self.height - text_height) / 2)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def banner(doc: RecordDocument) -> Banner:
    r = doc.readiness
    word, fill, ink = STATE[r.state]
    cancelled = doc.signature(Meaning.CANCELLED)
    if cancelled is not None:  # never reads as ready, whatever the answers were when it was called off
        word, fill, ink = STATE["not_ready"]
        return Banner(word, fill, ink, [CANCELLED_LABEL, "The procedure did not go ahead: do not proceed on it"])
    if r.state == "ready":
        lines = ["No blockers, nothing missing", "Ready for the procedure as checked"]
        if r.warnings:
            lines[1] = f"{plural(len(r.warnings), 'warning')} to note below"
        if r.ready_from is not None:  # a hold or a fast completes between now and the start (Rules v2)
            lines.append(ready_from_text(r.ready_from, r.procedure_time))
    elif r.state == "not_ready":
        lines = [f"{plural(len(r.blockers), 'blocker')} — do not proceed",
                 "Resolve them, or sign only with a documented override"]
        if r.missing:
            lines.append(f"{plural(len(r.missing), 'required item')} also not answered")
    else:
        lines = [f"{plural(len(r.missing), 'required item')} not answered",
                 "No blockers so far; complete the checklist before the procedure"]
    return Banner(word, fill, ink, lines)


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
            kind = ("Hard stop — no override" if b.hard_stop else
                    f"Allowed with a reason, authorised by the {esc(b.authoriser)}" if b.override_allowed
                    and b.authoriser else "Allowed with a documented reason" if b.override_allowed else "Not allowed")
            rows.append([p(colored("✗", RED)), p(finding_text(form, b.item, b.reason)), p(kind, "small")])
        out.append(grid(rows, [16, width - 16 - 132, 132], [("BACKGROUND", (0, 1), (-1, -1), PALE_RED)]))
    if override is not None:
        heading = (esc(CANCELLED_LABEL) if override.meaning == Meaning.CANCELLED
                   else "Signed with a documented override")
        text = (f"<b>{heading}</b> by {esc(override.full_name)} "
                f"({esc(override.username)}), {esc(stamp(override.signed_at))}.<br/>"
                f"<b>Reason:</b> {esc(override.override_reason)}"
                + (f"<br/><b>Authorised by:</b> {esc(override.override_authorised_by)}"
                   if override.override_authorised_by else ""))
        out += [Spacer(1, 5), *boxed([p(text)], width, [
            ("BOX", (0, 0), (-1, -1), 1.2, RED), ("BACKGROUND", (0, 0), (-1, -1), white),
            ("LEFTPADDING", (0, 0), (-1, -1), 7), ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6)])]
    if r.warnings:
        out.append(p(f"Warnings — {len(r.warnings)}", "h2"))
        rows = [[p(colored("!", AMBER_TEXT)), p(finding_text(form, w.item, w.reason))] for w in r.warnings]
        out.append(grid(rows, [16, width - 16], [("BACKGROUND", (0, 0), (-1, -1), PALE_AMBER)], header=False))
    if r.missing:
        out.append(p(f"Missing — {plural(len(r.missing), 'required item')} not answered", "h2"))
        rows = [[p(colored("?", AMBER_TEXT)), p(item_text(form, m)), p(esc(m), "small")] for m in r.missing]
        out.append(grid(rows, [16, width - 16 - 150, 150], [("BACKGROUND", (0, 0), (-1, -1), PALE_AMBER)],
                         header=False))
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
            status, "Shared decision" if status == "shared" and row.required_hours is None
            else duration(row.required_hours, row.preferred_hours))
        if not row.confirmed:
            unconfirmed = True
            required += " " + colored("† needs clinician confirmation", RED, bold=False)
        eligible = row.eligible_at
        preferred = row.preferred_at
        elig = f"<b>{esc(when(eligible, tz))}</b>" if eligible else "—"
        if preferred is not None and preferred != eligible:
            elig += f"<br/><font size=7>preferred {esc(when(preferred, tz))}</font>"
        word, color = HOLD_STATUS.get(status, (esc(status), INK))
        rows.append([p(f"<b>{esc(row.name)}</b>"),
                     p(esc(when(row.last_dose_at, tz))), p(required),
                     p(hours_text(row.elapsed_hours)), p(elig),
                     p(esc(row.restart_after or "—")), p(colored(word, color))])
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


# ---------------------------------------------------------------- checklist sections


# Longer notes print in full under their section's table: a table row cannot break across pages, so a
# note of a page or more inside a cell would stop the layout.
LONG_TEXT = 400


def sections(doc: RecordDocument, width: float) -> list[list[Flowable]]:
    """One group of flowables per form section (the first carries the 'Checklist' heading)."""
    form, rec, r = doc.form, doc.record, doc.readiness
    tz = rec.procedure.scheduled_at.tzinfo
    applicable = set(r.applicable)
    blocked = {b.item for b in r.blockers}
    warned = {w.item for w in r.warnings}
    widths = [width * 0.53, width * 0.25, width * 0.22]
    groups: list[list[Flowable]] = []
    for number, section in enumerate(form.sections, start=1):
        out: list[Flowable] = [p("Checklist", "h2")] if number == 1 else []
        rows: list[list[Any]] = [
            [p(f"{number}. {esc(section.title)}", "sec"), "", ""],
            [p("ITEM", "head"), p("ANSWER", "head"), p("RECORDED BY / AT", "head")],
        ]
        extra: list[tuple[Any, ...]] = [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), PALE_NAVY),
                                        ("LINEBELOW", (0, 0), (-1, 0), 0, PALE_NAVY)]
        skipped = []
        in_full: list[Flowable] = []
        for item in section.items:
            answer = rec.answers.get(item.id)
            if applicable and item.id not in applicable:
                skipped.append((item, answer))
                continue
            words, tone = answer_words(form, item, answer, tz)
            if answer is not None and tone == "na" and len(answer.reason) > LONG_TEXT:
                words = "<b>N/A</b> — reason in full below this section"
                in_full.append(p(f"<b>N/A reason — {esc(item.text)}:</b> {esc(answer.reason)}", "body"))
            meta = esc(item.id) + (f" · {esc(form.source_text(item.source))}" if item.source else "")
            if form.needs_confirmation(item):  # a [U] rule or number: a clinician has still to confirm it
                meta += " · " + colored("needs clinician confirmation", RED)
            # The id and source run on after the text (not on a line of their own): a short item stays one line.
            text = f"{esc(item.text)}&nbsp; <font size=6.3 color='#80868B'>{meta}</font>"
            if answer is not None and answer.note and not (tone == "na" and answer.reason == answer.note.strip()):
                if len(answer.note) > LONG_TEXT:
                    text += "<br/><i>Note: in full below this section</i>"
                    in_full.append(p(f"<b>Note — {esc(item.text)}:</b> <i>{esc(answer.note)}</i>", "body"))
                else:
                    text += f"<br/><i>Note: {esc(answer.note)}</i>"
            who = ""
            if answer is not None and (answer.by or answer.at):
                # Day and time without weekday and year (both are in the header): keeps it to one line.
                at = (answer.at.astimezone(tz) if tz else answer.at).strftime("%d %b %H:%M") if answer.at else ""
                who = " · ".join(esc(x) for x in (answer.by or "", at) if x)
                if pdfmetrics.stringWidth(who, FONT, S["small"].fontSize) > widths[2] - 10:
                    who = who.replace(" · ", "<br/>")  # a long user id: break where it reads well
            rows.append([p(text), p(words), p(who, "small")])
            row = len(rows) - 1
            if item.id in blocked or tone == "bad":
                extra.append(("BACKGROUND", (0, row), (-1, row), PALE_RED))
            elif tone == "missing" or item.id in warned:
                extra.append(("BACKGROUND", (0, row), (-1, row), PALE_AMBER))
        out.append(grid(rows, widths, extra, repeat=2))
        if skipped:
            names = "; ".join(esc(i.text) + (" (answered, not used)" if a is not None and a.value is not None
                                              else "") for i, a in skipped)
            out.append(p(f"Not applicable to this case: {names}", "small"))
        for paragraph in in_full:
            out += [Spacer(1, 3), paragraph]
        out.append(Spacer(1, 8))
        groups.append(out)
    return groups


def amendment(doc: RecordDocument, width: float) -> list[Flowable]:
    if not doc.supersedes_id:
        return []
    text = f"<b>Amendment</b> of record {esc(doc.supersedes_id)}; the earlier record is kept unchanged."
    if doc.amendment_reason:
        text += f"<br/><b>Reason:</b> {esc(doc.amendment_reason)}"
    return [Spacer(1, 6), *boxed([p(text)], width, [
        ("BOX", (0, 0), (-1, -1), 0.8, NAVY), ("BACKGROUND", (0, 0), (-1, -1), PALE_NAVY),
        ("LEFTPADDING", (0, 0), (-1, -1), 7), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)])]




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
    return (f"{pat.name}  ·  DOB {pat.birth_date:%Y-%m-%d}  ·  MRN {pat.mrn}",
            f"Record {doc.record_id} · {STATUS[doc.status][0]} · {STATE[doc.readiness.state][0][3:]}")
