"""A private CUPS scheduler with a cups-pdf queue: the real print system the printing tests talk to.

cupsd runs in the foreground on 127.0.0.1 with its configuration, spool, logs and state in a temporary folder,
and the clients (lp, lpstat, ipptool, Qt's CUPS plugin) find it through CUPS_SERVER. The queue's backend is
cups-pdf, which writes each job as a PDF into a folder of the test's: what the printer would have put on paper.
cups-pdf reads its settings only from /etc/cups (cups-pdf-<instance>.conf, chosen by the device URI), so one
file there names the output folder; it is removed when the server stops.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

START_TIMEOUT_S = 20.0
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CUPS_PDF_CONFIG_DIR = Path("/etc/cups")
INSTALL = "apt-get install -y cups cups-client printer-driver-cups-pdf (scripts/setup --test)"


def _require(tool: str) -> str:
    exe = shutil.which(tool) or shutil.which(tool, path="/usr/sbin:/sbin")
    if exe is None:
        message = f"{tool} is missing: the printing tests need a real CUPS ({INSTALL})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return exe


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the test process goes (a crash or a killed run skips teardown)."""
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class CupsServer:
    """cupsd on 127.0.0.1:<port> with one cups-pdf queue, `queue`, writing its jobs' PDFs into `out`."""

    def __init__(self, queue: str = "ward-printer") -> None:
        self.cupsd = _require("cupsd")
        for tool in ("lp", "lpstat", "lpadmin", "cupsenable", "cupsdisable", "ipptool"):
            _require(tool)
        if not PPD.exists() or not Path("/usr/lib/cups/backend/cups-pdf").exists():
            message = f"cups-pdf is missing ({INSTALL})"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        self.queue = queue
        # Filters run as the unprivileged `lp` user and must reach the spool: a world-readable folder under /tmp.
        self.root = Path(tempfile.mkdtemp(prefix="checklist-cups-"))
        self.out = self.root / "out"
        for sub in ("etc", "spool", "spool/tmp", "cache", "state", "log", "out"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
            (self.root / sub).chmod(0o755)
        self.root.chmod(0o755)
        self.port = _free_port()
        self.server = f"127.0.0.1:{self.port}"
        self.instance = f"checklist-test-{uuid.uuid4().hex[:8]}"
        self.cups_pdf_config = CUPS_PDF_CONFIG_DIR / f"cups-pdf-{self.instance}.conf"
        self.process: subprocess.Popen[bytes] | None = None

    # -- life ------------------------------------------------------------------------------------------------
    def start(self) -> None:
        etc = self.root / "etc"
        (etc / "cupsd.conf").write_text(
            f"Listen {self.server}\nServerName 127.0.0.1\nLogLevel warn\nBrowsing No\nWebInterface No\n"
            "DefaultAuthType None\n<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  JobPrivateAccess all\n  JobPrivateValues none\n"
            "  SubscriptionPrivateAccess all\n  SubscriptionPrivateValues none\n"
            "  <Limit All>\n    Order allow,deny\n    Allow all\n  </Limit>\n</Policy>\n"
        )
        r = self.root
        (etc / "cups-files.conf").write_text(
            f"ServerRoot {etc}\nRequestRoot {r}/spool\nTempDir {r}/spool/tmp\nCacheDir {r}/cache\n"
            f"StateDir {r}/state\nErrorLog {r}/log/error_log\nAccessLog {r}/log/access_log\n"
            f"PageLog {r}/log/page_log\nPrintcap {etc}/printcap\nServerBin /usr/lib/cups\nDataDir /usr/share/cups\n"
            "SystemGroup root\n"
        )
        for stale in CUPS_PDF_CONFIG_DIR.glob("cups-pdf-checklist-test-*.conf"):  # a killed run's, its folder gone
            out = stale.read_text(errors="replace").partition("Out ")[2].split("\n", 1)[0].strip()
            if out and not Path(out).exists():
                stale.unlink(missing_ok=True)
        try:
            self.cups_pdf_config.write_text(f"Out {self.out}\nAnonDirName {self.out}\n")
        except OSError as exc:
            pytest.fail(
                f"cups-pdf reads its settings only from {CUPS_PDF_CONFIG_DIR}, which the tests cannot "
                f"write ({exc.strerror}); run them as root or in a container"
            )
        self.process = subprocess.Popen(
            [self.cupsd, "-f", "-c", str(etc / "cupsd.conf"), "-s", str(etc / "cups-files.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while self.run("lpstat", "-r", check=False).stdout.strip() != "scheduler is running":
            if time.monotonic() > deadline or self.process.poll() is not None:
                log = self.error_log()
                self.stop()
                pytest.fail(f"the test cupsd did not start: {log[-800:]}")
            time.sleep(0.1)
        self.run("lpadmin", "-p", self.queue, "-E", "-v", f"cups-pdf:/{self.instance}", "-P", str(PPD))

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None
        self.cups_pdf_config.unlink(missing_ok=True)
        shutil.rmtree(self.root, ignore_errors=True)

    # -- the queue -------------------------------------------------------------------------------------------
    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "CUPS_SERVER": self.server}

    def run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [shutil.which(argv[0], path=f"{os.environ.get('PATH', '')}:/usr/sbin") or argv[0], *argv[1:]],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"{' '.join(argv)} failed: {result.stderr.strip()}")
        return result

    def pause(self) -> None:
        """Stop the queue printing (jobs wait in it), as `cupsdisable` does to a printer out of paper."""
        self.run("cupsdisable", self.queue)

    def resume(self) -> None:
        self.run("cupsenable", self.queue)

    def printed_pdfs(self) -> list[Path]:
        """The PDFs cups-pdf wrote: every job that came out of the printer."""
        return sorted(self.out.glob("*.pdf"))

    def error_log(self) -> str:
        path = self.root / "log" / "error_log"
        return path.read_text(errors="replace") if path.exists() else ""

    def reset(self) -> None:
        """The queue as new: no jobs, printing, nothing printed yet."""
        self.run("cancel", "-a", "-x", self.queue, check=False)
        self.resume()
        for pdf in self.printed_pdfs():
            pdf.unlink()


@pytest.fixture(scope="session")
def cups_session() -> Iterator[CupsServer]:
    """One private CUPS for the session: libcups (inside Qt's print plugin) reads CUPS_SERVER once per process,
    so every test must find the same scheduler there."""
    server = CupsServer()
    server.start()
    before = os.environ.get("CUPS_SERVER")
    os.environ["CUPS_SERVER"] = server.server  # lp, lpstat and ipptool, started by the app
    _point_libcups_at(server.server)  # Qt's print plugin, in this process, which may have asked CUPS already
    try:
        yield server
    finally:
        if before is None:
            os.environ.pop("CUPS_SERVER", None)
        else:
            os.environ["CUPS_SERVER"] = before
        _point_libcups_at(before)
        server.stop()


def _point_libcups_at(server: str | None) -> None:
    """libcups reads CUPS_SERVER once per thread and keeps it: an earlier test's QPrinter already made Qt's plugin
    ask the default scheduler. cupsSetServer sets it again for this (the GUI) thread; None: back to the default."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("cups")
    if name is None:
        pytest.fail(f"libcups is missing ({INSTALL})")
    libcups = ctypes.CDLL(name)
    libcups.cupsSetServer.argtypes = [ctypes.c_char_p]
    libcups.cupsSetServer(server.encode() if server else None)


@pytest.fixture
def cups_printer(cups_session: CupsServer) -> CupsServer:
    """The private CUPS with its cups-pdf queue empty and printing; this process's CUPS clients talk to it."""
    cups_session.reset()
    return cups_session
