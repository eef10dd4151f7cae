"""The site authority's certificate revocation list (RFC 5280 CRL): issue one, read which serials it revokes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from checklist_app.export.errors import SigningError
from checklist_app.export.pki import SiteAuthority, _open_authority

# How long a CRL counts as current. Revocations are rare at one site and every signature embeds the newest CRL,
# so a long validity is safe; an administrator re-issues it (`site crl`) before then, and at every revocation.
CRL_VALID_DAYS = 365


@dataclass(frozen=True, slots=True)
class Revocation:
    serial_number: int
    revoked_at: dt.datetime


def issue_crl(
    authority: SiteAuthority,
    secret: bytes,
    revoked: list[Revocation],
    *,
    number: int,
    now: dt.datetime,
    valid_days: int = CRL_VALID_DAYS,
) -> bytes:
    """A DER CRL signed by the site authority listing `revoked`; `number` must grow with every issue."""
    ca_cert, ca_key = _open_authority(authority, secret)
    now = now.astimezone(dt.UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(now)
        .next_update(now + dt.timedelta(days=valid_days))
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
    )
    for entry in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(entry.serial_number)
            .revocation_date(entry.revoked_at.astimezone(dt.UTC))
            .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
            .build()
        )
    return builder.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def revocations(crl_der: bytes) -> list[Revocation]:
    """Every certificate the CRL revokes, with when."""
    try:
        crl = x509.load_der_x509_crl(crl_der)
    except ValueError:
        raise SigningError("The site's revocation list is damaged.") from None
    return [Revocation(r.serial_number, r.revocation_date_utc) for r in crl]


def revoked_at(crl_der: bytes | None, cert_pem: bytes) -> dt.datetime | None:
    """When the certificate was revoked according to this CRL, or None."""
    if crl_der is None:
        return None
    serial = x509.load_pem_x509_certificate(cert_pem).serial_number
    return next((r.revoked_at for r in revocations(crl_der) if r.serial_number == serial), None)
