"""Tests of the site signing authority and the users' PKCS#12 identities."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from checklist_app.domain.errors import ChecklistError
from checklist_app.export import pki
from checklist_app.export.errors import SigningError, WrongPasswordError

SECRET = b"site secret for tests"
ZOE = "Zoë Łukasiewicz-Ødegård"
SOFIA = "Σοφία Παπαδοπούλου"


@pytest.fixture(scope="module")
def authority() -> pki.SiteAuthority:
    return pki.new_site_authority("Riverside Spine Centre", SECRET)


@pytest.fixture(scope="module")
def zoe_p12(authority: pki.SiteAuthority) -> bytes:
    return pki.issue_user_identity(authority, SECRET, username="zlo", full_name=ZOE, password="correct horse")


def _cert(pem: bytes) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem)


def test_authority_is_a_self_signed_ca_valid_twenty_years(authority: pki.SiteAuthority) -> None:
    """The authority can sign certificates and nothing else, and outlives every user identity."""
    cert = _cert(authority.cert_pem)
    cert.verify_directly_issued_by(cert)
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign and usage.crl_sign and not usage.digital_signature
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert dt.timedelta(days=365 * 20) <= lifetime <= dt.timedelta(days=365 * 20 + 6)


def test_authority_key_is_encrypted_with_the_secret(authority: pki.SiteAuthority) -> None:
    """The stored key is useless without the site secret."""
    assert authority.key_pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    with pytest.raises(TypeError):  # cryptography refuses to open it without a password
        serialization.load_pem_private_key(authority.key_pem, password=None)
    key = serialization.load_pem_private_key(authority.key_pem, password=SECRET)
    assert key.public_key() == _cert(authority.cert_pem).public_key()


def test_wrong_secret_is_a_wrong_password_error(authority: pki.SiteAuthority) -> None:
    """An admin who mistypes the site secret is told so, in words."""
    with pytest.raises(WrongPasswordError, match="site secret"):
        pki.issue_user_identity(authority, b"not it", username="x", full_name="X", password="pw")


def test_empty_secret_or_password_is_refused(authority: pki.SiteAuthority) -> None:
    """An identity without a password could sign without one: refuse to make it."""
    with pytest.raises(SigningError):
        pki.new_site_authority("Site", b"")
    with pytest.raises(SigningError, match="password"):
        pki.issue_user_identity(authority, SECRET, username="x", full_name="X", password="")


@pytest.mark.parametrize("full_name", [ZOE, SOFIA])
def test_identity_certificate_names_the_user_in_full_unicode(authority: pki.SiteAuthority, full_name: str) -> None:
    """CN carries the full name exactly, UID the username; the authority issued it."""
    p12 = pki.issue_user_identity(authority, SECRET, username="user1", full_name=full_name, password="pw")
    cert = _cert(pki.identity_certificate(p12, "pw"))
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == full_name
    assert cert.subject.get_attributes_for_oid(NameOID.USER_ID)[0].value == "user1"
    cert.verify_directly_issued_by(_cert(authority.cert_pem))


def test_identity_certificate_is_a_signing_leaf(authority: pki.SiteAuthority, zoe_p12: bytes) -> None:
    """Non-repudiation and document-signing usages, not a CA, key identifiers chained to the CA."""
    cert = _cert(pki.identity_certificate(zoe_p12, "correct horse"))
    ca = _cert(authority.cert_pem)
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.EMAIL_PROTECTION in eku and pki.DOCUMENT_SIGNING_EKU in eku
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    ca_ski = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert aki.key_identifier == ca_ski.digest
    cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert dt.timedelta(days=365 * 5) <= lifetime <= dt.timedelta(days=365 * 5 + 2)
    assert cert.not_valid_after_utc <= ca.not_valid_after_utc


def test_wrong_identity_password_is_a_wrong_password_error(zoe_p12: bytes) -> None:
    """A wrong password is told apart from a damaged file."""
    with pytest.raises(WrongPasswordError, match="password is not correct"):
        pki.open_identity(zoe_p12, "Correct horse")
    with pytest.raises(SigningError) as damaged:
        pki.open_identity(b"\x30\x03junk", "correct horse")
    assert not isinstance(damaged.value, WrongPasswordError)
    assert isinstance(damaged.value, ChecklistError)


def test_password_is_compared_after_unicode_normalisation(authority: pki.SiteAuthority) -> None:
    """A password typed composed on one keyboard and decomposed on another opens the same identity."""
    composed = unicodedata.normalize("NFC", "Zoë-pw")
    decomposed = unicodedata.normalize("NFD", "Zoë-pw")
    assert composed != decomposed
    p12 = pki.issue_user_identity(authority, SECRET, username="z", full_name="Z", password=composed)
    assert pki.open_identity(p12, decomposed).certificate is not None


def test_rewrap_changes_the_password_and_keeps_the_key(zoe_p12: bytes) -> None:
    """After a password change the old password fails and the key and certificate are unchanged."""
    rewrapped = pki.rewrap_identity(zoe_p12, "correct horse", "battery staple")
    with pytest.raises(WrongPasswordError):
        pki.open_identity(rewrapped, "correct horse")
    before = pki.open_identity(zoe_p12, "correct horse")
    after = pki.open_identity(rewrapped, "battery staple")
    assert after.key.private_numbers() == before.key.private_numbers()
    assert after.certificate == before.certificate
    assert after.chain == before.chain
    with pytest.raises(WrongPasswordError):
        pki.rewrap_identity(zoe_p12, "wrong", "new")


def test_certificate_summary(authority: pki.SiteAuthority, zoe_p12: bytes) -> None:
    """Subject, username, issuer, serial and end date read back from a PEM certificate."""
    pem = pki.identity_certificate(zoe_p12, "correct horse")
    summary = pki.certificate_summary(pem)
    cert = _cert(pem)
    assert summary.common_name == ZOE
    assert summary.username == "zlo"
    assert summary.organization == "Riverside Spine Centre"
    assert summary.issuer_common_name == "Riverside Spine Centre signing authority"
    assert int(summary.serial_number, 16) == cert.serial_number
    assert summary.not_after == cert.not_valid_after_utc and summary.not_after.tzinfo is not None
    assert summary.is_authority is False
    assert pki.certificate_summary(authority.cert_pem).is_authority is True
    with pytest.raises(SigningError):
        pki.certificate_summary(b"not a certificate")


def test_full_name_longer_than_a_certificate_allows_is_refused(authority: pki.SiteAuthority) -> None:
    """Rather than truncate a signer's name silently, ask for a shorter form."""
    with pytest.raises(SigningError, match="64"):
        pki.issue_user_identity(authority, SECRET, username="long", full_name="N" * 65, password="pw")


def test_identity_files_use_a_strong_password_kdf() -> None:
    """The PKCS#12 kept in the database must not be cheaper to guess than the argon2id password hash."""
    from asn1crypto import pkcs12 as asn1_pkcs12
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12

    from checklist_app.export.pki import KDF_ROUNDS, _identity_encryption

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    data = pkcs12.serialize_key_and_certificates(b"u", key, None, None, _identity_encryption(b"pw"))
    rounds = []
    for info in asn1_pkcs12.Pfx.load(data).authenticated_safe:
        if info["content_type"].native != "data":
            continue
        for bag in asn1_pkcs12.SafeContents.load(info["content"].native):
            if bag["bag_id"].native == "pkcs8_shrouded_key_bag":
                rounds.append(bag["bag_value"]["encryption_algorithm"].kdf_iterations)
    assert KDF_ROUNDS >= 600_000 and rounds == [KDF_ROUNDS]
