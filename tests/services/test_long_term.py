"""Trusted time and long-term validation against a real TSA (certomancer) on 127.0.0.1.

Sign with the TSA up, stop it, then check offline: pyHanko through `verify`, and openssl's own RFC 3161 check of
the token; ten years on (a moved verifier clock, past the nurse's certificate) a timestamped record is still
VALID; a revoked key signs nothing more, and a signature made with it after the revocation fails.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509

from checklist_app.cli import main
from checklist_app.export.errors import SigningError
from checklist_app.export.signing import sign_pdf
from checklist_app.export.timestamps import NO_TIMESTAMP, LongTermSettings
from checklist_app.export.verification import verify_pdf
from checklist_app.services.errors import SigningRefused
from checklist_app.services.long_term import site_crls, tsa_roots
from checklist_app.services.site import trust_roots
from tests.helpers.tsa import TimeStampAuthority, make_tsa
from tests.helpers.world import World

TEN_YEARS = dt.timedelta(days=3653)


@dataclass
class Signed:
    tsa: TimeStampAuthority
    timestamped_id: str  # signed and co-signed with the TSA up (B-LT)
    lta_id: str  # signed with a document timestamp (B-LTA)
    plain_id: str  # signed before the site had a TSA


def _admin_cli(world: World, *args: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(world.password("admin") + "\n"))
    return main(["--db", world.url, *args, "--admin", world.user("admin").username, "--password-stdin"])


@pytest.fixture(scope="module")
def signed(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Signed]:
    plain = world.signed_case("nurse")  # before any TSA: works as it always did
    tsa = make_tsa(tmp_path_factory.mktemp("tsa"))
    with pytest.MonkeyPatch.context() as mp:
        assert _admin_cli(world, "site", "crl", monkeypatch=mp) == 0
        mp.setenv("CHECKLIST_TSA_URL", tsa.url)
        mp.setenv("CHECKLIST_TSA_CA_FILE", str(tsa.root_pem_file))
        case = world.signed_case("nurse")
        world.svc.documents.co_sign(world.user("charge"), world.password("charge"), case.record_id)
        mp.setenv("CHECKLIST_DOCUMENT_TIMESTAMP", "1")
        lta = world.signed_case("nurse2")
        mp.delenv("CHECKLIST_DOCUMENT_TIMESTAMP")
        try:
            yield Signed(tsa=tsa, timestamped_id=case.record_id, lta_id=lta.record_id, plain_id=plain.record_id)
        finally:
            tsa.stop()


@pytest.fixture
def offline(signed: Signed, monkeypatch: pytest.MonkeyPatch) -> Signed:
    """The TSA is down; the site still trusts its root."""
    signed.tsa.stop()
    monkeypatch.setenv("CHECKLIST_TSA_CA_FILE", str(signed.tsa.root_pem_file))
    return signed


def _pdf(world: World, record_id: str) -> bytes:
    stored = world.svc.store.records.latest_pdf(record_id)
    assert stored is not None
    return stored.pdf


def _verify(world: World, pdf: bytes, now: dt.datetime | None = None) -> object:
    return verify_pdf(
        pdf, trust_roots(world.svc.store), tsa_roots_pem=tsa_roots(), site_crls_der=site_crls(world.svc.store), now=now
    )


def test_signatures_are_timestamped_and_verify_offline(world: World, offline: Signed) -> None:
    report = world.svc.documents.verify_pdf_bytes(_pdf(world, offline.timestamped_id))
    assert report.ok, report.lines()
    assert [c.time_source for c in report.signatures] == ["timestamp", "timestamp"]
    assert all("(timestamped)" in line for line in report.lines()[:-1])
    ok, lines = world.svc.documents.verify(offline.timestamped_id)
    assert ok, lines


def test_file_carries_the_validation_data_for_b_lt(world: World, offline: Signed) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    dss = DocumentSecurityStore.read_dss(PdfFileReader(io.BytesIO(_pdf(world, offline.timestamped_id))))
    from asn1crypto import crl

    issuers = {crl.CertificateList.load(ref.get_object().data).issuer.native["common_name"] for ref in dss.crls}
    site = x509.load_pem_x509_certificate(trust_roots(world.svc.store)[0])
    site_cn = site.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value
    assert {site_cn, "Synthetic TSA Root"} <= issuers  # the site CRL and the TSA's own
    certs = {c.subject.native["common_name"] for c in dss.load_certs()}
    assert {"Synthetic Time Stamping Unit", "Synthetic TSA Root", site_cn} <= certs


def test_openssl_ts_verify_accepts_each_signature_timestamp(world: World, offline: Signed, tmp_path: Path) -> None:
    """openssl, which knows nothing of PDF, checks the RFC 3161 token against the signature value it stamps."""
    from asn1crypto import cms
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.generic_cms import extract_tst_data_iter

    openssl = shutil.which("openssl")
    assert openssl is not None, "openssl is part of the base system"
    reader = PdfFileReader(io.BytesIO(_pdf(world, offline.timestamped_id)))
    for sig in reader.embedded_signatures:
        token = next(extract_tst_data_iter(sig.signer_info, signed=False))
        path = tmp_path / f"{sig.field_name}.tst"
        path.write_bytes(cms.ContentInfo({"content_type": "signed_data", "content": token}).dump())
        digest = hashlib.sha256(sig.signer_info["signature"].native).hexdigest()
        result = subprocess.run(
            [
                openssl,
                "ts",
                "-verify",
                "-token_in",
                "-in",
                str(path),
                "-digest",
                digest,
                "-CAfile",
                str(offline.tsa.root_pem_file),
                "-untrusted",
                str(offline.tsa.tsa_cert_pem_file),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert "Verification: OK" in result.stdout, result.stdout + result.stderr
        wrong = subprocess.run(
            [
                openssl,
                "ts",
                "-verify",
                "-token_in",
                "-in",
                str(path),
                "-digest",
                "00" * 32,
                "-CAfile",
                str(offline.tsa.root_pem_file),
                "-untrusted",
                str(offline.tsa.tsa_cert_pem_file),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert "Verification: OK" not in wrong.stdout


def test_ten_years_on_a_timestamped_record_is_still_valid(world: World, offline: Signed) -> None:
    """Past the nurse's certificate (five years) and the CRLs' next updates, the token's time still decides."""
    pdf = _pdf(world, offline.timestamped_id)
    later = dt.datetime.now(dt.UTC) + TEN_YEARS
    user_cert = x509.load_pem_x509_certificate(world.svc.auth.identity(world.user("nurse"))[1].encode())
    assert later > user_cert.not_valid_after_utc
    report = _verify(world, pdf, now=later)
    assert report.ok, report.lines()  # type: ignore[attr-defined]


