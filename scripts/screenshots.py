"""Screenshots of the main screens, grabbed offscreen from the real widgets on synthetic demo data.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--scale 1.5]

Everything runs on a temporary database (synthetic users and patients from `checklist_app.services.demo`)
that is deleted afterwards; nothing touches the user's own database. Run it again whenever a screen changes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Qt itself is imported only after the environment above is set
    from PySide6.QtWidgets import QWidget

    from checklist_app.services.models import CaseSummary
    from checklist_app.ui.shell.main_window import MainWindow

SHOTS = (
    "login",
    "worklist",
    "checklist-not-ready",
    "sign-dialog",
    "pdf-preview",
    "print-queue",
    "records",
    "record-open",
    "reschedule-dialog",
    "cancel-dialog",
    "print-sent",
    "dashboard",
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "screenshots")
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="display scaling to check readability at, e.g. 1.25 or 2 (file names get a suffix)",
    )
    parser.add_argument("--records", type=int, default=60, help="synthetic records to create")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=SHOTS,
        default=list(SHOTS),
        metavar="SCREEN",
        help=f"only these screens: {', '.join(SHOTS)}",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Before Qt starts: offscreen rendering, and the scale factor a high-DPI display would apply.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = f"{args.scale:g}"
    with tempfile.TemporaryDirectory(prefix="checklist-shots-") as tmp:
        # The site signing secret of this throwaway database lives and dies with it.
        os.environ["CHECKLIST_SITE_SECRET_FILE"] = str(Path(tmp) / "site.secret")
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")  # window sizes: not the user's own
        return Shooter(Path(tmp), args.out, args.scale, args.records).run(args.only)


def quiet_offscreen_notice(_mode: object, _context: object, message: str) -> None:
    """Qt's offscreen platform says it cannot resize native windows once per dialog; everything else prints."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


