"""Sending signed records to the EHR as HL7 MDM over MLLP, through a durable outbox (nothing lost to a down link)."""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..domain.errors import ChecklistError
from ..store import Store
from ..store.audit import Actions
from ..store.record_out import OutboxMessage
from .errors import SigningRefused

if TYPE_CHECKING:
    from ..export.hl7_out import Ack

AUTOSEND_ENV = "CHECKLIST_HL7_AUTOSEND"  # HOST:PORT: send every signature (T02) and co-signature (T10) there
SENT = Actions.RECORD_SENT_TO_EHR
REFUSED = Actions.RECORD_REFUSED_BY_EHR
TIMEOUT_S = 10.0
NO_ANSWER = "no answer in time"  # a Delivery's detail when the receiver took the message and never answered
_MAX_ACK = 1 << 20


class DestinationError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Delivery:
    """What happened to one message on this attempt."""

    message: OutboxMessage
    state: str  # sent | refused | pending
    ack_code: str | None
    detail: str

    def line(self) -> str:
        where = self.message.destination
        if self.state == "sent":
            return f"{self.message.kind} for record {self.message.record_id} accepted by {where} (AA)"
        if self.state == "refused":
            return (
                f"{self.message.kind} for record {self.message.record_id} refused by {where} "
                f"({self.ack_code}): {self.detail or 'no reason given'}"
            )
        return (
            f"{self.message.kind} for record {self.message.record_id} not delivered to {where}: {self.detail}; "
            "it stays queued (checklist-app hl7 flush)"
        )


def parse_destination(text: str) -> tuple[str, int]:
    host, sep, port = text.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise DestinationError(f"{text!r} is not HOST:PORT")
    return host.strip("[]"), int(port)


