"""A real MLLP receiver for the HL7 tests: the `hl7` package's asyncio server, run as its own process.

`python -m tests.helpers.mllp_server --port P --ack AA|AE|silent --out DIR` stores every message it receives as
DIR/<MSH-10>.hl7 (so a message delivered twice shows as a count), answers with the ACK code asked for (AE with
an ERR segment naming the reason; `silent`: takes the message and never answers, as a hung interface engine),
and prints "listening" once it accepts connections.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import selectors
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

START_TIMEOUT_S = 30
AE_REASON = "Document type not accepted by this interface"


def _serve(port: int, ack: str, out: Path) -> None:
    import hl7
    from hl7.mllp import start_hl7_server

    async def on_client(reader: hl7.mllp.HL7StreamReader, writer: hl7.mllp.HL7StreamWriter) -> None:
        try:
            while not writer.is_closing():
                message = await reader.readmessage()
                control = str(message.segment("MSH")[10])
                with open(out / f"{control}.hl7", "a", encoding="utf-8", newline="") as handle:
                    handle.write(str(message) + "\n\x1c\n")
                if ack == "silent":
                    await writer.wait_closed()  # holds the connection open, answering nothing
                    return
                reply = str(message.create_ack(ack))
                if ack != "AA":
                    lines = [
                        f"{line}|{AE_REASON}" if line.startswith("MSA") else line for line in reply.split("\r") if line
                    ]
                    reply = "\r".join([*lines, f"ERR||||E|||{AE_REASON}"])
                writer.writemessage(hl7.parse(reply))
                await writer.drain()
        except asyncio.IncompleteReadError:
            pass
        finally:
            writer.close()

    async def main() -> None:
        async with await start_hl7_server(on_client, "127.0.0.1", port, encoding="utf-8", limit=64 << 20):
            print("listening", flush=True)
            await asyncio.Event().wait()

    asyncio.run(main())


def _read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:  # HL7 separates segments with a bare CR: keep it
        return handle.read()


@dataclass
class MllpReceiver:
    """The receiver process, started and stopped by a test."""

    port: int
    ack: str
    out: Path
    process: subprocess.Popen[bytes] | None = None
    _drain: threading.Thread | None = field(default=None, repr=False)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def received(self) -> dict[str, int]:
        """Control id -> how many times that message arrived."""
        return {p.stem: _read(p).count("\n\x1c\n") for p in self.out.glob("*.hl7")}

    def messages(self) -> list[str]:
        return [m for p in sorted(self.out.glob("*.hl7")) for m in _read(p).split("\n\x1c\n") if m]

    def start(self) -> None:
        root = Path(__file__).resolve().parents[2]
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.helpers.mllp_server",
                "--port",
                str(self.port),
                "--ack",
                self.ack,
                "--out",
                str(self.out),
            ],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(root)},
        )
        assert self.process.stdout is not None
        seen = b""
        deadline = time.monotonic() + START_TIMEOUT_S
        with selectors.DefaultSelector() as sel:
            sel.register(self.process.stdout, selectors.EVENT_READ)
            while b"listening" not in seen:
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    self.stop()
                    pytest.fail(f"the test MLLP server did not start: {seen.decode(errors='replace')[-500:]}")
                if sel.select(timeout=left):
                    seen += os.read(self.process.stdout.fileno(), 4096)
        stream = self.process.stdout
        self._drain = threading.Thread(target=lambda: all(iter(lambda: stream.read(4096), b"")), daemon=True)
        self._drain.start()

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
            self.process.wait(timeout=30)
            if self._drain is not None:
                self._drain.join(timeout=30)
                self._drain = None
            if self.process.stdout is not None:
                self.process.stdout.close()
        self.process = None


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ack", default="AA")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    _serve(args.port, args.ack, args.out)
