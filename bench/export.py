"""Export benchmark: render + sign one record's PDF vs a minimal reportlab document of equal pages signed by pyHanko."""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from . import fixtures
from .harness import Report, Settings, paired_rounds, progress, ratio_result, scratch_dir
from .pg import PgServer


@dataclass(frozen=True)
class Signable:
    """What DocumentService.sign hands to the export layer, built the same way, without the database."""

    document: Any  # RecordDocument
    p12: bytes
    password: str
    signer_name: str


def signable_record(ws: fixtures.Workspace) -> Signable:
    """A complete READY draft stored through the services, turned into the RecordDocument sign() renders."""
    from checklist_app.domain.records import canonical_json, content_sha256
    from checklist_app.export.pdf_document import RecordDocument, SignatureBlock
    from checklist_app.services.models import Meaning, Role
    from checklist_app.services.signing_rules import ATTESTATION
    from checklist_app.store.record_rows import DraftSpec

    svc, nurse = ws.services, ws.nurse
    form = fixtures.default_form()
    now = fixtures.local_now()
    record = fixtures.full_record(42, now + timedelta(hours=2), form)
    [record_id] = svc.store.records.bulk_insert_for_benchmarks(
        [
            DraftSpec(
                record=record,
                nurse=nurse.username,
                form_version=form.version,
                form_hash=form.content_hash,
                readiness_state="ready",
            )
        ]
    )
    row = svc.store.records.get(record_id)
    case = svc.cases.state(row)
    assert case.readiness.state == "ready", case.readiness
    block = SignatureBlock(
        meaning=Meaning.PREPARED.value,
        meaning_title=Meaning.PREPARED.label,
        full_name=nurse.full_name,
        username=nurse.username,
        role_title=Role.NURSE.label,
        signed_at=now,
        attestation=ATTESTATION,
    )
    doc = RecordDocument(
        record_id=row.id,
        status="signed",
        form=case.form,
        record=row.record,
        readiness=case.readiness,
        content_sha256=content_sha256(canonical_json(row.record)),
        signatures=(block,),
        generated_by=nurse.full_name,
        generated_at=now,
    )
    identity = svc.auth.identity(nurse)
    assert identity is not None
    return Signable(document=doc, p12=identity[0], password=fixtures.PASSWORD, signer_name=nurse.full_name)


def render_and_sign(item: Signable) -> bytes:
    """The export-layer steps of DocumentService.sign, in its order and with its arguments."""
    from checklist_app.export.pdf import render_record_pdf
    from checklist_app.export.signing import add_signature_field, sign_pdf

    rendered = render_record_pdf(item.document)
    pdf = rendered.pdf
    reviewed = rendered.signature_fields.get("reviewed")
    if reviewed is not None:
        pdf = add_signature_field(pdf, "reviewed", page=reviewed.page, box=reviewed.box)
    prepared = rendered.signature_fields.get("prepared")
    return sign_pdf(
        pdf,
        item.p12,
        item.password,
        field_name="prepared",
        meaning="Prepared by",
        signer_name=item.signer_name,
        stamp_box=prepared.box if prepared else None,
        page=prepared.page if prepared else -1,
        certify=True,
    )


def page_count(pdf: bytes) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(io.BytesIO(pdf)).root["/Pages"]["/Count"])


def minimal_signed_pdf(pages: int, p12: bytes, password: str) -> bytes:
    """The floor: a bare reportlab canvas with `pages` pages, signed by pyHanko with the same key
    (unlocked from the same PKCS#12 each time, as sign_pdf does) and the same digest and sub-filter."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(612.0, 792.0))
    for page in range(pages):
        canvas.drawString(72, 720, f"Jordan Example 00042 - page {page + 1} of {pages}")
        canvas.showPage()
    canvas.save()
    signer = signers.SimpleSigner.load_pkcs12_data(p12, other_certs=[], passphrase=password.encode())
    assert signer is not None
    meta = signers.PdfSignatureMetadata(
        field_name="Signature", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    signed = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(out.getvalue())), meta, signer=signer)
    return signed.getvalue()


def run(settings: Settings, report: Report, pg: PgServer | None) -> None:
    scratch = scratch_dir("checklist-bench-export-")
    try:
        ws = fixtures.open_workspace(fixtures.sqlite_url(scratch / "app.db"), scratch)
        try:
            item = signable_record(ws)
        finally:
            ws.close()
        pages = page_count(render_and_sign(item))
        rounds = settings.rounds(15, 5)
        progress(f"export: {rounds} rounds of render+sign ({pages} pages) vs minimal reportlab+pyHanko")
        subject, baseline = paired_rounds(
            lambda: render_and_sign(item),
            lambda: minimal_signed_pdf(pages, item.p12, item.password),
            rounds=rounds,
            warmup=2,
        )
        report.add(
            ratio_result(
                "export.render_sign", subject, baseline, unit="ms", target=1.2, note=f"{pages} pages, {rounds} rounds"
            )
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
