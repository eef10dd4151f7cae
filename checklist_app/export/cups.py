"""The CUPS print system through its own clients: `lp` submits a record's PDF as it is (vector pages, rendered by
the system's filters, not a 300 dpi image), `lpstat`/`ipptool` say what became of the job.

Every call has a timeout and every failure is one line naming the command: the print system is outside the
app and may be stopped, slow or absent (Windows has no CUPS; the caller then prints through Qt). Job titles
are record ids only: CUPS shows them to anyone who lists the queue and writes them to its logs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import Literal

from ..domain.errors import ChecklistError

SUBMIT_TIMEOUT_S = 30.0  # lp copies the whole file to the scheduler
ASK_TIMEOUT_S = 10.0  # lpstat and ipptool only ask
JobState = Literal["pending", "held", "processing", "completed", "canceled", "unknown"]
FINISHED: frozenset[JobState] = frozenset({"completed", "canceled"})

_REQUEST_ID = re.compile(r"request id is (?P<queue>\S+)-(?P<number>\d+)\b")
# IPP job-state keywords (RFC 8011 5.3.7) in the few words the coordinator needs.
_IPP_STATES: dict[str, JobState] = {
    "pending": "pending",
    "pending-held": "held",
    "processing": "processing",
    "processing-stopped": "processing",
    "completed": "completed",
    "canceled": "canceled",
    "aborted": "canceled",
}
# lpstat lists finished jobs without telling a completed one from a cancelled one, so the state itself comes from
# an IPP Get-Job-Attributes request (ipptool ships with CUPS on Linux and macOS).
_GET_JOB_STATE = """{
  NAME "job state"
  OPERATION Get-Job-Attributes
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri printer-uri $uri
  ATTR integer job-id $job_id
  ATTR name requesting-user-name $user
  ATTR keyword requested-attributes job-state
  STATUS successful-ok
  DISPLAY job-state
}
"""


class PrintSystemError(ChecklistError):
    """lp, lpstat or ipptool failed, timed out or answered something unexpected."""


@dataclass(frozen=True)
class CupsJob:
    """A job handed to CUPS: its queue and number ("ward-3" is queue "ward", number 3)."""

    queue: str
    number: int

    @property
    def job_id(self) -> str:
        return f"{self.queue}-{self.number}"


def available() -> bool:
    """Whether this platform prints through CUPS (Linux, macOS with the client tools installed)."""
    return sys.platform != "win32" and shutil.which("lp") is not None and shutil.which("lpstat") is not None


def is_queue(name: str) -> bool:
    """Whether `name` is a queue of the CUPS scheduler this computer talks to (CUPS_SERVER, or the default)."""
    if not name or not available():
        return False
    try:
        result = _run(["lpstat", "-p", name], timeout=ASK_TIMEOUT_S)
    except PrintSystemError:
        return False
    return result.returncode == 0 and bool(result.stdout.strip())


def submit(queue: str, pdf: bytes, *, copies: int, title: str) -> CupsJob:
    """Hand `pdf` to `queue` as one job of `copies` copies. The file goes through lp's standard input: never
    written to disk by the app (it is patient data)."""
    result = _run(
        ["lp", "-d", queue, "-n", str(max(1, copies)), "-t", title, "--"], input=pdf, timeout=SUBMIT_TIMEOUT_S
    )
    if result.returncode != 0:
        raise PrintSystemError(f"lp could not send the record to {queue}: {_first_line(result)}")
    found = _REQUEST_ID.search(result.stdout.decode("utf-8", "replace"))
    if found is None:
        raise PrintSystemError(f"lp sent the record to {queue} but gave no job id: {_first_line(result)}")
    return CupsJob(found["queue"], int(found["number"]))


def job_state(job: CupsJob) -> JobState:
    """What CUPS says of the job now. "unknown" when the scheduler no longer knows it (purged from its history)
    or no tool could tell; an error only when the scheduler could not be asked at all."""
    if shutil.which("ipptool") is not None:
        return _ipp_state(job)
    # Without ipptool, lpstat tells only whether the job is still waiting; a finished job stays "unknown" and the
    # coordinator is asked, rather than a cancelled job being called printed.
    result = _run(["lpstat", "-l", "-o", job.queue], timeout=ASK_TIMEOUT_S)
    if result.returncode != 0:
        raise PrintSystemError(f"lpstat could not read the queue {job.queue}: {_first_line(result)}")
    text = result.stdout.decode("utf-8", "replace")
    block = re.search(rf"^{re.escape(job.job_id)}\s.*?(?=^\S|\Z)", text, re.MULTILINE | re.DOTALL)
    if block is None:
        return "unknown"
    return "held" if "job-hold-until" in block.group(0) else "pending"


def _ipp_state(job: CupsJob) -> JobState:
    uri = f"ipp://{_server()}/printers/{job.queue}"
    with tempfile.NamedTemporaryFile("w", suffix=".test", prefix="checklist-job-") as test:
        test.write(_GET_JOB_STATE)  # the request only: no patient data
        test.flush()
        result = _run(
            ["ipptool", "-c", "-T", str(int(ASK_TIMEOUT_S)), "-d", f"job_id={job.number}", uri, test.name],
            timeout=ASK_TIMEOUT_S + 2,
        )
    lines = result.stdout.decode("utf-8", "replace").split()
    if result.returncode == 0 and len(lines) >= 2 and lines[0] == "job-state":
        return _IPP_STATES.get(lines[1].strip(), "unknown")
    if "does not exist" in _first_line(result) or "not-found" in _first_line(result):
        return "unknown"
    raise PrintSystemError(f"ipptool could not read job {job.job_id}: {_first_line(result)}")


def _server() -> str:
    """host:port of the scheduler lp talks to; a local socket path means the local scheduler on its port."""
    server = os.environ.get("CUPS_SERVER", "")
    if not server:
        result = _run(["lpstat", "-H"], timeout=ASK_TIMEOUT_S)
        server = result.stdout.decode("utf-8", "replace").strip()
    return "localhost" if not server or server.startswith("/") else server


def _run(argv: list[str], *, timeout: float, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(argv, input=input, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise PrintSystemError(
            f"{argv[0]} did not answer within {timeout:.0f} s; is the print system running?"
        ) from None
    except OSError as exc:
        raise PrintSystemError(f"{argv[0]} could not be started: {exc.strerror or exc}") from None


def _first_line(result: subprocess.CompletedProcess[bytes]) -> str:
    for stream in (result.stderr, result.stdout):
        for line in stream.decode("utf-8", "replace").splitlines():
            if line.strip():
                return line.strip()[:200]
    return f"exit status {result.returncode}"
