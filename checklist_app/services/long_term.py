"""Trusted time and revocation: the site's TSA settings, its CRL, revoking a user's signing key."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..domain import limits
from ..store import Store
from ..store.audit import Actions
from .errors import SigningRefused, SiteError
from .site import _read_secret

if TYPE_CHECKING:
    from ..export.timestamps import LongTermSettings

KEY_REVOKED = Actions.USER_KEY_REVOKED
CRL_ISSUED = Actions.SITE_CRL_ISSUED


def crl_status(store: Store) -> tuple[int, datetime, datetime] | None:
    """(number, issued at, next update) of the site's current CRL, or None before the first one is issued."""
    latest = store.crls.latest()
    return None if latest is None else (latest.number, latest.issued_at, latest.next_update)


def site_crls(store: Store) -> list[bytes]:
    """The site authority's current CRL (a list, empty before the first one is issued)."""
    latest = store.crls.latest()
    return [] if latest is None else [latest.crl_der]


def long_term_settings(store: Store) -> LongTermSettings | None:
    """The settings a signature uses, or None when the site has no TSA (CHECKLIST_TSA_URL unset)."""
    from ..export.timestamps import settings_from_environment

    return settings_from_environment(tuple(site_crls(store)))


def tsa_roots() -> list[bytes]:
    from ..export.timestamps import tsa_roots_from_environment

    return list(tsa_roots_from_environment())


def refuse_if_revoked(store: Store, username: str, cert_pem: str) -> None:
    """A key the site revoked signs nothing more; the refusal is logged against the user."""
    from ..export.crl import revoked_at

    latest = store.crls.latest()
    when = revoked_at(latest.crl_der if latest else None, cert_pem.encode())
    if when is not None:
        reason = (
            f"Your signing key was revoked on {when:%Y-%m-%d %H:%M} UTC; ask an administrator to reset your "
            "password to get a new one."
        )
        store.audit.append(username, Actions.RECORD_SIGN_REFUSED, None, {"reason": reason})
        raise SigningRefused(reason)


def issue_crl(
    store: Store,
    actor: str,
    *,
    add_serial: int | None = None,
    detail: dict[str, object] | None = None,
    action: str = CRL_ISSUED,
) -> int:
    """Sign and store a new CRL: the current entries (plus `add_serial`, revoked now). Needs the site secret."""
    from ..export.crl import CRL_VALID_DAYS, Revocation, revocations
    from ..export.crl import issue_crl as sign_crl
    from ..export.pki import SiteAuthority
    from ..store.record_out import SiteCrl

    row = store.users.get_site_authority()
    if row is None:
        raise SiteError("There is no site signing authority yet (checklist-app site init).")
    latest = store.crls.latest()
    entries = revocations(latest.crl_der) if latest else []
    now = store.db.now()
    if add_serial is not None and all(e.serial_number != add_serial for e in entries):
        entries.append(Revocation(add_serial, now))
    number = store.crls.next_number()
    der = sign_crl(
        SiteAuthority(cert_pem=row.cert_pem.encode(), key_pem=row.key_pem),
        _read_secret(create=False),
        entries,
        number=number,
        now=now,
    )
    store.crls.add(
        SiteCrl(
            number=number, crl_der=der, issued_at=now, next_update=now + timedelta(days=CRL_VALID_DAYS), issued_by=actor
        ),
        audit_action=action,
        audit_detail={"crl_number": number, "revoked": len(entries), **(detail or {})},
    )
    return number


def revoke_key(store: Store, actor: str, username: str, reason: str) -> int:
    """Revoke the user's current signing certificate (e.g. a shared password, a lost workstation)."""
    from cryptography import x509

    user = store.users.get(username)
    if user.cert_pem is None:
        raise SiteError(f"{username} has no signing key to revoke.")
    if not reason.strip():
        raise SiteError("A revocation needs a reason.")
    if len(reason) > limits.NOTE_CHARS:
        raise limits.LimitError(f"the revocation reason is longer than {limits.NOTE_CHARS} characters")
    serial = x509.load_pem_x509_certificate(user.cert_pem.encode()).serial_number
    return issue_crl(
        store,
        actor,
        add_serial=serial,
        action=KEY_REVOKED,
        detail={"username": username, "serial": f"{serial:X}", "reason": reason.strip()},
    )
