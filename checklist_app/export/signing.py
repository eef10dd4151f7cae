"""Signing a record PDF with a user's identity (PAdES, incremental) and reserving signature fields."""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.serialization import Encoding

from checklist_app.export.errors import SigningError
from checklist_app.export.pki import UnlockedIdentity, certificate_summary, open_identity
from checklist_app.export.pyhanko_quiet import plain_error, quiet_loggers
from checklist_app.export.signing_stamp import STAMP_TEXT, stamp_style
from checklist_app.export.timestamps import LongTermSettings, signer_options

if TYPE_CHECKING:  # pyHanko costs ~250 ms to import; the app only pays when it signs.
    from cryptography.hazmat.primitives.asymmetric import rsa


def sign_pdf(
    pdf: bytes,
    p12: bytes,
    password: str,
    *,
    field_name: str,
    meaning: str,
    signer_name: str,
    location: str = "",
    contact: str = "",
    stamp_box: tuple[float, float, float, float] | None = None,
    page: int = -1,
    certify: bool = False,
    long_term: LongTermSettings | None = None,
    unlocked: UnlockedIdentity | None = None,
) -> bytes:
    """Sign `pdf` as an incremental update and return the new file.

    Signs the empty signature field `field_name` if the layout made one (its own rectangle then decides
    where the stamp goes and `stamp_box`/`page` are ignored); otherwise creates the field on `page`,
    visible in `stamp_box` (PDF points: x1, y1, x2, y2) or invisible when it is None.  The previous
    bytes are kept as they are, so earlier signatures stay valid.  `certify` makes an author
    signature that still permits later signatures (co-signing) and nothing else.  With `long_term`, the
    signature gets an RFC 3161 timestamp and the file the validation data for PAdES B-LT (B-LTA optionally).
    `unlocked` (from `open_identity(p12, password)`) skips unlocking the PKCS#12 again.
    """
    # `unlocked`: the identity a batch opened once with this password (services, sign_batch); else it is
    # opened here, and a wrong password fails before any PDF work.
    identity = unlocked if unlocked is not None else open_identity(p12, password)
    now = dt.datetime.now(dt.UTC)
    cert = identity.certificate
    if now < cert.not_valid_before_utc:
        raise SigningError("Your signing certificate is not valid yet; check this computer's clock.")
    if now > cert.not_valid_after_utc:
        raise SigningError(
            f"Your signing certificate expired on {cert.not_valid_after_utc:%Y-%m-%d}; "
            "ask an administrator to renew it."
        )
    if not field_name or "." in field_name:
        raise SigningError("A signature field name is required and may not contain a dot.")
    meaning = meaning.strip()
    if not meaning:
        raise SigningError("A signature needs a meaning, such as “Prepared by”.")
    signer_name = signer_name.strip() or certificate_summary(cert.public_bytes(Encoding.PEM)).common_name

    from pyhanko.keys.internal import (
        translate_pyca_cryptography_cert_to_asn1,
        translate_pyca_cryptography_key_to_asn1,
    )
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError as PyHankoSigningError
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    site_roots = [translate_pyca_cryptography_cert_to_asn1(c) for c in identity.chain]
    timestamper, long_term_meta = signer_options(long_term, site_roots) if long_term else (None, {})
    signer = _unlocked_key_signer(identity.key)(
        signing_cert=translate_pyca_cryptography_cert_to_asn1(cert),
        signing_key=translate_pyca_cryptography_key_to_asn1(identity.key),
        # The authority's certificate goes into the signature so any reader can build the chain.
        cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [translate_pyca_cryptography_cert_to_asn1(c) for c in identity.chain]
        ),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        # PAdES (ETSI.CAdES.detached): the signed attributes bind the signer's certificate (ESS
        # signing-certificate-v2), so it cannot be swapped for another with the same key; pdfsig,
        # Adobe and pyHanko all accept it.
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=meaning,
        name=signer_name,
        location=location or None,
        contact_info=contact or None,
        certify=certify,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,  # a certified record may still be co-signed
        **long_term_meta,
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        existing = list(fields.enumerate_sig_fields(writer, with_name=field_name))
        if existing and existing[0][1] is not None:
            raise SigningError(f"The signature field “{field_name}” is already signed.")
        # pyHanko types the box as ints but writes it as reals, so fractional points are fine.
        new_field = fields.SigFieldSpec(field_name, on_page=page, box=stamp_box)  # type: ignore[arg-type]
        pdf_signer = signers.PdfSigner(
            meta,
            signer,
            stamp_style=stamp_style(STAMP_TEXT + meaning + signer_name),
            new_field_spec=None if existing else new_field,
            timestamper=timestamper,
        )
        with quiet_loggers():
            out = pdf_signer.sign_pdf(
                writer,
                existing_fields_only=bool(existing),
                appearance_text_params={"meaning": meaning},
            )
    except (PdfError, PyHankoSigningError, ValueError, KeyError, IndexError) as exc:
        if long_term is not None and _is_timestamp_failure(exc):
            raise SigningError(_TSA_DOWN.format(url=long_term.tsa_url)) from None
        raise SigningError(f"The document could not be signed: {plain_error(exc)}.") from None
    except Exception as exc:
        if long_term is not None and _is_timestamp_failure(exc):
            raise SigningError(_TSA_DOWN.format(url=long_term.tsa_url)) from None
        raise
    data: bytes = out.getvalue()
    return data


_TSA_DOWN = (
    "The time-stamp authority at {url} did not give a timestamp, so the record was not signed; "
    "try again, or ask the administrator to check the time-stamp service."
)


def _is_timestamp_failure(exc: BaseException) -> bool:
    """Whether signing failed because the TSA could not be reached or answered badly."""
    from pyhanko.sign.timestamps import TimestampRequestError

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, TimestampRequestError | OSError | TimeoutError) or type(seen).__module__.startswith(
            "aiohttp"
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _unlocked_key_signer(key: rsa.RSAPrivateKey) -> Any:
    """A pyHanko SimpleSigner class that signs with `key` as open_identity already unlocked and checked it.

    SimpleSigner re-parses its key from DER for every raw signature, which re-runs the RSA key check
    (~35 ms for RSA-2048), and pyHanko signs twice per PDF (a dry run sizes the signature container):
    a third of a signature's CPU time (bench/RESULTS.md).
    """
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign import signers
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class UnlockedKeySigner(signers.SimpleSigner):
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            try:
                mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            except ValueError:
                mechanism = None
            if mechanism != "rsassa_pkcs1v15":  # anything else: pyHanko's own general path
                return bytes(super().sign_raw(data, digest_algorithm))
            return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))

    return UnlockedKeySigner


def add_signature_field(pdf: bytes, field_name: str, *, page: int, box: tuple[float, float, float, float]) -> bytes:
    """Reserve an empty, visible signature field (e.g. the reviewer's) before the first signature,
    so a later co-signature fills it in place instead of adding a field after signing."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    with quiet_loggers():
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        append_signature_field(
            writer,
            SigFieldSpec(
                sig_field_name=field_name,
                on_page=page,
                box=(round(box[0]), round(box[1]), round(box[2]), round(box[3])),
            ),
        )
        out = io.BytesIO()
        writer.write(out)  # type: ignore[no-untyped-call]
    return out.getvalue()
