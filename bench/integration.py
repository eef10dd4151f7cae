"""Schedule feeds: HL7 messages applied per second vs a bare MLLP echo server, and an MWL pull of 200 steps vs a
bare pynetdicom C-FIND of the same steps, both in the same run on loopback (synthetic data only)."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from .harness import Report, Settings, info_result, progress, ratio_result, scratch_dir
from .pg import PgServer

DAY = date(2026, 11, 24)
ZONE = "America/New_York"


def _siu(i: int) -> bytes:
    text = "\r".join(
        [
            f"MSH|^~\\&|RIS|HOSP|CHECKLIST|SUITE|20261124080000||SIU^S12^SIU_S12|B{i:06d}|P|2.5||||||UNICODE UTF-8",
            "SCH|" + "|".join([f"BAPT{i}^RIS", f"FBAPT{i}^RIS", *([""] * 24), f"BACC{i}"]),
            f"PID|1||BENCH{i:07d}^^^HOSP^MR||Example^Jordan {i:05d}||19600115|M",
            "RGS|1",
            "AIS|1||62323^Lumbar interlaminar epidural L4-L5^CPT|20261124093000-0500",
        ]
    )
    return b"\x0b" + text.encode() + b"\x1c\r"


def _send_all(port: int, messages: list[bytes]) -> float:
    """One connection, each message answered before the next (as an interface engine sends); seconds."""
    start = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        for message in messages:
            sock.sendall(message)
            reply = b""
            while not reply.endswith(b"\x1c\r"):
                chunk = sock.recv(4096)
                if not chunk:
                    raise RuntimeError("the server closed the connection")
                reply += chunk
    return time.perf_counter() - start


@contextmanager
def _in_thread(serve: Callable[[Callable[[int], None]], None], stop: Callable[[], None]) -> Iterator[int]:
    ready = threading.Event()
    port: list[int] = []

    def on_ready(bound: int) -> None:
        port.append(bound)
        ready.set()

    thread = threading.Thread(target=serve, args=(on_ready,), daemon=True)
    thread.start()
    if not ready.wait(60):
        raise RuntimeError("the server did not start")
    try:
        yield port[0]
    finally:
        stop()
        thread.join(60)


def _echo_server() -> tuple[Callable[[Callable[[int], None]], None], Callable[[], None]]:
    """The baseline: the hl7 package's asyncio MLLP server answering every block with a fixed ACK."""
    from hl7.mllp import start_hl7_server

    ack = b"MSH|^~\\&|CHECKLIST|SUITE|RIS|HOSP|20261124080000||ACK^S12^ACK|1|P|2.5\rMSA|AA|1\r"
    state: dict[str, Any] = {}

    async def client(reader: Any, writer: Any) -> None:
        try:
            while True:
                await reader.readblock()
                writer.writeblock(ack)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def main(on_ready: Callable[[int], None]) -> None:
        state["loop"] = asyncio.get_running_loop()
        state["stop"] = asyncio.Event()
        server = await start_hl7_server(client, "127.0.0.1", 0)
        on_ready(server.sockets[0].getsockname()[1])
        await state["stop"].wait()
        server.close()

    def stop() -> None:
        state["loop"].call_soon_threadsafe(state["stop"].set)

    return lambda on_ready: asyncio.run(main(on_ready)), stop


def _hl7(settings: Settings, report: Report, url: str) -> None:
    from checklist_app.interop.mllp import Listener
    from checklist_app.services.app import AppServices
    from checklist_app.services.schedule import make_handler

    n = settings.rounds(1000, 200)
    messages = [_siu(i) for i in range(n)]
    svc = AppServices.open(url)
    try:
        svc.schedule.form()
        listener = Listener(make_handler(svc.schedule), "127.0.0.1", 0)

        def serve(on_ready: Callable[[int], None]) -> None:
            listener.run(on_ready=lambda _host, port: on_ready(port), install_signals=False)

        serve_echo, stop_echo = _echo_server()
        with _in_thread(serve_echo, stop_echo) as echo_port:
            _send_all(echo_port, messages[:20])  # warm-up
            base_s = _send_all(echo_port, messages)
        with _in_thread(serve, listener.stop) as port:
            app_s = _send_all(port, messages)
        if svc.store.records.count(None) != n:
            raise RuntimeError(f"{n} messages sent, {svc.store.records.count(None)} drafts: messages were lost")
    finally:
        svc.close()
    report.add(
        info_result(
            "integration.hl7_messages",
            n / app_s,
            "msg/s",
            baseline=n / base_s,
            higher_is_better=True,
            note=f"{n} SIU^S12 on one connection, each applied (one transaction) and ACKed; "
            "baseline: the hl7 package's MLLP server echoing a fixed ACK",
        )
    )


