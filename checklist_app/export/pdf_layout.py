"""Page furniture of the record PDF: page templates, running header, footer, watermark, build."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageTemplate

from ..domain.lifecycle import Meaning
from .pdf_document import PREPARED_FIELD, REVIEWED_FIELD, RecordDocument, SignatureSlot
from .pdf_style import DRAFT_RED, FONT, FONT_BOLD, INK, MUTED, RULE, register_fonts

WATERMARK = "DRAFT – NOT VALID FOR PROCEDURE"

MARGIN_X = 43.2  # 0.6 in: clear of the unprintable edge of office printers, still room for a 7-column table
MARGIN_TOP = 36.0
MARGIN_BOTTOM = 54.0  # two footer lines and a rule sit below the frame
RUNNING_HEADER = 30.0  # pages 2..n repeat who the patient is: a loose page must still identify them


@dataclass(frozen=True, slots=True)
class _TimeStamp:
    """Stands in for reportlab's TimeStamp so CreationDate is the record's generated_at, not the clock."""

    t: float
    YMDhms: tuple[int, int, int, int, int, int]
    dhh: int
    dmm: int

    @classmethod
    def of(cls, moment: datetime) -> _TimeStamp:
        offset = moment.utcoffset()
        minutes = int(offset.total_seconds()) // 60 if offset is not None else 0
        dhh, dmm = divmod(abs(minutes), 60)
        sign = -1 if minutes < 0 else 1
        ymdhms = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
        return cls(t=moment.timestamp(), YMDhms=ymdhms, dhh=sign * dhh, dmm=dmm)


class Furniture:
    """What is drawn on every page once the page count is known: running header, footer, watermark."""

    def __init__(
        self, doc: RecordDocument, page_size: tuple[float, float], lines: tuple[str, str], running: tuple[str, str]
    ) -> None:
        self.doc = doc
        self.width, self.height = page_size
        self.footer_left, self.footer_second = lines
        self.running_left, self.running_right = running

    def draw(self, canvas: Canvas, page: int, total: int) -> None:
        canvas.saveState()
        if page > 1:
            self._running_header(canvas)
        self._footer(canvas, page, total)
        canvas.restoreState()
        if self.doc.is_draft:
            self._draft_notice(canvas)
            self._watermark(canvas)

    def _running_header(self, canvas: Canvas) -> None:
        top = self.height - MARGIN_TOP
        right_width = pdfmetrics.stringWidth(self.running_right, FONT, 8)
        canvas.setFillColor(INK)
        canvas.setFont(FONT_BOLD, _fit(self.running_left, FONT_BOLD, 9, self.width - 2 * MARGIN_X - right_width - 12))
        canvas.drawString(MARGIN_X, top - 10, self.running_left)
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(self.width - MARGIN_X, top - 10, self.running_right)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, top - 16, self.width - MARGIN_X, top - 16)

    def _footer(self, canvas: Canvas, page: int, total: int) -> None:
        right = self.width - MARGIN_X
        y = MARGIN_BOTTOM - 14
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, y + 9, right, y + 9)
        room = right - MARGIN_X - pdfmetrics.stringWidth(f"Page {total} of {total}", FONT_BOLD, 8.5) - 12
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, _fit(self.footer_left, FONT, 6.8, room))
        canvas.drawString(MARGIN_X, y, self.footer_left)
        canvas.setFont(FONT, _fit(self.footer_second, FONT, 6.8, room))
        canvas.drawString(MARGIN_X, y - 9, self.footer_second)
        canvas.setFillColor(INK)
        canvas.setFont(FONT_BOLD, 8.5)
        canvas.drawRightString(right, y - 4, f"Page {page} of {total}")

    def _draft_notice(self, canvas: Canvas) -> None:
        # A level line as well as the diagonal mark: it survives photocopying faint toner, and text
        # extraction (search, screen readers) reads it as one line, which it cannot do with rotated text.
        canvas.saveState()
        canvas.setFillColor(DRAFT_RED)
        canvas.setFont(FONT_BOLD, 9)
        canvas.drawCentredString(self.width / 2, self.height - MARGIN_TOP + 12, WATERMARK)
        canvas.restoreState()

    def _watermark(self, canvas: Canvas) -> None:
        # Drawn last and translucent: on top of table fills and the banner, yet the text stays readable.
        canvas.saveState()
        diagonal = (self.width**2 + self.height**2) ** 0.5
        size = min(54.0, 0.78 * diagonal / pdfmetrics.stringWidth(WATERMARK, FONT_BOLD, 1))
        canvas.translate(self.width / 2, self.height / 2)
        canvas.rotate(_angle(self.width, self.height))
        canvas.setFillColor(Color(0.72, 0.11, 0.11, alpha=0.16))
        canvas.setFont(FONT_BOLD, size)
        canvas.drawCentredString(0, -size / 3, WATERMARK)
        canvas.restoreState()


def _fit(text: str, font: str, size: float, width: float) -> float:
    """The font size (at most `size`) at which one line of text fits: page furniture cannot wrap."""
    natural = pdfmetrics.stringWidth(text, font, size)
    return size if natural <= width else size * width / natural


def _angle(width: float, height: float) -> float:
    import math

    return math.degrees(math.atan2(height, width))


class _RecordCanvas(Canvas):
    """Holds pages back until the end so every footer can say 'Page x of y'."""

    furniture: Furniture
    created: datetime

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["invariant"] = 1  # no clock and no random file id: a re-export equals the original
        kwargs["initialFontName"] = FONT  # else every page preamble selects Helvetica (a base-14 font)
        super().__init__(*args, **kwargs)
        self._doc._timeStamp = _TimeStamp.of(self.created)
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for page, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self.furniture.draw(self, page, total)
            Canvas.showPage(self)
        Canvas.save(self)


def _canvas_maker(furniture: Furniture, created: datetime) -> Callable[..., Canvas]:
    return type("RecordCanvas", (_RecordCanvas,), {"furniture": furniture, "created": created})


def build_pdf(doc: RecordDocument, page_size: tuple[float, float]) -> tuple[bytes, dict[str, SignatureSlot]]:
    """Lay out the record and return the bytes and where the two signature boxes landed."""
    from . import pdf_parts

    register_fonts()
    width, height = page_size
    frame_width = width - 2 * MARGIN_X
    first = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        frame_width,
        height - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="first",
    )
    later = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        frame_width,
        height - MARGIN_TOP - RUNNING_HEADER - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="later",
    )
    out = io.BytesIO()
    template = BaseDocTemplate(
        out,
        pagesize=page_size,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        invariant=1,
        pageCompression=1,
        lang="en-US",
        title=f"Pre-procedure readiness record {doc.record_id}",
        author=doc.generated_by,
        subject=doc.form.title,
        creator="checklist-app",
        producer="checklist-app (ReportLab)",
        pageTemplates=[PageTemplate(id="first", frames=[first]), PageTemplate(id="later", frames=[later])],
    )
    slots: dict[str, SignatureSlot] = {}
    story = [NextPageTemplate("later"), *pdf_parts.build_story(doc, frame_width, slots)]
    furniture = Furniture(doc, page_size, pdf_parts.footer_lines(doc), pdf_parts.running_header(doc))
    template.build(story, canvasmaker=_canvas_maker(furniture, doc.generated_at))
    missing = {PREPARED_FIELD, REVIEWED_FIELD} - set(slots)
    if missing:  # a layout bug, never a user error: the signer needs both boxes
        raise RuntimeError(f"signature boxes not placed: {', '.join(sorted(missing))}")
    first = doc.signature(Meaning.PREPARED, Meaning.AMENDED, Meaning.CANCELLED)
    if first is not None and first.meaning in (Meaning.AMENDED, Meaning.CANCELLED):
        # An amendment's first signature means "amended" but takes the preparer's box; the alias lets the
        # signing service look the box up by the signature's meaning.
        slots[first.meaning] = slots[PREPARED_FIELD]
    return out.getvalue(), slots