class Shooter:
    """Builds the app's real windows for each role and saves one PNG per screen."""

    def __init__(self, tmp: Path, out: Path, scale: float, records: int) -> None:
        from PySide6.QtCore import qInstallMessageHandler
        from PySide6.QtWidgets import QApplication

        from checklist_app.services.app import AppServices
        from checklist_app.ui.shell.style import apply_style

        qInstallMessageHandler(quiet_offscreen_notice)
        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        apply_style(self.app)  # type: ignore[arg-type]
        self.out = out
        self.suffix = "" if scale == 1.0 else f"@{scale:g}x"
        # What a 1920×1080 monitor leaves at this scaling (less a taskbar), capped at the usual 1280×800:
        # at 200 % the screens must still work in 960×520 logical pixels.
        self.size = (min(1280, round(1920 / scale)), min(800, round(1040 / scale)))
        self.records = records
        self.svc = AppServices.open(f"sqlite:///{tmp / 'demo.db'}")

    def run(self, only: list[str]) -> int:
        from checklist_app.services.demo import DEMO_USERS, create_demo

        try:
            create_demo(self.svc, records=self.records)
            self.passwords = {username: password for username, _n, _r, password in DEMO_USERS}
            self.out.mkdir(parents=True, exist_ok=True)
            for name, shot in (
                ("login", self.login),
                ("worklist", self.worklist),
                ("checklist-not-ready", self.checklist_not_ready),
                ("sign-dialog", self.sign_dialog),
                ("pdf-preview", self.pdf_preview),
                ("print-queue", self.print_queue),
                ("records", self.records_view),
                ("record-open", self.record_open),
                ("reschedule-dialog", self.reschedule_dialog),
                ("cancel-dialog", self.cancel_dialog),
                ("print-sent", self.print_sent),
                ("dashboard", self.dashboard),
            ):
                if name not in only:
                    continue
                path = self.out / f"{name}{self.suffix}.png"
                if not shot().grab().save(str(path)):
                    print(f"could not write {path}", file=sys.stderr)
                    return 1
                print(path)
                self.close_windows()
        finally:
            self.svc.close()
        return 0

    # -- helpers ------------------------------------------------------------------------------------------------
    def settle(self, ms: int = 300) -> None:
        """Run the event loop for a moment: layouts, the PDF view's page rendering and deferred fills."""
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def close_windows(self) -> None:
        from PySide6.QtWidgets import QApplication

        for widget in QApplication.topLevelWidgets():
            widget.close()
            widget.deleteLater()
        self.settle(50)

    def window(self, username: str, page: str | None = None) -> MainWindow:
        from PySide6.QtCore import Qt

        from checklist_app.ui.shell.app import build_main_window

        window = build_main_window(self.svc, self.svc.auth.get(username))
        window.setWindowState(Qt.WindowState.WindowNoState)  # a first start maximises on the small offscreen screen
        window.resize(*self.size)
        window.show()
        if page is not None:
            for n in range(window.tabs.count()):
                if window.tabs.tabText(n) == page:
                    window.tabs.setCurrentIndex(n)
        self.settle()
        return window

    def find_today(self, want: Callable[[CaseSummary], bool]) -> str:
        """The record id of today's first case that `want` accepts."""
        nurse = self.svc.auth.get("nurse")
        for row in self.svc.cases.worklist(nurse, date.today()):
            if want(row):
                return row.record_id
        raise SystemExit("the demo data has no case for this screenshot; raise --records")

    # -- the screens --------------------------------------------------------------------------------------------
    def login(self) -> QWidget:
        from checklist_app.ui.accounts.login_dialog import LoginDialog

        dialog = LoginDialog(self.svc.auth, self.svc.db_display)
        dialog.form.reset("nurse")
        dialog.show()
        self.settle()
        return dialog

    def worklist(self) -> QWidget:
        self.outcomes()  # today's list shows a cancelled case among the drafts
        return self.window("nurse")

    def checklist_not_ready(self) -> QWidget:
        window = self.window("nurse")
        window.open_case(self.find_today(lambda r: r.readiness_state == "not_ready" and r.status == "draft"))
        self.settle()
        return window

    def sign_dialog(self) -> QWidget:
        from checklist_app.ui.cases.sign_dialog import SignDialog

        window = self.window("nurse")
        nurse = self.svc.auth.get("nurse")
        record_id = self.find_today(lambda r: r.readiness_state == "ready" and r.status == "draft")
        window.open_case(record_id)
        dialog = SignDialog(self.svc, nurse, self.svc.cases.open_case(nurse, record_id), window)
        dialog.show()
        self.settle()
        return dialog

    def pdf_preview(self) -> QWidget:
        from checklist_app.ui.records.pdf_preview import PdfPreviewDialog

        record_id = self.signed_ids()[0]
        pdf = self.svc.documents.pdf(self.svc.auth.get("coordinator"), record_id)
        dialog = PdfPreviewDialog(None, pdf, "Signed checklist", suggested_name="checklist.pdf")
        dialog.resize(min(900, self.size[0]), self.size[1])
        dialog.show()
        self.settle(1200)  # QPdfView renders pages asynchronously
        return dialog

    def print_queue(self) -> QWidget:
        from checklist_app.ui.records.print_queue_view import PrintQueueView

        window = self.window("coordinator", "Print queue")
        queue = window.findChild(PrintQueueView)
        assert queue is not None
        queue.select_ids(self.signed_ids()[:2])
        self.settle()
        return window

    def reschedule_dialog(self) -> QWidget:
        from checklist_app.ui.cases.outcome_dialogs import RescheduleDialog

        window = self.window("nurse")
        nurse = self.svc.auth.get("nurse")
        record_id = self.find_today(lambda r: r.readiness_state == "not_ready" and r.status == "draft")
        window.open_case(record_id)
        case = self.svc.cases.open_case(nurse, record_id)
        dialog = RescheduleDialog(self.svc, nurse, case, window)
        friday = case.record.procedure.scheduled_at.astimezone() + timedelta(days=(4 - date.today().weekday()) % 7 or 7)
        dialog.time_edit.setText(f"{friday:%Y-%m-%d} 09:30")  # the new time typed: the dialog is ready to move it
        dialog.reason_edit.setText("Apixaban held too short; moved to Friday")
        dialog.show()
        self.settle()
        return dialog

    def cancel_dialog(self) -> QWidget:
        from checklist_app.ui.cases.outcome_dialogs import CancelCaseDialog

        window = self.window("nurse")
        nurse = self.svc.auth.get("nurse")
        record_id = self.find_today(lambda r: r.status == "draft")
        window.open_case(record_id)
        dialog = CancelCaseDialog(self.svc, nurse, self.svc.cases.open_case(nurse, record_id), window)
        dialog.reason_edit.setText("Procedure no longer indicated: pain resolved")
        dialog.show()
        self.settle()
        return dialog

    def print_sent(self) -> QWidget:
        from checklist_app.ui.records.print_queue_view import PrintQueueView

        coordinator = self.svc.auth.get("coordinator")
        if not self.svc.cases.sent_to_printer():
            first, second = self.signed_ids()[:2]
            self.svc.documents.mark_printed(coordinator, [first, second], printer="ward-3-laser")
            self.svc.documents.confirm_printed(coordinator, [first], True, source="coordinator")
        window = self.window("coordinator", "Print queue")
        queue = window.findChild(PrintQueueView)
        assert queue is not None
        queue.sent_check.setChecked(True)
        self.settle()
        return window

    def outcomes(self) -> None:
        """One cancelled and one rescheduled case, so the records view shows them."""
        from checklist_app.services.models import CaseFilter

        if self.svc.cases.count(CaseFilter(status="cancelled")) == 0:
            nurse = self.svc.auth.get("nurse")
            first, second = [r for r in self.svc.cases.worklist(nurse, date.today()) if r.status == "draft"][-2:]
            self.svc.documents.cancel(
                nurse, self.passwords["nurse"], first.record_id, "Procedure no longer indicated: pain resolved"
            )
            self.svc.cases.reschedule(
                nurse, second.record_id, second.scheduled_at + timedelta(days=3), "Anticoagulant held too short"
            )

    def records_view(self) -> QWidget:
        from checklist_app.services.models import CaseFilter
        from checklist_app.ui.records.records_view import RecordsView

        self.co_sign_one()
        self.outcomes()
        window = self.window("charge", "Records")
        view = window.findChild(RecordsView)
        assert view is not None
        cancelled = self.svc.cases.search(CaseFilter(status="cancelled"), limit=1).rows
        if cancelled:  # scrolled to the cancelled case, among signed and draft ones
            view.select(cancelled[0].record_id)
        self.settle()
        return window

    def record_open(self) -> QWidget:
        from checklist_app.ui.records.records_view import RecordsView

        window = self.window("charge", "Records")
        view = window.findChild(RecordsView)
        assert view is not None
        view.status_combo.setCurrentIndex(view.status_combo.findData("reviewed"))
        dialog = view.open_current()
        assert dialog is not None
        dialog.resize(min(1000, self.size[0]), self.size[1])
        self.settle(1200)
        return dialog

    def dashboard(self) -> QWidget:
        self.outcomes()
        self.dashboard_history()
        from checklist_app.ui.dashboard.dashboard_view import DashboardView

        window = self.window("charge", "Dashboard")
        view = window.findChild(DashboardView)
        while view is not None and view.busy:  # the figures are counted off the GUI thread
            self.settle(100)
        self.settle()
        return window

    # -- data the screens need ----------------------------------------------------------------------------------
    def dashboard_history(self) -> None:
        """Four weeks of cases that were NOT READY at first (a drug held too briefly, no consent, the site not
        marked, a patient who ate), then put right and signed, some with an authorised override, some cancelled."""
        from datetime import datetime, time, timedelta

        from checklist_app.domain.records import Patient, Procedure
        from checklist_app.services.demo import DRUG_ANSWERS, DRUG_NOTES, READY_ANSWERS, READY_NOTES

        nurse, password = self.svc.auth.get("nurse"), self.passwords["nurse"]
        now = self.svc.cases.now()
        short = [{"drug": "apixaban", "last_dose_at": (now - timedelta(hours=30)).isoformat()}]
        held = [{"drug": "apixaban", "last_dose_at": (now - timedelta(hours=80)).isoformat()}]
        clopidogrel = [{"drug": "clopidogrel", "last_dose_at": (now - timedelta(hours=50)).isoformat()}]
        ate = {
            "sedation.planned": "yes",
            "fasting.last_solids_at": (now - timedelta(hours=2)).isoformat(),
            "fasting.last_clear_liquids_at": (now - timedelta(hours=3)).isoformat(),
            "escort.arranged": "met",
            "iv.access": "met",
            "personnel.sedation_provider": "met",
            "glp1.taking": "no",
            "sedation.monitoring_ready": "met",
        }
        plans = [  # (first answers, then the fix or None, the outcome)
            ({"anticoagulants": short, **DRUG_ANSWERS}, {"anticoagulants": held}, "sign"),
            ({"anticoagulants": short, **DRUG_ANSWERS}, None, "override"),
            ({"consent.signed": "not_met"}, {"consent.signed": "met"}, "sign"),
            ({"anticoagulants": clopidogrel, **DRUG_ANSWERS}, None, "cancel"),
            (ate, None, "cancel"),
            ({"site.marked": "not_met"}, {"site.marked": "met"}, "sign"),
            ({}, None, "sign"),
            ({"anticoagulants": short, **DRUG_ANSWERS}, None, "reschedule"),
        ]
        for n in range(18):
            first, fix, outcome = plans[n % len(plans)]
            day = date.today() - timedelta(days=3 + (n * 37) % 25)
            at = datetime.combine(day, time(8, 0)).astimezone() + timedelta(minutes=40 * (n % 8))
            case = self.svc.cases.new_case(
                nurse,
                Patient(name=f"Dana Example {n:02d}", birth_date=date(1958, 3, 9), mrn=f"DASH{n:04d}", sex="male"),
                Procedure(
                    type=("interlaminar_epidural", "transforaminal_epidural")[n % 2],
                    level="L4-L5",
                    laterality="left",
                    scheduled_at=at,
                ),
            )
            for item_id, value in {**READY_ANSWERS, **first}.items():
                case = self.svc.cases.answer(
                    nurse, case, item_id, value, note={**READY_NOTES, **DRUG_NOTES}.get(item_id, "")
                )
            for item_id, value in (fix or {}).items():
                case = self.svc.cases.answer(nurse, case, item_id, value)
            if outcome == "reschedule":  # moved two days on, still within the four weeks
                self.svc.cases.reschedule(nurse, case.record_id, at + timedelta(days=2), "Apixaban held too short")
            elif outcome == "cancel":
                self.svc.documents.cancel(nurse, password, case.record_id, "Not ready on the day: rebooked")
            elif outcome == "override" and case.readiness.can_override:
                self.svc.documents.sign(
                    nurse,
                    password,
                    case,
                    override_reason="Cardiology agreed a shorter hold",
                    authorised_by=("Dr. Rivera", "Dr. Okafor")[(n // len(plans)) % 2],
                )
            elif case.readiness.state == "ready":
                self.svc.documents.sign(nurse, password, case)

    def signed_ids(self) -> list[str]:
        from checklist_app.services.models import CaseFilter

        page = self.svc.cases.search(CaseFilter(status="signed"), limit=10)
        if len(page.rows) < 2:
            raise SystemExit("the demo data has fewer than two signed records; raise --records")
        return [row.record_id for row in page.rows]

    def co_sign_one(self) -> None:
        """One reviewed record, so the records view shows both statuses and the badge names two signers."""
        from checklist_app.services.models import CaseFilter

        if self.svc.cases.count(CaseFilter(status="reviewed")) == 0:
            charge = self.svc.auth.get("charge")
            self.svc.documents.co_sign(charge, self.passwords["charge"], self.signed_ids()[-1])


if __name__ == "__main__":
    sys.exit(main())
