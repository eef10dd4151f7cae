"""Audit checkpoints: the chain head written to a file and signed by the site authority (an anchor outside the
database, so a rewritten, trimmed or re-hashed chain is caught by `audit verify --anchors`)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from checklist_app.export.errors import VerificationError
from checklist_app.export.pki import SiteAuthority, open_authority

FORMAT = "checklist-app audit checkpoint 1"
MAX_CHECKPOINT_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The audit chain head at one moment, as the site authority signed it."""

    seq: int
    hash: str
    at: datetime
    by: str


def _payload(point: Checkpoint) -> bytes:
    body = {"format": FORMAT, "seq": point.seq, "hash": point.hash, "at": point.at.isoformat(), "by": point.by}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sign_checkpoint(point: Checkpoint, authority: SiteAuthority, secret: bytes) -> bytes:
    """The checkpoint file: the payload, the authority's signature over it (RSA PKCS#1 v1.5, SHA-256), its cert."""
    _cert, key = open_authority(authority, secret)
    payload = _payload(point)
    signature = key.sign(payload, padding.PKCS1v15(), hashes.SHA256())
    document = {
        "checkpoint": json.loads(payload),
        "signature": base64.b64encode(signature).decode("ascii"),
        "certificate": authority.cert_pem.decode("ascii"),
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def read_checkpoint(data: bytes, trust_roots_pem: list[bytes]) -> Checkpoint:
    """The checkpoint in `data` if the site authority (one of the trust roots) signed it; else VerificationError."""
    if len(data) > MAX_CHECKPOINT_BYTES:
        raise VerificationError("is larger than any checkpoint file")
    try:
        document = json.loads(data.decode("utf-8"))
        body = document["checkpoint"]
        signature = base64.b64decode(document["signature"], validate=True)
        point = Checkpoint(
            seq=int(body["seq"]), hash=str(body["hash"]), at=datetime.fromisoformat(body["at"]), by=str(body["by"])
        )
        if body.get("format") != FORMAT:
            raise ValueError(body.get("format"))
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        raise VerificationError("is not a checkpoint file") from None
    for pem in trust_roots_pem:
        try:
            key = x509.load_pem_x509_certificate(pem).public_key()
        except ValueError:
            continue
        if not isinstance(key, rsa.RSAPublicKey):
            continue
        try:
            key.verify(signature, _payload(point), padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            continue
        return point
    raise VerificationError("is not signed by this site's signing authority (forged or altered)")
