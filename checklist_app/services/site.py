"""The site signing authority: created once, its key kept encrypted with a secret file on the admin's machine."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from ..store import Store
from ..store.connection import private_folder
from .errors import SiteError

if TYPE_CHECKING:
    from ..export.pki import SiteAuthority

DEFAULT_SITE_NAME = "Checklist site signing authority"


def secret_path() -> Path:
    """CHECKLIST_SITE_SECRET_FILE, else a file in the user's data folder."""
    configured = os.environ.get("CHECKLIST_SITE_SECRET_FILE")
    if configured:
        return Path(configured)
    return Path(platformdirs.user_data_dir("checklist-app")) / "site-authority.secret"


def _read_secret(create: bool) -> bytes:
    path = secret_path()
    if path.is_file():
        return path.read_bytes().strip()
    if not create:
        raise SiteError(
            f"The site signing secret {path} is missing on this computer, so no signing key can be issued here. "
            "Copy it from the workstation where `checklist-app site init` was run, or set CHECKLIST_SITE_SECRET_FILE."
        )
    private_folder(path.parent)
    secret = secrets.token_urlsafe(48).encode()
    # Written once, readable by this account only: it unlocks the authority that vouches for every signer.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(secret)
        handle.flush()
        os.fsync(handle.fileno())
    return secret


def init_site(store: Store, actor: str, name: str = DEFAULT_SITE_NAME) -> str:
    """Create the authority once; returns its certificate PEM. Refused when it exists."""
    from ..export.pki import new_site_authority

    if store.users.get_site_authority() is not None:
        raise SiteError("The site signing authority already exists; it is created only once.")
    secret = _read_secret(create=True)
    authority = new_site_authority(name, secret)
    store.users.create_site_authority(name, authority.cert_pem.decode(), authority.key_pem, actor=actor)
    return authority.cert_pem.decode()


def new_identity(
    store: Store, username: str, full_name: str, password: str, actor: str, *, key_note: str | None = None
) -> tuple[bytes, str]:
    """A signing key that only the password unlocks (PKCS#12) and its certificate PEM, not yet stored; creates
    the authority on first use. SiteError when this computer lacks the site secret."""
    from ..export.pki import SiteAuthority, certificate_summary, identity_certificate, issue_user_identity

    row = store.users.get_site_authority()
    if row is None:
        init_site(store, actor)
        row = store.users.get_site_authority()
        assert row is not None
    authority = SiteAuthority(cert_pem=row.cert_pem.encode(), key_pem=row.key_pem)
    p12 = issue_user_identity(
        authority,
        _read_secret(create=False),
        username=username,
        full_name=full_name,
        password=password,
        key_note=key_note,
    )
    cert_pem = identity_certificate(p12, password)
    certificate_summary(cert_pem)  # fails loudly now rather than at the first signature
    return p12, cert_pem.decode()


def authority_with_secret(store: Store) -> tuple[SiteAuthority, bytes]:
    """The site authority and the secret that opens its key (this computer must hold it); SiteError otherwise."""
    from ..export.pki import SiteAuthority

    row = store.users.get_site_authority()
    if row is None:
        raise SiteError("There is no site signing authority yet: run `checklist-app site init` first.")
    return SiteAuthority(cert_pem=row.cert_pem.encode(), key_pem=row.key_pem), _read_secret(create=False)


def trust_roots(store: Store) -> list[bytes]:
    row = store.users.get_site_authority()
    return [] if row is None else [row.cert_pem.encode()]
