"""The record PDF's first blocks: title and status, patient and procedure (barcodes, QR code), verdict banner."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from ..domain.lifecycle import CANCELLED_LABEL, Meaning
from ..domain.ready_from import ready_from_text
from .pdf_document import RecordDocument, qr_payload
from .pdf_style import (
    FONT,
    FONT_BOLD,
    INK,
    NAVY,
    RULE,
    SIDE,
    STATE,
    STATUS,
    esc,
    offset_text,
    p,
    plural,
    pstyle,
    styled,
    when,
)


def title_block(doc: RecordDocument, width: float) -> Table:
    word, color = STATUS[doc.status]
    pill = Table([[p(word, "pill")]], colWidths=[118], rowHeights=[17])
    styled(
        pill,
        [
            ("BACKGROUND", (0, 0), (-1, -1), color),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ROUNDEDCORNERS", [3, 3, 3, 3]),
        ],
    )
    kicker = p(f"PRE-PROCEDURE READINESS RECORD  ·  RECORD <font color='#1A1A1A'>{esc(doc.record_id)}</font>", "kicker")
    # The title gets the full width under the status pill: it is long and should stay on one line.
    table = Table([[kicker, pill], [p(esc(doc.form.title), "title"), ""]], colWidths=[width - 124, 124])
    styled(
        table,
        [
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("ALIGN", (1, 0), (1, 0), "RIGHT"),
            ("SPAN", (0, 1), (1, 1)),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 2),
            ("BOTTOMPADDING", (0, 1), (-1, 1), 6),
            ("LINEBELOW", (0, 1), (-1, 1), 1.4, NAVY),
        ],
    )
    return table


def patient_block(doc: RecordDocument, width: float) -> Table:
    rec, form = doc.record, doc.form
    tz = rec.procedure.scheduled_at.tzinfo
    age = doc.readiness.age
    sex = rec.patient.sex.capitalize()
    patient_width = width * 0.42
    patient = [
        p("PATIENT", "label"),
        fitted_name(rec.patient.name, patient_width - 8),
        p(f"DOB <b>{rec.patient.birth_date:%Y-%m-%d}</b> ({age} y)" + f"  ·  {esc(sex)}"),
        p(f"MRN <b>{esc(rec.patient.mrn)}</b>"),
        Spacer(1, 3),
        mrn_barcode(rec.patient.mrn),
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
        lines.append(
            mrn_barcode(rec.procedure.accession)
            if rec.procedure.accession.isascii()
            else p("No barcode: the accession number has characters Code 128 cannot encode", "small")
        )
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
    styled(
        table,
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("RIGHTPADDING", (2, 0), (2, 0), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ("LINEBEFORE", (1, 0), (1, 0), 0.6, RULE),
            ("LEFTPADDING", (1, 0), (1, 0), 10),
            ("ALIGN", (2, 0), (2, 0), "RIGHT"),
        ],
    )
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
        lines = [
            f"{plural(len(r.blockers), 'blocker')} — do not proceed",
            "Resolve them, or sign only with a documented override",
        ]
        if r.missing:
            lines.append(f"{plural(len(r.missing), 'required item')} also not answered")
    else:
        lines = [
            f"{plural(len(r.missing), 'required item')} not answered",
            "No blockers so far; complete the checklist before the procedure",
        ]
    return Banner(word, fill, ink, lines)
