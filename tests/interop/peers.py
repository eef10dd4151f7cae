"""Real peers for the schedule tests: dcmtk's wlmscpfs, the hl7 package's mllp_send, node-hl7-client, and the
app's own `hl7 listen` process. Each is started by the test on 127.0.0.1 and missing ones fail under CI."""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.pgserver import in_ci

HERE = Path(__file__).parent
NODE_DIR = HERE / "node"
VENV_BIN = Path(sys.executable).parent
SITE_TZ = "America/New_York"
TIMEOUT_S = 60.0


def require(tool: str, hint: str) -> str:
    """The tool's path; a missing one fails under CI (CI=true) and skips elsewhere, saying how to install it."""
    found = shutil.which(tool) or (str(VENV_BIN / tool) if (VENV_BIN / tool).is_file() else None)
    if found is None:
        message = f"{tool} is not installed ({hint}); scripts/setup --test installs it"
        if in_ci():
            pytest.fail(message + "; schedule tests are never skipped when CI=true", pytrace=False)
        pytest.skip(message)
    return found


def require_node_client() -> str:
    node = require("node", "Debian package nodejs")
    if not (NODE_DIR / "node_modules" / "node-hl7-client").is_dir():
        message = f"node-hl7-client is not installed in {NODE_DIR} (npm ci there); scripts/setup --test does it"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return node


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout_s: float = 20.0) -> None:
    """Until something accepts connections on the port (bounded; fails when the process died)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the server exited with {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            select.select([], [], [], 0.05)  # a short pause between connection attempts, not a fixed wait
    raise AssertionError(f"nothing listens on 127.0.0.1:{port} after {timeout_s} s")


def wait_for_line(path: Path, text: str, proc: subprocess.Popen[bytes], timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if path.exists() and text in path.read_text(errors="replace"):
            return
        if proc.poll() is not None:
            raise AssertionError(f"the process exited with {proc.returncode} before writing {text!r}")
        select.select([], [], [], 0.05)
    raise AssertionError(f"{text!r} did not appear in {path} within {timeout_s} s")


# -- HL7 ----------------------------------------------------------------------------------------------------------


def msh(trigger: str, control: str, *, version: str = "2.5", charset: str = "UNICODE UTF-8") -> str:
    kind = "SIU" if trigger.startswith("S") else "ADT"
    structure = {"SIU": "SIU_S12", "ADT": "ADT_A01"}[kind]
    return (
        f"MSH|^~\\&|RIS|HOSP|CHECKLIST|SUITE|20261124080000||{kind}^{trigger}^{structure}|{control}|P|{version}"
        f"||||||{charset}"
    )


def pid(
    mrn: str = "MRN1001",
    family: str = "Doe",
    given: str = "Jane",
    birth: str = "19610402",
    sex: str = "F",
    issuer: str = "HOSP",
) -> str:
    ident = f"{mrn}^^^{issuer}^MR" if mrn else ""
    return f"PID|1||{ident}||{family}^{given}||{birth}|{sex}"


def siu(
    trigger: str,
    control: str,
    *,
    appt: str = "APT1",
    accession: str = "ACC1",
    code: str = "62323",
    scheme: str = "CPT",
    text: str = "Lumbar interlaminar epidural L4-L5",
    start: str = "20261124093000-0500",
    patient: str | None = None,
) -> str:
    sch = "SCH|" + "|".join([f"{appt}^RIS", f"F{appt}^RIS", *([""] * 24), accession])
    return "\r".join([msh(trigger, control), sch, patient or pid(), "RGS|1", f"AIS|1||{code}^{text}^{scheme}|{start}"])


def adt(trigger: str, control: str, **patient: str) -> str:
    return "\r".join([msh(trigger, control), f"EVN|{trigger}|20261124080000", pid(**patient)])


def frame(message: str) -> bytes:
    return b"\x0b" + message.encode("utf-8") + b"\x1c\r"


@dataclass(frozen=True)
class Ack:
    code: str  # MSA-1
    control_id: str  # MSA-2
    err: str | None  # the ERR segment, if any
    text: str

    @classmethod
    def parse(cls, raw: str) -> Ack:
        segments = [s for s in raw.strip("\x0b\x1c\r\n").split("\r") if s]
        msa = next(s for s in segments if s.startswith("MSA|")).split("|")
        err = next((s for s in segments if s.startswith("ERR|")), None)
        return cls(msa[1], msa[2] if len(msa) > 2 else "", err, raw)


def mllp_send(port: int, messages: Sequence[str], tmp: Path) -> list[Ack]:
    """Send with the hl7 package's own command-line client, one connection, one ACK per message."""
    tool = require("mllp_send", "Python package hl7")
    path = tmp / f"batch-{time.monotonic_ns()}.hl7"
    path.write_bytes(b"".join(frame(m) for m in messages))
    out = subprocess.run(
        [tool, "-p", str(port), "-f", str(path), "127.0.0.1"], capture_output=True, timeout=TIMEOUT_S * 4, check=True
    )
    acks = [Ack.parse(block) for block in out.stdout.decode("utf-8").split("\x0b") if "MSA|" in block]
    return acks


