"""The site signing authority (a small private CA) and the users' password-protected signing identities.

Key type: RSA with PKCS#1 v1.5 SHA-256 signatures everywhere.  RSA is what every PDF reader
(Adobe, poppler's pdfsig/NSS, pyHanko, PDF.js) has verified for twenty years, so a record signed
today still verifies on whatever machine opens it in a decade; EC P-256 would be smaller and faster
but buys nothing here and older validators are patchier.  The authority gets RSA-3072 because it
lives 20 years and NIST SP 800-57 retires 2048-bit RSA after 2030; user keys live 5 years and stay
RSA-2048, which keeps key generation fast at the admin's desk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from checklist_app.export.errors import SigningError, WrongPasswordError

AUTHORITY_KEY_BITS = 3072
USER_KEY_BITS = 2048
AUTHORITY_VALID_YEARS = 20

# id-kp-documentSigning (RFC 9336).  Listed beside emailProtection, which NSS (pdfsig) and Adobe
# have long accepted for document signers; validators that know neither ignore both.
DOCUMENT_SIGNING_EKU = ObjectIdentifier("1.3.6.1.5.5.7.3.36")

# "This key was issued after a password reset, with a second person" (X.667 UUID arc: needs no registration).
# Non-critical: other validators ignore it; `verify` and the review screen print its text beside the signer.
KEY_RESET_NOTE_OID = ObjectIdentifier("2.25.225109758743915482918789584162952757512")

# Workstation clocks drift; a certificate issued on one machine must already be valid on another.
_CLOCK_SKEW = dt.timedelta(minutes=10)
# X.520 upper bound for commonName; cryptography refuses longer values.
_MAX_COMMON_NAME = 64


@dataclass(frozen=True, slots=True)
class SiteAuthority:
    """The site's CA: its certificate (the trust root of every record) and its encrypted key."""

    cert_pem: bytes
    key_pem: bytes  # PKCS#8, encrypted with the site secret


@dataclass(frozen=True, slots=True)
class CertificateSummary:
    """What a person needs to recognise a certificate."""

    common_name: str
    username: str | None
    organization: str | None
    issuer_common_name: str
    serial_number: str  # hex, as certificate viewers print it
    not_before: dt.datetime
    not_after: dt.datetime
    sha256_fingerprint: str
    is_authority: bool
    key_note: str | None = None  # e.g. "key issued after a password reset …" (KEY_RESET_NOTE_OID)


@dataclass(frozen=True, slots=True)
class UnlockedIdentity:
    """A user's private key and certificate, opened with the password; lives only while signing."""

    key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]  # issuer certificates, for embedding in the signature


def new_site_authority(site_name: str, secret: bytes, *, now: dt.datetime | None = None) -> SiteAuthority:
    """Create the site's self-signed signing authority; its key is encrypted with `secret`."""
    site_name = _required_text(site_name, "site name")
    _require_secret(secret)
    now = _utc(now)
    key = rsa.generate_private_key(public_exponent=65537, key_size=AUTHORITY_KEY_BITS)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, _fit_common_name(f"{site_name} signing authority")),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, site_name),
        ]
    )
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _CLOCK_SKEW)
        .not_valid_after(_add_years(now, AUTHORITY_VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, hashes.SHA256())
    )
    return SiteAuthority(
        cert_pem=cert.public_bytes(serialization.Encoding.PEM),
        key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(secret),
        ),
    )


