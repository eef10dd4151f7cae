"""The MLLP listener: the `hl7` package's asyncio server, one message at a time into a handler, its ACK back.

The handler (a service: parse, apply in one transaction, audit) is blocking database work; it runs on one
worker thread, so messages are applied in the order they arrived, whichever connection they came on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from hl7.mllp import InvalidBlockError, start_hl7_server

log = logging.getLogger("checklist_app.hl7")

MAX_MESSAGE_BYTES = 1_000_000  # a scheduling message is a few kB; this bounds a client that never ends one
DRAIN_S = 10.0  # on stop, how long a message being applied may take to finish and be answered


class Listener:
    """`run()` serves until `stop()` (or SIGTERM/SIGINT when installed): the message in hand is applied and
    answered, then connections close."""

    def __init__(self, handler: Callable[[bytes], bytes], host: str = "127.0.0.1", port: int = 2575) -> None:
        self._handler = handler
        self._host, self._port = host, port
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hl7-apply")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._busy = 0  # messages being applied or answered
        self._idle: asyncio.Event | None = None
        self.bound_port: int | None = None

    def run(self, *, on_ready: Callable[[str, int], None] | None = None, install_signals: bool = True) -> None:
        asyncio.run(self._serve(on_ready, install_signals))

    def stop(self) -> None:
        """Thread-safe: ask the running listener to finish."""
        if self._loop is not None and self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)

    async def _serve(self, on_ready: Callable[[str, int], None] | None, install_signals: bool) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        if install_signals:
            for sig in (signal.SIGTERM, signal.SIGINT):
                self._loop.add_signal_handler(sig, self._stopping.set)
        server = await start_hl7_server(self._client, self._host, self._port, limit=MAX_MESSAGE_BYTES)
        sock = server.sockets[0].getsockname()
        self.bound_port = int(sock[1])
        if on_ready is not None:
            on_ready(str(sock[0]), self.bound_port)
        try:
            await self._stopping.wait()
        finally:
            server.close()
            # Let each message being applied finish and be answered; idle connections are just closed.
            try:
                await asyncio.wait_for(self._idle.wait(), DRAIN_S)
            except TimeoutError:
                log.warning("stopping with a message still being applied (its sender will resend it)")
            for task in list(self._connections):
                task.cancel()
            if self._connections:
                await asyncio.wait(set(self._connections), timeout=DRAIN_S)
            await server.wait_closed()
            self._executor.shutdown(wait=True)

    def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.ensure_future(self._converse(reader, writer))
        self._connections.add(task)
        task.add_done_callback(self._connections.discard)

    async def _converse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        assert self._loop is not None and self._stopping is not None and self._idle is not None
        try:
            while not self._stopping.is_set():
                try:
                    block = await reader.readblock()  # type: ignore[attr-defined]
                except asyncio.IncompleteReadError:
                    return  # the client closed (between messages, or cut one short)
                except InvalidBlockError:
                    log.warning("closing %s: data outside an MLLP block", peer)
                    return
                except ValueError:
                    log.warning("closing %s: a message longer than %d bytes", peer, MAX_MESSAGE_BYTES)
                    return
                # Shielded: a stop while the message is applied still lets it commit and be answered.
                self._busy += 1
                self._idle.clear()
                try:
                    reply = await asyncio.shield(self._loop.run_in_executor(self._executor, self._handler, block))
                    writer.writeblock(reply)  # type: ignore[attr-defined]
                    await writer.drain()
                finally:
                    self._busy -= 1
                    if not self._busy:
                        self._idle.set()
        except (ConnectionError, asyncio.CancelledError):
            return
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await writer.wait_closed()
