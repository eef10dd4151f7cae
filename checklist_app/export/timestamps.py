"""Trusted time and long-term validation: RFC 3161 signature timestamps, PAdES B-LT validation data, B-LTA.

With CHECKLIST_TSA_URL set, every signature asks that time-stamp authority for a token over its signature value
(PAdES B-T), and the file gets a DSS with the certificates and CRLs needed to check it offline (B-LT); with
CHECKLIST_DOCUMENT_TIMESTAMP=1 a document timestamp closes each signing (B-LTA). The verifier then judges a
signature at the time its token proves, with the validation data the file carries plus the site's current CRL.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from checklist_app.export.errors import SigningError, VerificationError

if TYPE_CHECKING:
    from pyhanko.sign.validation import EmbeddedPdfSignature

TSA_URL_ENV = "CHECKLIST_TSA_URL"
TSA_ROOTS_ENV = "CHECKLIST_TSA_CA_FILE"  # PEM file: the certificate(s) the site trusts for its TSA
DOCUMENT_TIMESTAMP_ENV = "CHECKLIST_DOCUMENT_TIMESTAMP"
TSA_TIMEOUT_S = 10

NO_TIMESTAMP = "time from the workstation clock; no timestamp backs it"


@dataclass(frozen=True, slots=True)
class LongTermSettings:
    """Where trusted time comes from and what a signature must carry to be checked in ten years."""

    tsa_url: str
    tsa_roots_pem: tuple[bytes, ...] = ()
    site_crls_der: tuple[bytes, ...] = ()
    document_timestamp: bool = False
    timeout_s: float = TSA_TIMEOUT_S


@dataclass(frozen=True, slots=True)
class TrustedTime:
    """What the verifier knows about one signature's time."""

    at: dt.datetime | None  # the timestamp's time, else the signer's claim
    source: str  # "timestamp" | "workstation clock"
    tsa_name: str | None = None
    problems: list[str] = field(default_factory=list)


def tsa_url() -> str | None:
    return (os.environ.get(TSA_URL_ENV) or "").strip() or None


def tsa_roots_from_environment() -> tuple[bytes, ...]:
    """The TSA trust anchors the site configured (a PEM bundle), empty when none."""
    path = (os.environ.get(TSA_ROOTS_ENV) or "").strip()
    if not path:
        return ()
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SigningError(f"{TSA_ROOTS_ENV}={path}: cannot read the TSA certificate file ({exc.strerror}).") from None
    try:
        certs = x509.load_pem_x509_certificates(data)
    except ValueError:
        raise SigningError(f"{TSA_ROOTS_ENV}={path}: not a PEM certificate file.") from None
    return tuple(c.public_bytes(Encoding.PEM) for c in certs)


def settings_from_environment(site_crls_der: tuple[bytes, ...] = ()) -> LongTermSettings | None:
    """The site's long-term settings, or None without a TSA (signing then works as it always did)."""
    url = tsa_url()
    if url is None:
        return None
    return LongTermSettings(
        tsa_url=url,
        tsa_roots_pem=tsa_roots_from_environment(),
        site_crls_der=site_crls_der,
        document_timestamp=(os.environ.get(DOCUMENT_TIMESTAMP_ENV) or "").strip().lower() in ("1", "true", "yes"),
    )


# --- signing ------------------------------------------------------------------------------------------------------


def signer_options(settings: LongTermSettings, site_roots: list[Any]) -> tuple[Any, dict[str, Any]]:
    """(pyHanko timestamper, PdfSignatureMetadata keyword arguments) for a B-LT (or B-LTA) signature."""
    from pyhanko.sign.timestamps import HTTPTimeStamper
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(
        trust_roots=[*site_roots, *asn1_certs(settings.tsa_roots_pem)],
        crls=list(settings.site_crls_der),
        # The TSA's own revocation data is published where its certificate says; the site CRL is given above.
        allow_fetching=True,
        revocation_mode="soft-fail",
    )
    timestamper = HTTPTimeStamper(settings.tsa_url, timeout=int(settings.timeout_s))
    return timestamper, {
        "embed_validation_info": True,
        "validation_context": context,
        "use_pades_lta": settings.document_timestamp,
    }