def test_ten_years_on_an_untimestamped_record_says_why(world: World, offline: Signed) -> None:
    report = _verify(world, _pdf(world, offline.plain_id), now=dt.datetime.now(dt.UTC) + TEN_YEARS)
    lines = report.lines()  # type: ignore[attr-defined]
    assert NO_TIMESTAMP in lines[0]
    assert report.signatures[0].time_source == "workstation clock"  # type: ignore[attr-defined]


def test_document_timestamp_is_accepted_and_cosigning_after_it_holds(world: World, signed: Signed) -> None:
    signed.tsa.start()  # the co-signature asks the TSA too
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("CHECKLIST_TSA_URL", signed.tsa.url)
            mp.setenv("CHECKLIST_TSA_CA_FILE", str(signed.tsa.root_pem_file))
            world.svc.documents.co_sign(world.user("charge"), world.password("charge"), signed.lta_id)
            report = world.svc.documents.verify_pdf_bytes(_pdf(world, signed.lta_id))
    finally:
        signed.tsa.stop()
    assert report.ok, report.lines()
    kinds = [c.kind for c in report.signatures]
    assert kinds.count("document timestamp") >= 1 and kinds.count("signature") == 2
    assert any(line.startswith("Document timestamp by Synthetic Time Stamping Unit") for line in report.lines())


def test_a_revoked_key_signs_nothing_more(
    world: World, signed: Signed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After `users revoke`, the service refuses the user; a signature made with the key anyway, timestamped
    after the revocation, fails verification; the user's earlier timestamped signature still holds."""
    earlier = _pdf(world, signed.lta_id)
    assert (
        _admin_cli(
            world,
            "users",
            "revoke",
            world.user("nurse2").username,
            "--reason",
            "workstation lost",
            monkeypatch=monkeypatch,
        )
        == 0
    )
    with pytest.raises(SigningRefused, match="revoked"):
        world.signed_case("nurse2")
    signed.tsa.start()
    try:
        monkeypatch.setenv("CHECKLIST_TSA_CA_FILE", str(signed.tsa.root_pem_file))
        p12, _ = world.svc.auth.identity(world.user("nurse2"))  # type: ignore[misc]
        settings = LongTermSettings(
            tsa_url=signed.tsa.url, tsa_roots_pem=tuple(tsa_roots()), site_crls_der=tuple(site_crls(world.svc.store))
        )
        blank = world.svc.documents.pdf(world.user("nurse2"), world.ready_case("nurse2").record_id)
        forged = sign_pdf(
            blank,
            p12,
            world.password("nurse2"),
            field_name="prepared",
            meaning="Prepared by",
            signer_name="Kim Example",
            long_term=settings,
        )
    finally:
        signed.tsa.stop()
    report = world.svc.documents.verify_pdf_bytes(forged)
    assert not report.ok and "revoked" in (report.problem or ""), report.lines()
    still = world.svc.documents.verify_pdf_bytes(earlier)
    assert still.ok, still.lines()


def test_a_down_tsa_stops_signing_with_one_clear_line(
    world: World, signed: Signed, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed.tsa.stop()
    monkeypatch.setenv("CHECKLIST_TSA_URL", signed.tsa.url)
    case = world.ready_case("nurse")
    with pytest.raises(SigningError, match=r"time-stamp authority .* did not give a timestamp"):
        world.svc.documents.sign(world.user("nurse"), world.password("nurse"), case)
    row = world.svc.store.records.get(case.record_id)
    assert row.status == "draft" and world.svc.store.records.latest_pdf(case.record_id) is None


def test_a_title_changed_after_the_validation_data_is_still_a_change(world: World, offline: Signed) -> None:
    """A DSS may follow the last signature, but pyHanko files DocInfo edits under the same "LTA updates": an
    edited title after a long-term signature must still fail."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(_pdf(world, offline.timestamped_id)))
    info_ref = writer.trailer.raw_get("/Info")
    info_ref.get_object()[generic.NameObject("/Title")] = generic.TextStringObject("changed after signing")
    writer.mark_update(info_ref)
    out = io.BytesIO()
    writer.write(out)
    report = world.svc.documents.verify_pdf_bytes(out.getvalue())
    assert not report.ok and report.problem == "the file was changed after the last signature", report.lines()


def test_a_timestamp_from_an_untrusted_tsa_is_named(
    world: World, offline: Signed, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workstation that does not trust the TSA says so, instead of calling the signature broken."""
    monkeypatch.delenv("CHECKLIST_TSA_CA_FILE")
    report = world.svc.documents.verify_pdf_bytes(_pdf(world, offline.timestamped_id))
    assert not report.ok and "CHECKLIST_TSA_CA_FILE" in (report.problem or ""), report.lines()
