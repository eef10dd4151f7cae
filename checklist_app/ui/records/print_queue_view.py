"""The coordinator's print queue: signed records not yet sent to a printer; print one or several, ask what came
out, and the list of records already sent, with Reprint."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressDialog,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import ChecklistError
from ...domain.lifecycle import Status
from ...domain.timefmt import local_now
from ...services.models import CaseSummary, Role, User
from ...services.printing import PaperItem
from ..shell import msgbox
from ..shell.commands import action_button, command
from ..shell.i18n import tr
from ..shell.worker import SHOW_AFTER_MS, Task, run_in_background
from .cups_jobs import CupsJobs
from .pdf_preview import PdfPreviewDialog
from .record_printing import PrintItem, print_pdfs, printed_stamp
from .records_model import QUEUE_COLUMNS, Column, SummaryTableModel
from .verification import verify_record

if TYPE_CHECKING:
    from ...services.app import AppServices
    from ..shell.session import Session


class QueuePreviewDialog(PdfPreviewDialog):
    """The shared PDF preview, whose Print goes through the queue: stamped, logged and marked printed."""

    def __init__(self, queue: PrintQueueView, record_id: str, pdf: bytes, title: str, name: str) -> None:
        super().__init__(queue, pdf, title, suggested_name=name)
        self._queue = queue
        self._record_id = record_id

    def print_document(self) -> bool:
        printed = self._queue.print_records([self._record_id], self)
        if printed:
            self.accept()
        return printed


class QueueTableModel(SummaryTableModel):
    """The queue's rows; a sent version since replaced by an amendment says so (it is not printed again)."""

    def cell_text(self, row: CaseSummary, column: int) -> str:
        if row.status == Status.AMENDED and column == self.column_of(Column.STATUS):
            return tr("Superseded by amendment")
        return super().cell_text(row, column)