class Hl7OutService:
    def __init__(self, store: Store, refuse_if_tampered: Callable[[str, str, str], None] | None = None) -> None:
        self._store = store
        # The documents service's check: a record that fails it is never queued for the EHR (actor, id, format).
        self._refuse_if_tampered = refuse_if_tampered

    # -- queue ----------------------------------------------------------------------------------------------------

    def enqueue(self, record_id: str, destination: str, *, replacement: bool | None = None) -> OutboxMessage:
        """Queue the record's signed PDF as MDM^T02, or MDM^T10 when it replaces what this destination has."""
        from ..export.hl7_out import REPLACEMENT, OutgoingDocument, mdm_message

        parse_destination(destination)
        row = self._store.records.get(record_id)
        stored = self._store.records.latest_pdf(record_id)
        if stored is None or not row.signatures:
            raise SigningRefused("Only a signed checklist can be sent to the EHR.")
        if self._refuse_if_tampered is not None:
            self._refuse_if_tampered(row.signatures[-1].username, record_id, "hl7")
        earlier = [
            m for m in self._store.outbox.for_record(record_id) if m.destination == destination and m.state != "refused"
        ]
        if replacement is None:
            replacement = bool(earlier)
        last = row.signatures[-1]
        revision = len(row.signatures)
        parent = (
            f"{record_id}-{revision - 1}"
            if replacement and revision > 1
            else (f"{row.supersedes_id}-1" if row.supersedes_id else None)
        )
        doc = OutgoingDocument(
            record_id=record_id, record=row.record, pdf=stored.pdf, status=str(row.status), signed_at=last.signed_at,
            signed_by=last.username, signer_name=last.full_name, document_number=f"{record_id}-{revision}",
            parent_document_number=parent, accession_number=_accession(row.record),
        )  # fmt: skip
        control_id = uuid.uuid4().hex[:20].upper()
        text = mdm_message(doc, control_id=control_id, replacement=replacement, now=self._store.db.now())
        kind = "MDM^T10" if REPLACEMENT in text.split("\r", 1)[0] else "MDM^T02"
        return self._store.outbox.add(record_id, kind, destination, control_id, text.encode("utf-8"))

    # -- delivery -------------------------------------------------------------------------------------------------

    def deliver(
        self, message: OutboxMessage, *, retries: int = 2, backoff_s: float = 1.0, timeout_s: float = TIMEOUT_S
    ) -> Delivery:
        """Send one queued message, waiting for its ACK; retry a down link `retries` times, never an AE/AR."""
        from ..export.hl7_out import Hl7Error

        detail = ""
        for attempt in range(retries + 1):
            try:
                ack = _exchange(message, timeout_s)
            except (OSError, Hl7Error) as exc:
                detail = _plain(exc)
                message = self._store.outbox.mark(message.id, "pending", detail)
                if attempt < retries:
                    time.sleep(backoff_s * (2**attempt))  # the interface engine restarts; give it a moment
                continue
            if ack.accepted:
                message = self._store.outbox.mark(message.id, "sent")
                self._store.audit.append(
                    "hl7",
                    SENT,
                    message.record_id,
                    {
                        "kind": message.kind,
                        "destination": message.destination,
                        "control_id": message.control_id,
                        "ack": ack.code,
                    },
                )
                return Delivery(message, "sent", ack.code, "")
            message = self._store.outbox.mark(message.id, "refused", f"{ack.code}: {ack.text}")
            self._store.audit.append(
                "hl7",
                REFUSED,
                message.record_id,
                {
                    "kind": message.kind,
                    "destination": message.destination,
                    "control_id": message.control_id,
                    "ack": ack.code,
                    "reason": ack.text,
                },
            )
            return Delivery(message, "refused", ack.code, ack.text)
        return Delivery(message, "pending", None, detail)

    def send(
        self,
        record_id: str,
        destination: str,
        *,
        retries: int = 2,
        backoff_s: float = 1.0,
        timeout_s: float = TIMEOUT_S,
    ) -> Delivery:
        """Queue and send now (`hl7 send`)."""
        return self.deliver(
            self.enqueue(record_id, destination), retries=retries, backoff_s=backoff_s, timeout_s=timeout_s
        )

    def flush(self, *, retries: int = 0, backoff_s: float = 1.0) -> list[Delivery]:
        """Try every queued message once more, oldest first."""
        return [self.deliver(m, retries=retries, backoff_s=backoff_s) for m in self._store.outbox.pending()]

    def history(self, record_id: str) -> list[OutboxMessage]:
        """What was sent where for one record (the records view shows it)."""
        return self._store.outbox.for_record(record_id)

    def after_signing(self, record_id: str, co_signed: bool) -> Delivery | None:
        """The site option: send each signature (T02) and co-signature (T10) at once; a failure stays queued."""
        destination = (os.environ.get(AUTOSEND_ENV) or "").strip()
        if not destination:
            return None
        # The record is signed already: nothing here may make the signing look failed.
        try:
            message = self.enqueue(record_id, destination, replacement=co_signed or None)
        except (DestinationError, ChecklistError) as exc:
            self._store.audit.append("hl7", Actions.RECORD_SEND_FAILED, record_id, {"reason": str(exc)})
            return None
        # Signing must not wait on the interface: one quick attempt, then the queue keeps it.
        try:
            return self.deliver(message, retries=0, timeout_s=5.0)
        except ChecklistError as exc:  # e.g. the database went away after the signature was stored
            self._store.audit.append("hl7", Actions.RECORD_SEND_FAILED, record_id, {"reason": str(exc)})
            return None


def _exchange(message: OutboxMessage, timeout_s: float) -> Ack:
    from ..export.hl7_out import END_BLOCK, START_BLOCK, Hl7Error, parse_ack

    host, port = parse_destination(message.destination)
    with socket.create_connection((host, port), timeout=timeout_s) as conn:
        conn.sendall(START_BLOCK + message.message + END_BLOCK)
        data = b""
        deadline = time.monotonic() + timeout_s
        while END_BLOCK not in data:
            conn.settimeout(max(0.1, deadline - time.monotonic()))
            chunk = conn.recv(65536)
            if not chunk:
                raise Hl7Error("the receiver closed the connection without an answer")
            data += chunk
            if len(data) > _MAX_ACK:
                raise Hl7Error("the receiver's answer is too long to be an ACK")
    ack = parse_ack(
        data[data.index(START_BLOCK) : data.index(END_BLOCK) + len(END_BLOCK)] if START_BLOCK in data else data
    )
    if ack.control_id != message.control_id:
        raise Hl7Error(f"the ACK answers message {ack.control_id}, not {message.control_id}")
    return ack


def _accession(record: object) -> str | None:
    """The schedule's accession number, where the draft came from the worklist (issue 13 adds it)."""
    for owner in (record, getattr(record, "procedure", None)):
        value = getattr(owner, "accession_number", None)
        if isinstance(value, str) and value:
            return value
    return None


def _plain(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (is the interface engine running?)"
    if isinstance(exc, TimeoutError | socket.timeout):
        return NO_ANSWER
    return " ".join(str(exc).split()) or type(exc).__name__