def _worklist(n: int) -> list[Any]:
    from pydicom.dataset import Dataset

    out = []
    for i in range(n):
        ds = Dataset()
        ds.SpecificCharacterSet = "ISO_IR 192"
        ds.PatientName = f"Example^Jordan {i:05d}"
        ds.PatientID = f"BENCH{i:07d}"
        ds.IssuerOfPatientID = "HOSP"
        ds.PatientBirthDate = "19600115"
        ds.PatientSex = "M"
        ds.AccessionNumber = f"MACC{i}"
        ds.RequestedProcedureID = "RP1"
        ds.RequestedProcedureDescription = "Lumbar interlaminar epidural L4-L5"
        code = Dataset()
        code.CodeValue, code.CodingSchemeDesignator, code.CodeMeaning = "62323", "CPT", "Epidural"
        ds.RequestedProcedureCodeSequence = [code]
        step = Dataset()
        step.ScheduledProcedureStepStartDate = DAY.strftime("%Y%m%d")
        step.ScheduledProcedureStepStartTime = f"{7 + i % 10:02d}{(i * 5) % 60:02d}00"
        step.Modality = "RF"
        step.ScheduledStationAETitle = "FLUORO"
        step.ScheduledProcedureStepID = f"S{i}"
        step.ScheduledProcedureStepStatus = "SCHEDULED"
        ds.ScheduledProcedureStepSequence = [step]
        out.append(ds)
    return out


@contextmanager
def _worklist_scp(datasets: list[Any]) -> Iterator[int]:
    """A pynetdicom worklist SCP answering every query with the same steps (the same peer for both sides)."""
    from pynetdicom import AE, evt
    from pynetdicom.sop_class import ModalityWorklistInformationFind  # type: ignore[attr-defined]

    def on_find(event: Any) -> Iterator[tuple[int, Any]]:
        for ds in datasets:
            yield 0xFF00, ds

    ae = AE(ae_title="FLUORO")
    ae.add_supported_context(ModalityWorklistInformationFind)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ae.start_server(("127.0.0.1", port), block=False, evt_handlers=[(evt.EVT_C_FIND, on_find)])
    try:
        yield port
    finally:
        server.shutdown()


def _mwl(settings: Settings, report: Report, url: str) -> None:
    from checklist_app.interop.mwl import query_worklist
    from checklist_app.services.app import AppServices

    steps = 200
    rounds = settings.rounds(7, 3)
    svc = AppServices.open(url)
    try:
        with _worklist_scp(_worklist(steps)) as port:

            def bare() -> None:
                assert len(query_worklist("127.0.0.1", port, day=DAY, called_aet="FLUORO")) == steps

            def pull() -> Any:
                return svc.schedule.pull("127.0.0.1", port, day=DAY, called_aet="FLUORO")

            bare()
            start = time.perf_counter()
            first = pull()
            first_s = time.perf_counter() - start
            if first.new != steps:
                raise RuntimeError(f"the first pull made {first.new} drafts of {steps}")
            app_s: list[float] = []
            base_s: list[float] = []
            for i in range(rounds):
                for fn, out in ((pull, app_s), (bare, base_s)) if i % 2 == 0 else ((bare, base_s), (pull, app_s)):
                    t0 = time.perf_counter()
                    fn()
                    out.append(time.perf_counter() - t0)
    finally:
        svc.close()
    report.add(
        info_result(
            "integration.mwl_pull_200_new",
            first_s * 1e3,
            "ms",
            note=f"{steps} steps: C-FIND + {steps} drafts created, one transaction each",
        )
    )
    report.add(
        ratio_result(
            "integration.mwl_pull_200_unchanged",
            app_s,
            base_s,
            unit="ms",
            note=f"{rounds} rounds of a pull that changes nothing vs the bare pynetdicom C-FIND",
        )
    )


def run(settings: Settings, report: Report, pg: PgServer | None) -> None:
    os.environ.setdefault("CHECKLIST_SITE_TZ", ZONE)
    scratch = scratch_dir("checklist-bench-integration-")
    try:
        progress("integration: HL7 listener vs a bare MLLP echo server")
        _hl7(settings, report, f"sqlite:///{Path(scratch) / 'hl7.db'}")
        progress("integration: MWL pull of 200 steps vs a bare C-FIND")
        _mwl(settings, report, f"sqlite:///{Path(scratch) / 'mwl.db'}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