class PrintQueueView(QWidget):
    """Signed and reviewed records waiting for paper, printed as one job and then marked printed."""

    roles = frozenset({Role.COORDINATOR})

    def __init__(self, svc: AppServices, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printQueueView")
        self._svc = svc
        self.session = session
        self.preview: QueuePreviewDialog | None = None
        self.task: Task | None = None  # the preview being read, while it runs
        # One printer for the session, so the printer and options chosen once are offered again next time.
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.printer.setDocName(tr("Pre-procedure checklists"))
        self.cups = CupsJobs(svc, lambda: self.user, self)

        title = QLabel(tr("Signed records waiting to be printed"), self)
        title.setObjectName("viewTitle")
        self.title = title
        self.sent_check = QCheckBox(tr("Show records already &sent to the printer"), self)
        self.sent_check.setObjectName("showSent")
        self.sent_check.setToolTip(tr("Records sent to a printer, newest first, to confirm or reprint"))
        self.count_label = QLabel(self)
        self.count_label.setObjectName("printQueueCount")
        self.count_label.setAccessibleName(tr("Records waiting"))
        self.status_label = QLabel(self)
        self.status_label.setObjectName("printQueueStatus")
        self.status_label.setAccessibleName(tr("Print result"))
        self.status_label.setWordWrap(True)

        self.model = QueueTableModel(QUEUE_COLUMNS, self)
        self.table = QTableView(self)
        self.table.setObjectName("printQueueTable")
        self.table.setAccessibleName(tr("Print queue"))
        self.table.setAccessibleDescription(tr("Signed records not yet printed. Select one or several, then Print."))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # The queue is short (what is signed and not yet printed), so sizing to contents costs nothing.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)

        # Ctrl+P and F5 belong to the main window (which hands Ctrl+P to this page while it is shown); a second
        # action on one key would be ambiguous in Qt.
        self.print_action = command(
            self,
            tr("&Print…"),
            "Ctrl+Shift+P",
            self.print_selected,
            tr("Send the selected records to a printer (Ctrl+P)"),
        )
        self._print_tip = self.print_action.toolTip()
        self.preview_action = command(
            self, tr("Pre&view"), None, self.preview_current, tr("Show the selected record's PDF (Enter)")
        )
        self.select_all_action = command(
            self,
            tr("Select &all"),
            None,
            self.table.selectAll,
            tr("Select every record in the queue (Ctrl+A in the table)"),
        )
        self.refresh_action = command(self, tr("&Refresh"), None, self.refresh, tr("Read the queue again (F5)"))

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.sent_check)
        top.addWidget(self.count_label)
        buttons = QHBoxLayout()
        buttons.addWidget(action_button(self.print_action, primary=True))
        for action in (self.preview_action, self.select_all_action, self.refresh_action):
            buttons.addWidget(action_button(action))
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)

        self.table.activated.connect(self.preview_current)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.modelReset.connect(self._update_actions)
        self.sent_check.toggled.connect(self.refresh)
        self.cups.status.connect(self.status_label.setText)
        self.cups.changed.connect(self.refresh)
        self._update_actions()

    # -- session ------------------------------------------------------------------------------------------------
    @property
    def user(self) -> User | None:
        """The session's user when they are a coordinator, else None."""
        user = self.session.user
        return user if user is not None and user.roles & self.roles else None

    def set_user(self, user: User | None) -> None:
        """Show the queue for a coordinator; None (locked) or another role sees nothing."""
        if self.user is None:
            self.clear()
        else:
            self.refresh()
            self.cups.resume()

    def clear(self) -> None:
        """Hide every patient detail: close the preview and drop the rows."""
        if self.preview is not None:
            self.preview.reject()
        self.model.set_rows([])
        self.count_label.clear()
        self.status_label.clear()

    def showEvent(self, event: QShowEvent) -> None:
        # Records are signed on other workstations too; coming back to the page shows the queue as it is now.
        super().showEvent(event)
        if self.user is not None:
            self.refresh()

    def refresh(self) -> None:
        """Read the queue from the store, keeping the selection of records still waiting."""
        if self.user is None:
            return
        selected = set(self.selected_ids())
        sent = self.sent_check.isChecked()
        try:
            rows = self._svc.cases.sent_to_printer() if sent else self._svc.cases.print_queue()
        except ChecklistError as exc:
            self.status_label.setText(tr("The print queue could not be read: {exc}").format(exc=exc))
            return
        self.model.set_rows(rows)
        self.select_ids([row.record_id for row in rows if row.record_id in selected])
        n = len(rows)
        self.title.setText(tr("Records sent to the printer") if sent else tr("Signed records waiting to be printed"))
        if sent:
            self.count_label.setText(tr("{n} sent").format(n=n))
        else:
            self.count_label.setText(
                tr("Nothing to print")
                if n == 0
                else (tr("{n} record to print") if n == 1 else tr("{n} records to print")).format(n=n)
            )
        self._update_actions()

    # -- selection ----------------------------------------------------------------------------------------------
    def selected_ids(self) -> list[str]:
        """Record ids of the selected rows, in queue order."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.summary(row).record_id for row in rows]

    def select_ids(self, record_ids: list[str]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in (self.model.row_of(record_id) for record_id in record_ids):
            if row >= 0:
                selection.select(self.model.index(row, 0), flags)

    def _update_actions(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        n = len(rows)
        superseded = any(self.model.summary(index.row()).status == Status.AMENDED for index in rows)
        self.print_action.setEnabled(n > 0 and not superseded)
        self.print_action.setToolTip(
            tr("A version superseded by an amendment is not printed again: print the latest version once it is signed")
            if superseded
            else self._print_tip
        )
        verb = tr("&Reprint") if self.sent_check.isChecked() else tr("&Print")
        self.print_action.setText(f"{verb}…" if n <= 1 else tr("{verb} {n} records…").format(verb=verb, n=n))
        self.preview_action.setEnabled(n == 1)
        self.select_all_action.setEnabled(self.model.rowCount() > 0)

    # -- commands -----------------------------------------------------------------------------------------------
    def preview_current(self) -> Task | None:
        """Open the selected record's PDF; it is read and checked on the worker pool (its tamper check validates
        every signature), and the preview opens when that ends. Returns the running task, or None."""
        ids, user = self.selected_ids(), self.user
        if len(ids) != 1 or user is None or (self.task is not None and self.task.running):
            return None
        record_id = ids[0]
        self.preview_action.setEnabled(False)  # one preview at a time
        self.task = run_in_background(
            self,
            tr("Checking the record…"),
            lambda: self._svc.documents.pdf(user, record_id),
            lambda pdf, error: self._open_preview(user, record_id, pdf, error),
        )
        return self.task

    def _open_preview(self, user: User, record_id: str, pdf: bytes | None, error: BaseException | None) -> None:
        self._update_actions()
        row = self.model.row_of(record_id)
        current = self.user
        if current is None or current.username != user.username or row < 0:
            return  # locked or refreshed meanwhile: the record is no longer on screen, nor is its preview
        if error is not None:
            if not isinstance(error, ChecklistError):
                raise error
            msgbox.error(self, tr("Preview"), str(error))
            return
        assert pdf is not None
        summary = self.model.summary(row)
        if self.preview is not None:
            self.preview.reject()
        name = f"checklist-{summary.mrn}-{summary.scheduled_at.astimezone():%Y%m%d}.pdf"
        self.preview = QueuePreviewDialog(
            self, record_id, pdf, tr("{name} · MRN {mrn}").format(name=summary.patient_name, mrn=summary.mrn), name
        )
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview.finished.connect(self._forget_preview)
        self.preview.open()  # non-blocking: the idle lock can close it at any moment

    def _forget_preview(self) -> None:
        self.preview = None

    def print_selected(self) -> bool:
        return self.print_records(self.selected_ids())

    def print_records(self, record_ids: list[str], parent: QWidget | None = None) -> bool:
        """Ask for the printer, print the records as one job, then mark them printed. True when printed.

        `parent` places the print dialog and any message over the window asking (the preview, or this page).
        """
        parent = parent or self
        user = self.user
        if not record_ids or user is None:
            return False
        # Checked before asking for a printer: a record failing its signature check never reaches paper.
        try:
            items = self._checked_items(user, record_ids, parent)
        except ChecklistError as exc:
            msgbox.error(parent, tr("Not printed"), str(exc), tr("No record was marked printed."))
            return False
        if items is None:
            return False
        n = len(record_ids)
        dialog = QPrintDialog(self.printer, parent)
        dialog.setObjectName("printDialog")
        dialog.setWindowTitle((tr("Print {n} record") if n == 1 else tr("Print {n} records")).format(n=n))
        # A record marked printed must be on paper whole: no page ranges, no "selection only".
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, False)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintSelection, False)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, False)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        now = local_now()
        native = self.printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
        queue = self.printer.printerName() if native else ""
        if self._svc.printing.is_cups_queue(queue):
            # The PDF itself goes to CUPS (vector pages, and CUPS tells what came out); the Qt path below paints
            # 300 dpi images and stays for printers that are not CUPS queues (Windows, a PDF file).
            papers = [PaperItem(rid, i.pdf, i.last_page_note) for rid, i in zip(record_ids, items, strict=True)]
            self.cups.send(user, queue, papers, copies=self.printer.copyCount(), now=now, parent=parent)
            return True
        # Qt paints the pages on this thread (its PDF renderer and the printer live here); a window-modal bar after
        # half a second keeps the window painting between pages.
        bar = QProgressDialog("Printing…", "", 0, 0, parent)
        bar.setObjectName("printProgress")
        bar.setCancelButton(None)  # half a job cannot be taken back from the printer
        bar.setWindowModality(Qt.WindowModality.WindowModal)
        bar.setMinimumDuration(SHOW_AFTER_MS)
        bar.setAutoReset(False)  # on screen until the job is closed below, not at the last page
        bar.setAutoClose(False)

        def advance(done: int, total: int) -> None:
            bar.setMaximum(total)
            bar.setValue(done)  # a modal bar's setValue lets the window repaint

        try:
            pages = print_pdfs(self.printer, items, printed_stamp(user.full_name, now), advance)
        except ChecklistError as exc:
            msgbox.error(parent, tr("Not printed"), str(exc), tr("Nothing was sent to the printer."))
            return False
        finally:
            bar.close()
            bar.deleteLater()
        # The job left this computer: that is all that is known yet, and all that is recorded.
        printer_name = self.printer.printerName() or self.printer.outputFileName() or None
        try:
            self._svc.documents.mark_printed(user, record_ids, printer=printer_name)
        except ChecklistError as exc:
            msgbox.error(
                parent,
                tr("Sent but not recorded"),
                tr(
                    "The records were sent to the printer, but this could not be recorded. Check the paper and "
                    "tell the charge nurse."
                ),
                str(exc),
            )
            self.refresh()
            return True
        what = tr("{records} ({pages}) sent to {printer} at {at:%H:%M}, by {name}").format(
            records=(tr("{n} record") if n == 1 else tr("{n} records")).format(n=n),
            pages=(tr("{n} page") if pages == 1 else tr("{n} pages")).format(n=pages),
            printer=printer_name or tr("the printer"),
            at=now,
            name=user.full_name,
        )
        self.status_label.setText(f"{what}.")
        self.ask_what_came_out(user, record_ids, parent, what)
        self.refresh()
        return True

    def ask_what_came_out(self, user: User, record_ids: list[str], parent: QWidget, what: str) -> None:
        """Ask the coordinator "Did it print?": yes is recorded as printed; no puts the records back in the queue.

        Qt's QPrinter does not report a job's state after it is handed to the print system, so the person at the
        printer is the one who knows."""
        printed = msgbox.confirm(
            parent,
            tr("Did it print?"),
            tr("{what}. Did every page come out of the printer?").format(what=what[0].upper() + what[1:]),
            yes=tr("Yes, all printed"),
            no=tr("No — put them back in the queue"),
        )
        try:
            self._svc.documents.confirm_printed(user, record_ids, printed, source="coordinator")
        except ChecklistError as exc:
            msgbox.error(parent, tr("Not recorded"), str(exc))
            return
        self.status_label.setText(
            tr("{what}: printed, confirmed by {name}.").format(what=what, name=user.full_name)
            if printed
            else tr("{what}: did not print; back in the queue.").format(what=what)
        )

    def _checked_items(self, user: User, record_ids: list[str], parent: QWidget) -> list[PrintItem] | None:
        """Each record's stored PDF with its signers, or None (and a message) when one cannot be printed."""
        items: list[PrintItem] = []
        for record_id in record_ids:
            row = self.model.row_of(record_id)
            if row < 0:
                msgbox.error(
                    parent,
                    tr("Not printed"),
                    tr("A record is no longer in the print queue (printed on another workstation?)."),
                    tr("Nothing was printed or marked printed."),
                )
                return None
            summary = self.model.summary(row)
            pdf = self._svc.documents.pdf(user, record_id, refuse_tampered=False)  # judged on the next line
            verification = verify_record(self._svc, record_id, summary.status)
            if verification.verdict != "valid":
                # Paper looks trustworthy whatever the file says: a record failing its check is not printed.
                msgbox.error(
                    parent,
                    tr("Not printed"),
                    tr("{name} · MRN {mrn}: {badge}").format(
                        name=summary.patient_name, mrn=summary.mrn, badge=verification.badge_text
                    ),
                    tr("Nothing was printed or marked printed. Tell the charge nurse."),
                )
                return None
            items.append(PrintItem(pdf, verification.print_text))
        return items