def node_send(
    port: int, messages: Sequence[str], tmp: Path, *, background: bool = False
) -> subprocess.Popen[bytes] | list[Ack]:
    """Send with node-hl7-client (tests/interop/node/send.mjs); its ACKs as parsed lines."""
    node = require_node_client()
    path = tmp / f"node-{time.monotonic_ns()}.json"
    path.write_text(json.dumps(list(messages)), encoding="utf-8")
    proc = subprocess.Popen(
        [node, "send.mjs", "127.0.0.1", str(port), str(path)],
        cwd=NODE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    if background:
        return proc
    return node_acks(proc)


def node_acks(proc: subprocess.Popen[bytes]) -> list[Ack]:
    out, err = proc.communicate(timeout=TIMEOUT_S * 2)
    assert proc.returncode == 0, err.decode(errors="replace")
    acks = []
    for line in out.decode("utf-8").splitlines():
        data = json.loads(line)
        acks.append(Ack(data["msa1"], data["msa2"], data["err"], line))
    return acks


@dataclass
class RunningListener:
    port: int
    db_url: str
    proc: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> tuple[int, str]:
        """SIGTERM, then the exit code and what it wrote (bounded)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
            raise AssertionError("the listener did not stop within a minute of SIGTERM") from None
        return self.proc.returncode, self.log.read_text(errors="replace")


@contextmanager
def hl7_listener(db_url: str, tmp: Path) -> Iterator[RunningListener]:
    """`checklist-app hl7 listen --port 0` as its own process (as a ward runs it), stopped with SIGTERM."""
    log = tmp / f"listener-{time.monotonic_ns()}.log"
    env = {**os.environ, "CHECKLIST_SITE_TZ": SITE_TZ, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "checklist_app", "--db", db_url, "hl7", "listen", "--port", "0"],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
        )
    running = RunningListener(0, db_url, proc, log)
    try:
        wait_for_line(log, "listening for HL7 on", proc, timeout_s=TIMEOUT_S)
        line = next(x for x in log.read_text().splitlines() if "listening for HL7 on" in x)
        running.port = int(line.split("127.0.0.1:", 1)[1].split()[0])
        yield running
    finally:
        if proc.poll() is None:
            running.stop()


# -- DICOM Modality Worklist -----------------------------------------------------------------------------------


@dataclass
class WorklistServer:
    """dcmtk's wlmscpfs serving the .wl files of `folder/AET` (read anew at every query)."""

    port: int
    aet: str
    folder: Path
    proc: subprocess.Popen[bytes]
    log: Path

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def write_step(
        self,
        name: str,
        *,
        accession: str = "ACC1001",
        mrn: str = "MRN1001",
        patient_name: str = "Doe^Jane",
        birth: str = "19610402",
        sex: str = "F",
        code: str = "62323",
        scheme: str = "CPT",
        description: str = "Lumbar interlaminar epidural L4-L5",
        day: str = "20261124",
        start: str = "093000",
        step_id: str = "SPS1001",
        status: str = "SCHEDULED",
        charset: str = "ISO_IR 192",
        issuer: str = "HOSP",
    ) -> Path:
        """A worklist file made by dcmtk's dump2dcm from a text dump written here."""
        dump2dcm = require("dump2dcm", "Debian package dcmtk")
        dump = self.folder / f"{name}.dump"
        lines = [
            *([f"(0008,0005) CS [{charset}]"] if charset else []),
            f"(0008,0050) SH [{accession}]",
            f"(0010,0010) PN [{patient_name}]",
            f"(0010,0020) LO [{mrn}]",
            f"(0010,0021) LO [{issuer}]",
            f"(0010,0030) DA [{birth}]",
            f"(0010,0040) CS [{sex}]",
            f"(0020,000d) UI [1.2.826.0.1.3680043.8.498.{zlib.crc32(name.encode())}]",
            f"(0032,1060) LO [{description}]",
            "(0032,1064) SQ (Sequence with undefined length #=1)",
            "  (fffe,e000) na (Item with undefined length #=3)",
            f"    (0008,0100) SH [{code}]",
            f"    (0008,0102) SH [{scheme}]",
            "    (0008,0104) LO [Epidural injection]",
            "  (fffe,e00d) na (ItemDelimitationItem)",
            "(fffe,e0dd) na (SequenceDelimitationItem)",
            "(0040,0100) SQ (Sequence with undefined length #=1)",
            "  (fffe,e000) na (Item with undefined length #=8)",
            "    (0008,0060) CS [RF]",
            f"    (0040,0001) AE [{self.aet}]",
            f"    (0040,0002) DA [{day}]",
            f"    (0040,0003) TM [{start}]",
            "    (0040,0006) PN [Pain^Doctor]",
            "    (0040,0007) LO [Epidural]",
            f"    (0040,0009) SH [{step_id}]",
            f"    (0040,0020) CS [{status}]",
            "  (fffe,e00d) na (ItemDelimitationItem)",
            "(fffe,e0dd) na (SequenceDelimitationItem)",
            "(0040,1001) SH [RP1]",
        ]
        dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
        target = self.folder / f"{name}.wl"
        subprocess.run([dump2dcm, str(dump), str(target)], check=True, capture_output=True, timeout=30)
        return target

    def remove_step(self, name: str) -> None:
        (self.folder / f"{name}.wl").unlink()


@contextmanager
def worklist_server(tmp: Path, *, aet: str = "FLUORO", extra: Sequence[str] = ()) -> Iterator[WorklistServer]:
    """wlmscpfs -csk (so it returns the files' Specific Character Set) on a free loopback port."""
    wlmscpfs = require("wlmscpfs", "Debian package dcmtk")
    root = tmp / f"worklists-{time.monotonic_ns()}"
    folder = root / aet
    folder.mkdir(parents=True)
    (folder / "lockfile").touch()
    port = free_port()
    log = root / "wlmscpfs.log"
    stdbuf = shutil.which("stdbuf")  # line-buffered log, so a test can wait on what the server said
    argv = [wlmscpfs, "-s", "-v", "-csk", "-dfp", str(root), *extra, str(port)]
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [stdbuf, "-oL", "-eL", *argv] if stdbuf else argv, stdout=sink, stderr=subprocess.STDOUT
        )
    try:
        wait_for_port(port, proc)
        yield WorklistServer(port, aet, folder, proc, log)
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