def asn1_certs(pems: tuple[bytes, ...] | list[bytes]) -> list[Any]:
    from asn1crypto import x509 as asn1_x509

    out = []
    for pem in pems:
        try:
            der = x509.load_pem_x509_certificate(pem).public_bytes(Encoding.DER)
        except ValueError:
            raise VerificationError("A trusted time-stamp authority certificate is damaged.") from None
        out.append(asn1_x509.Certificate.load(der))
    return out


# --- verifying ----------------------------------------------------------------------------------------------------


def signature_timestamp_time(sig: EmbeddedPdfSignature) -> dt.datetime | None:
    """The genTime of the signature's RFC 3161 token (unsigned attribute), None without one."""
    from pyhanko.sign.validation.generic_cms import extract_tst_data_iter

    try:
        token = next(extract_tst_data_iter(sig.signer_info, signed=False), None)
    except Exception:  # a malformed attribute is "no usable timestamp"; the validation says the rest
        return None
    if token is None:
        return None
    return _gen_time(token)


def document_timestamp_time(sig: EmbeddedPdfSignature) -> dt.datetime | None:
    try:
        return _gen_time(sig.signed_data)
    except Exception:
        return None


def _gen_time(signed_data: Any) -> dt.datetime:
    when: dt.datetime = signed_data["encap_content_info"]["content"].parsed["gen_time"].native
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def validation_contexts(
    reader: Any,
    *,
    site_roots: list[Any],
    tsa_roots: list[Any],
    site_crls_der: list[bytes],
    signer_moment: dt.datetime,
    timestamp_moment: dt.datetime,
    timestamped: bool,
) -> tuple[Any, Any]:
    """(signer context, timestamp context), offline, preloaded with the file's DSS and the site's current CRL.

    A timestamped signature is checked with hard-fail revocation once the site has a CRL (B-LT carries it, and
    the site's current one tells of later revocations): a key revoked before the token's time fails, one
    revoked after it still holds. The TSA's chain is checked soft-fail with what the file carries. Each
    token is judged at its own time with the validation data embedded beside it, as Adobe Reader does for LTV
    files, so an expired user or TSA certificate, or a CRL long past its next update, does not undo a proof.
    """
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    from pyhanko_certvalidator import ValidationContext

    try:
        dss: DocumentSecurityStore | None = DocumentSecurityStore.read_dss(reader)
    except Exception:  # no DSS: a plain (B-B) file
        dss = None

    def context(roots: list[Any], moment: dt.datetime, policy: Any) -> Any:
        kwargs: dict[str, Any] = {
            "trust_roots": roots,
            "moment": moment,
            "allow_fetching": False,
            "revinfo_policy": policy,
            "crls": list(site_crls_der),
        }
        return dss.as_validation_context(kwargs) if dss is not None else ValidationContext(**kwargs)

    signer_policy = site_crl_policy() if timestamped and site_crls_der else _legacy_policy("soft-fail")
    signer = context(site_roots, signer_moment, signer_policy)
    stamp = context([*tsa_roots, *site_roots], timestamp_moment, _legacy_policy("soft-fail"))
    return signer, stamp


def site_crl_policy() -> Any:
    """The signer's certificate must be checked against a CRL of the site authority.

    User certificates name no distribution point (the site publishes none), and pyHanko's legacy modes only check
    CRLs a certificate declares, so the rule is stated explicitly: a CRL is required for the end-entity, and the
    authority itself is the trust anchor.
    """
    from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, RevocationCheckingPolicy, RevocationCheckingRule

    return CertRevTrustPolicy(
        RevocationCheckingPolicy(
            ee_certificate_rule=RevocationCheckingRule.CRL_REQUIRED,
            intermediate_ca_cert_rule=RevocationCheckingRule.NO_CHECK,
        )
    )


def _legacy_policy(mode: str) -> Any:
    from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, RevocationCheckingPolicy

    return CertRevTrustPolicy(RevocationCheckingPolicy.from_legacy(mode))
