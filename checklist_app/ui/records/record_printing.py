"""Painting record PDFs onto a QPrinter page by page, with a "Printed by … at …" line under each page.

This is the fallback for printers that are not CUPS queues (Windows, a PDF file): QtPdf renders pages only as
images, so each page goes as a 300 dpi image. A CUPS queue gets the PDF itself instead (services.printing).

QtPdf renders page content but never form widgets, and the signatures' visible stamps are widgets: the
boxes stay empty on paper. So the last page of each record also gets the signers as checked when printing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrinter

from ...domain.errors import ChecklistError
from ...services.files import display_copy
from ..shell.i18n import tr

# Pages are rasterised by QtPdf; 300 dpi keeps text, barcodes and the QR code sharp on paper while a
# Letter page stays about 33 MB as an image (a 1200 dpi printer resolution would need 16 times that).
MAX_RENDER_DPI = 300
STAMP_POINT_SIZE = 7.0


@dataclass(frozen=True)
class PrintItem:
    """One record to print: its stored PDF, and the line for under its last page (the checked signers)."""

    pdf: bytes
    last_page_note: str = ""


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
    buffer.setData(QByteArray(display_copy(data)))  # the stamps on paper too (Qt draws no form widgets)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(buffer)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise PrintError(
            tr("The record's PDF could not be read ({error}); nothing was printed.").format(error=document.error().name)
        )
    return document, buffer


def render_page(document: QPdfDocument, index: int, dpi: float) -> QImage:
    """One page as an image at `dpi`, with its annotations.

    The signatures' visible stamps ("Digitally signed by …") are widget annotations: without the
    Annotations flag PDFium leaves the signature boxes empty on paper.
    """
    options = QPdfDocumentRenderOptions()
    options.setRenderFlags(QPdfDocumentRenderOptions.RenderFlag.Annotations)
    points = document.pagePointSize(index)
    return document.render(index, QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi)), options)


def print_pdfs(
    printer: QPrinter, items: Sequence[PrintItem], stamp: str, progress: Callable[[int, int], None] | None = None
) -> int:
    """Paint every page of every record on `printer` as one job; returns the number of pages.

    `progress(done, total)` is told after each page (a progress bar that keeps the window painting).
    The signed PDFs themselves are not touched: the stamp and notes exist only on the paper.
    """
    documents = [(*load_pdf(item.pdf), item.last_page_note) for item in items]  # a bad file: no half job
    total = sum(document.pageCount() for document, _buffer, _note in documents)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError(tr("The printer could not be started; check that it is on and selected, then try again."))
    pages = 0
    try:
        for document, _buffer, note in documents:
            last = document.pageCount() - 1
            for index in range(document.pageCount()):
                if pages and not printer.newPage():
                    raise PrintError(tr("The printer refused a new page; the print job is incomplete."))
                _paint_page(painter, printer, document, index, (note, stamp) if index == last else ("", stamp))
                pages += 1
                if progress is not None:
                    progress(pages, total)
    finally:
        finished = painter.end()
    if not finished:
        raise PrintError(tr("The print job could not be completed; check the printer and try again."))
    return pages


def _paint_page(
    painter: QPainter, printer: QPrinter, document: QPdfDocument, index: int, lines: tuple[str, str]
) -> None:
    dpi = printer.resolution()
    # Painter coordinates start at the printable area's corner (full-page mode is off), in device pixels.
    area = QRectF(printer.pageLayout().paintRectPixels(dpi))
    area.moveTo(0, 0)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(STAMP_POINT_SIZE)
    line = QFontMetricsF(font, printer).height()
    # The notes get their own strip (the same on every page, so every page has one scale), never over the record.
    page_area = area.adjusted(0, 0, 0, -(len(lines) + 0.5) * line)

    points = document.pagePointSize(index)
    scale = min(page_area.width() / points.width(), page_area.height() / points.height())
    target = QRectF(0, 0, points.width() * scale, points.height() * scale)
    target.moveTo(page_area.left() + (page_area.width() - target.width()) / 2, page_area.top())

    image = render_page(document, index, min(dpi, MAX_RENDER_DPI))
    painter.fillRect(target, Qt.GlobalColor.white)
    painter.drawImage(target, image)

    painter.setFont(font)
    painter.setPen(QColor("#333333"))
    for n, text in enumerate(lines):
        strip = QRectF(target.left(), target.bottom() + (0.25 + n) * line, target.width(), line)
        painter.drawText(strip, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
