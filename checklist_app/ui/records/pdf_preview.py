"""PDF preview of a record (QtPdf) with Print (QPrintDialog) and Save as (written atomically)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QLabel, QToolBar, QVBoxLayout, QWidget

from ...services.files import display_copy, write_atomically
from ..shell import msgbox
from ..shell.i18n import tr

PRINT_DPI = 300


class PdfPreviewDialog(QDialog):
    """Shows the record's PDF exactly as stored; Print and Save as act on those same bytes."""

    def __init__(
        self,
        parent: QWidget | None,
        pdf: bytes,
        title: str,
        *,
        suggested_name: str = "checklist.pdf",
        on_printed: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.setWindowTitle(title)
        self.setAccessibleName(tr("PDF preview: {title}").format(title=title))
        self._pdf = pdf
        self._suggested = suggested_name
        self._on_printed = on_printed
        # What is shown has the signature stamps drawn in (Qt draws no form widgets); Save as writes `pdf`.
        self._bytes = QByteArray(display_copy(pdf))
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setAccessibleName(tr("Record PDF"))
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)

        toolbar = QToolBar(self)
        toolbar.setObjectName("pdfToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.print_action = QAction(tr("Print…"), self)
        self.print_action.setObjectName("printAction")
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.setToolTip(tr("Print (Ctrl+P)"))
        self.save_action = QAction(tr("Save as…"), self)
        self.save_action.setObjectName("saveAsAction")
        self.save_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.save_action.setToolTip(tr("Save the PDF to a file (Ctrl+Shift+S)"))
        self.fit_action = QAction(tr("Fit page"), self)
        self.fit_action.setObjectName("fitAction")
        self.fit_action.setCheckable(True)
        self.fit_action.setShortcut(QKeySequence("Ctrl+0"))
        self.close_action = QAction(tr("Close"), self)
        self.close_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        for action in (self.print_action, self.save_action, self.fit_action, self.close_action):
            toolbar.addAction(action)
        self.pages_label = QLabel(tr("{n} page(s)").format(n=self.document.pageCount()), self)
        toolbar.addWidget(self.pages_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(toolbar)
        layout.addWidget(self.view, 1)
        screen = self.screen().availableGeometry()
        self.resize(min(900, screen.width()), int(screen.height() * 0.9))

        self.print_action.triggered.connect(self.print_document)
        self.save_action.triggered.connect(self.save_as)
        self.fit_action.toggled.connect(self._toggle_fit)
        self.close_action.triggered.connect(self.reject)

    @property
    def pdf_bytes(self) -> bytes:
        """The bytes shown, printed and saved (the stored signed PDF, untouched)."""
        return self._pdf

    def _toggle_fit(self, whole_page: bool) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView if whole_page else QPdfView.ZoomMode.FitToWidth)

    def print_document(self) -> bool:
        """Ask for a printer, then print every page at the printer's resolution. True when printed."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        # The PDF has its own margins: print it at 1:1 on the whole sheet, not shrunk inside the printer's.
        printer.setFullPage(True)
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("printDialog")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.render_to(printer)
        if self._on_printed is not None:
            self._on_printed()
        return True

    def render_to(self, printer: QPrinter) -> None:
        painter = QPainter()
        if not painter.begin(printer):
            msgbox.error(self, tr("Print"), tr("The printer could not be opened."))
            return
        try:
            # QtPdf renders pages as images: 300 dpi prints text crisply; the printer's 1200 would need
            # half a gigabyte per A4 page for no visible gain.
            dpi = min(printer.resolution(), PRINT_DPI)
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                points = self.document.pagePointSize(page)
                size = QSize(int(points.width() * dpi / 72), int(points.height() * dpi / 72))
                image = self.document.render(page, size)
                target = painter.viewport()
                fitted = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                # Let the paint engine scale into the page: no full-resolution copy of the image in memory.
                painter.drawImage(QRect(target.topLeft(), fitted), image)
        finally:
            painter.end()

    def save_as(self) -> str | None:
        path = msgbox.ask_save_path(self, tr("Save the checklist PDF"), self._suggested, tr("PDF files (*.pdf)"))
        if not path:
            return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            write_atomically(path, self._pdf)
        except OSError as exc:
            msgbox.error(
                self,
                tr("Save as"),
                tr("The PDF could not be saved to {path}: {error}.").format(path=path, error=exc.strerror or exc),
            )
            return None
        return path
