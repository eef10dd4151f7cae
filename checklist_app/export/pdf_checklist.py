"""The record PDF's checklist: one table per form section, with each item's answer and who recorded it when."""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Spacer

from .pdf_document import RecordDocument
from .pdf_style import (
    FONT,
    PALE_AMBER,
    PALE_NAVY,
    PALE_RED,
    RED,
    S,
    answer_words,
    colored,
    esc,
    grid,
    p,
)

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
        extra: list[tuple[Any, ...]] = [
            ("SPAN", (0, 0), (-1, 0)),
            ("BACKGROUND", (0, 0), (-1, 0), PALE_NAVY),
            ("LINEBELOW", (0, 0), (-1, 0), 0, PALE_NAVY),
        ]
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
            names = "; ".join(
                esc(i.text) + (" (answered, not used)" if a is not None and a.value is not None else "")
                for i, a in skipped
            )
            out.append(p(f"Not applicable to this case: {names}", "small"))
        for paragraph in in_full:
            out += [Spacer(1, 3), paragraph]
        out.append(Spacer(1, 8))
        groups.append(out)
    return groups