def issue_user_identity(
    authority: SiteAuthority,
    secret: bytes,
    *,
    username: str,
    full_name: str,
    password: str,
    valid_years: int = 5,
    now: dt.datetime | None = None,
    key_note: str | None = None,
) -> bytes:
    """Make a key pair and a certificate for one user, returned as PKCS#12 locked with their password.
    `key_note`: how the key came to be (a re-issue after a reset), carried in the certificate for every verifier."""
    username = _required_text(username, "username")
    full_name = _required_text(full_name, "full name")
    if len(full_name) > _MAX_COMMON_NAME:
        raise SigningError(
            f"The full name is {len(full_name)} characters long; a certificate holds at most "
            f"{_MAX_COMMON_NAME}. Use a shorter form of the name."
        )
    if not 1 <= valid_years <= AUTHORITY_VALID_YEARS:
        raise SigningError(f"A signing identity must be valid for 1 to {AUTHORITY_VALID_YEARS} years.")
    password_bytes = _password_bytes(password)
    ca_cert, ca_key = _open_authority(authority, secret)
    now = _utc(now)
    if now >= ca_cert.not_valid_after_utc:
        raise SigningError("The site signing authority has expired; create a new one before adding users.")

    key = rsa.generate_private_key(public_exponent=65537, key_size=USER_KEY_BITS)
    attributes = [
        x509.NameAttribute(NameOID.COMMON_NAME, full_name),
        x509.NameAttribute(NameOID.USER_ID, username),
    ]
    site = ca_cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    if site:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, str(site[0].value)))
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _CLOCK_SKEW)
        # A leaf outliving its issuer fails path validation, so clamp to the authority's end.
        .not_valid_after(min(_add_years(now, valid_years), ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation: pyHanko requires it for signers by default
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING_EKU]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
    )
    if key_note:
        cert = cert.add_extension(x509.UnrecognizedExtension(KEY_RESET_NOTE_OID, _der_utf8(key_note)), critical=False)
    signed = cert.sign(ca_key, hashes.SHA256())
    return _serialize_identity(username, key, signed, (ca_cert,), password_bytes)


def _der_utf8(text: str) -> bytes:
    data = text.encode("utf-8")[:1000]
    length = len(data)
    head = bytes([length]) if length < 0x80 else bytes([0x82, length >> 8, length & 0xFF])
    return b"\x0c" + head + data


def _key_note(cert: x509.Certificate) -> str | None:
    try:
        value = cert.extensions.get_extension_for_oid(KEY_RESET_NOTE_OID).value
    except x509.ExtensionNotFound:
        return None
    raw = value.value if isinstance(value, x509.UnrecognizedExtension) else b""
    if len(raw) < 2 or raw[0] != 0x0C:
        return "key issued after a password reset"
    start = 2 if raw[1] < 0x80 else 2 + (raw[1] & 0x7F)
    return raw[start:].decode("utf-8", "replace") or "key issued after a password reset"


def rewrap_identity(p12: bytes, old_password: str, new_password: str) -> bytes:
    """Re-lock an identity under a new password, keeping the same key and certificate."""
    new_password_bytes = _password_bytes(new_password)
    identity = open_identity(p12, old_password)
    username = _username_of(identity.certificate) or ""
    return _serialize_identity(username, identity.key, identity.certificate, identity.chain, new_password_bytes)


def open_identity(p12: bytes, password: str) -> UnlockedIdentity:
    """Unlock a PKCS#12 identity; a wrong password raises WrongPasswordError."""
    try:
        loaded = pkcs12.load_pkcs12(p12, _password_bytes(password))
    except ValueError:
        if _looks_like_pkcs12(p12):
            raise WrongPasswordError("The password is not correct for this signing identity.") from None
        raise SigningError("The signing identity is damaged or is not a PKCS#12 file.") from None
    if loaded.key is None or loaded.cert is None:
        raise SigningError("The signing identity holds no key or no certificate.")
    if not isinstance(loaded.key, rsa.RSAPrivateKey):
        raise SigningError("The signing identity holds a key of an unsupported type.")
    return UnlockedIdentity(
        key=loaded.key,
        certificate=loaded.cert.certificate,
        chain=tuple(c.certificate for c in loaded.additional_certs),
    )


def identity_certificate(p12: bytes, password: str) -> bytes:
    """The PEM certificate inside an identity (the PKCS#12 encrypts it too, hence the password)."""
    return open_identity(p12, password).certificate.public_bytes(serialization.Encoding.PEM)


