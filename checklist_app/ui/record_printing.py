"""Painting record PDFs onto a QPrinter page by page, with a "Printed by … at …" line under each page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from ..domain.errors import ChecklistError

# Pages are rasterised by QtPdf; 300 dpi keeps text, barcodes and the QR code sharp on paper while a
# Letter page stays about 33 MB as an image (a 1200 dpi printer resolution would need 16 times that).
MAX_RENDER_DPI = 300
STAMP_POINT_SIZE = 7.0


class PrintError(ChecklistError):
    """The printer could not be used, or a record's PDF could not be read for printing."""


def printed_stamp(full_name: str, when: datetime) -> str:
    """'Printed by Carla Diaz at 2026-11-24 10:02 -05:00' (local time, with its offset)."""
    offset = when.strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}" if offset else ""
    return f"Printed by {full_name} at {when.strftime('%Y-%m-%d %H:%M')} {offset}".rstrip()


def load_pdf(data: bytes, parent: QBuffer | None = None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument over bytes held in memory (never a temp file: it is patient data).

    The buffer is returned too because the document reads from it for as long as it lives.
    """
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(buffer)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise PrintError(f"The record's PDF could not be read ({document.error().name}); nothing was printed.")
    return document, buffer


def print_pdfs(printer: QPrinter, pdfs: Sequence[bytes], stamp: str) -> int:
    """Paint every page of every PDF on `printer` as one job; returns the number of pages.

    The signed PDFs themselves are not touched: the stamp exists only on the paper.
    """
    documents = [load_pdf(data) for data in pdfs]  # read all first: a bad file must not leave half a job
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("The printer could not be started; check that it is on and selected, then try again.")
    pages = 0
    try:
        for document, _buffer in documents:
            for index in range(document.pageCount()):
                if pages and not printer.newPage():
                    raise PrintError("The printer refused a new page; the print job is incomplete.")
                _paint_page(painter, printer, document, index, stamp)
                pages += 1
    finally:
        finished = painter.end()
    if not finished:
        raise PrintError("The print job could not be completed; check the printer and try again.")
    return pages


def _paint_page(painter: QPainter, printer: QPrinter, document: QPdfDocument, index: int, stamp: str) -> None:
    dpi = printer.resolution()
    # Painter coordinates start at the printable area's corner (full-page mode is off), in device pixels.
    area = QRectF(printer.pageLayout().paintRectPixels(dpi))
    area.moveTo(0, 0)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(STAMP_POINT_SIZE)
    line = QFontMetricsF(font, printer).height()
    page_area = area.adjusted(0, 0, 0, -1.5 * line)  # the stamp gets its own strip, never over the record

    points = document.pagePointSize(index)
    scale = min(page_area.width() / points.width(), page_area.height() / points.height())
    target = QRectF(0, 0, points.width() * scale, points.height() * scale)
    target.moveTo(page_area.left() + (page_area.width() - target.width()) / 2, page_area.top())

    render_dpi = min(dpi, MAX_RENDER_DPI)
    image = document.render(index, QSize(round(points.width() / 72 * render_dpi),
                                         round(points.height() / 72 * render_dpi)))
    painter.fillRect(target, Qt.GlobalColor.white)
    painter.drawImage(target, image)

    painter.setFont(font)
    painter.setPen(QColor("#333333"))
    strip = QRectF(target.left(), target.bottom() + 0.25 * line, target.width(), line)
    painter.drawText(strip, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, stamp)