def certificate_summary(cert_pem: bytes) -> CertificateSummary:
    """Subject, issuer, serial, validity and fingerprint of one PEM certificate."""
    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
    except ValueError:
        raise SigningError("The certificate is damaged or is not a PEM certificate.") from None
    try:
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    return CertificateSummary(
        common_name=_first(cert.subject, NameOID.COMMON_NAME) or cert.subject.rfc4514_string(),
        username=_username_of(cert),
        organization=_first(cert.subject, NameOID.ORGANIZATION_NAME),
        issuer_common_name=_first(cert.issuer, NameOID.COMMON_NAME) or cert.issuer.rfc4514_string(),
        serial_number=f"{cert.serial_number:X}",
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        sha256_fingerprint=hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest().upper(),
        is_authority=is_ca,
        key_note=_key_note(cert),
    )


def open_authority(authority: SiteAuthority, secret: bytes) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """The authority's certificate and key, opened with the site secret (for signing audit checkpoints)."""
    return _open_authority(authority, secret)


def _open_authority(authority: SiteAuthority, secret: bytes) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    _require_secret(secret)
    try:
        cert = x509.load_pem_x509_certificate(authority.cert_pem)
    except ValueError:
        raise SigningError("The site signing authority's certificate is damaged.") from None
    try:
        key = serialization.load_pem_private_key(authority.key_pem, password=secret)
    except (ValueError, TypeError):
        if b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in authority.key_pem:
            raise WrongPasswordError("The site secret does not open the site signing authority's key.") from None
        raise SigningError("The site signing authority's key is damaged or not encrypted.") from None
    if not isinstance(key, rsa.RSAPrivateKey) or key.public_key() != cert.public_key():
        raise SigningError("The site signing authority's key does not belong to its certificate.")
    return cert, key


def _serialize_identity(
    username: str,
    key: rsa.RSAPrivateKey,
    cert: x509.Certificate,
    chain: tuple[x509.Certificate, ...],
    password: bytes,
) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        name=username.encode("utf-8") or None,
        key=key,
        cert=cert,
        cas=list(chain),
        encryption_algorithm=_identity_encryption(password),
    )


# PBKDF2-HMAC-SHA256 rounds for the PKCS#12 files kept in the database (OWASP 2023: 600,000). The library
# default is far lower, which made a stolen database's signing keys the cheapest place to guess a password
# (the password hashes are argon2id). Opening a key costs ~0.1 s, once per signature.
KDF_ROUNDS = 600_000


def _identity_encryption(password: bytes) -> serialization.KeySerializationEncryption:
    return (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(KDF_ROUNDS)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(password)
    )


def _looks_like_pkcs12(data: bytes) -> bool:
    """Whether `data` parses as a PFX structure, to tell a wrong password from a damaged file."""
    from asn1crypto import pkcs12 as asn1_pkcs12  # only on the failure path

    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return pfx["version"].native is not None and pfx["auth_safe"]["content_type"].native == "data"
    except Exception:  # asn1crypto raises a zoo of types for garbage; any of them means "not a PFX"
        return False


def _password_bytes(password: str) -> bytes:
    if not isinstance(password, str) or not password:
        raise SigningError("A password is required.")
    # The same password typed on macOS (decomposed) and Windows (composed) must open the same key.
    return unicodedata.normalize("NFC", password).encode("utf-8")


def _require_secret(secret: bytes) -> None:
    if not isinstance(secret, bytes) or not secret:
        raise SigningError("The site secret is empty.")


def _required_text(value: str, what: str) -> str:
    value = unicodedata.normalize("NFC", value or "").strip()
    if not value:
        raise SigningError(f"The {what} is empty.")
    return value


def _fit_common_name(value: str) -> str:
    return value if len(value) <= _MAX_COMMON_NAME else value[: _MAX_COMMON_NAME - 1] + "…"


def _first(name: x509.Name, oid: ObjectIdentifier) -> str | None:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else None


def _username_of(cert: x509.Certificate) -> str | None:
    return _first(cert.subject, NameOID.USER_ID)


def _utc(now: dt.datetime | None) -> dt.datetime:
    if now is None:
        return dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        raise SigningError("Internal error: a time without a time zone was given.")
    return now.astimezone(dt.UTC)


def _add_years(when: dt.datetime, years: int) -> dt.datetime:
    try:
        return when.replace(year=when.year + years)
    except ValueError:  # 29 February in a year that has none
        return when.replace(year=when.year + years, day=28)
