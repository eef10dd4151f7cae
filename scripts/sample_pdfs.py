"""Write sample record PDFs (synthetic patients only) into a folder: `python scripts/sample_pdfs.py OUT_DIR`."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from checklist_app.domain.readiness import evaluate
from checklist_app.domain.records import parse_record
from checklist_app.export.pdf import render_record_pdf
from checklist_app.export.pdf_document import A4, LETTER, RecordDocument, SignatureBlock
from checklist_app.services.catalog import load_form

EST = timezone(timedelta(hours=-5))
NOW = datetime(2026, 11, 24, 8, 0, tzinfo=EST)
ATTESTATION = (
    "I attest that I checked each item of this record with the patient and the chart, "
    "and that it is true and complete to the best of my knowledge."
)
CHECKS = (
    "patient.two_identifiers",
    "consent.signed",
    "procedure.verified",
    "site.marked",
    "imaging.reviewed",
    "allergies.reviewed",
    "infection.absent",
    "vitals.recorded",
    "personnel.proceduralist",
    "personnel.radiologic_technologist",
    "personnel.nurse",
    "setting.fluoroscopy_ready",
    "setting.radiation_protection",
    "setting.resuscitation_ready",
)


def _answers(by: str, overrides: dict[str, Any]) -> dict[str, Any]:
    """A fully answered checklist, each answer stamped with who gave it and when (a minute apart)."""
    values: dict[str, Any] = {item: "met" for item in CHECKS}
    values.update(
        {
            "contrast.prior_reaction": "no",
            "sedation.planned": "no",
            "anticoagulants": [],
            "bleeding_risk.elevated": "no",
            "diabetes.present": "no",
        }
    )
    values.update(overrides)
    out = {}
    for n, (item, value) in enumerate(values.items()):
        answer = value if isinstance(value, dict) and "value" in value else {"value": value}
        out[item] = {"by": by, "at": (NOW - timedelta(minutes=50 - n)).isoformat(), **answer}
    return out


def _record(patient: dict[str, Any], procedure: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    return {"form": "fluoro-spine-injection", "patient": patient, "procedure": procedure, "answers": answers}


def _signature(
    meaning: str, name: str, user: str, role: str, at: datetime, override: str | None = None
) -> SignatureBlock:
    titles = {"prepared": "Prepared by", "reviewed": "Reviewed by", "amended": "Amended by"}
    return SignatureBlock(
        meaning=meaning,
        meaning_title=titles[meaning],
        full_name=name,
        username=user,
        role_title=role,
        signed_at=at,
        attestation=ATTESTATION,
        override_reason=override,
    )


def sample_documents() -> dict[str, RecordDocument]:
    """The sample cases by file stem: ready+signed, not-ready draft, non-ASCII names, incomplete draft."""
    form = load_form("fluoro-spine-injection")
    proc = {
        "type": "interlaminar_epidural",
        "level": "L4-L5",
        "laterality": "left",
        "scheduled_at": "2026-11-24T09:30:00-05:00",
    }
    cases: dict[str, dict[str, Any]] = {
        "a-ready-signed": {
            "record": _record(
                {"name": "Jordan Example", "birth_date": "1960-01-15", "mrn": "MRN100001", "sex": "male"},
                proc,
                _answers(
                    "rnurse",
                    {
                        "personnel.proceduralist": {"value": "met", "note": "Dr. A. Sample (interventional radiology)"},
                        "anticoagulants": [
                            {"drug": "aspirin_primary", "last_dose_at": "2026-11-23T08:00:00-05:00", "dose": "81 mg"}
                        ],
                        "site.marked": {"value": "na", "note": "Midline approach, no side to mark"},
                    },
                ),
            ),
            "status": "signed",
            "hash": "3f1c9a0b7e6d5c4b3a29181706f5e4d3c2b1a09f8e7d6c5b4a3928170615f4e3",
            "signatures": (_signature("prepared", "Riley Nurse", "rnurse", "Nurse", NOW + timedelta(minutes=12)),),
        },
        "b-not-ready-draft": {
            "record": _record(
                {"name": "Morgan Testpatient", "birth_date": "1948-07-30", "mrn": "MRN204518", "sex": "male"},
                {**proc, "type": "transforaminal_epidural", "level": "L5-S1", "laterality": "right"},
                _answers(
                    "rnurse",
                    {
                        "consent.signed": {"value": "not_met", "note": "Consent form not in the chart; ward called"},
                        "sedation.planned": "yes",
                        "fasting.last_solids_at": "2026-11-24T03:00:00-05:00",
                        "fasting.last_clear_liquids_at": "2026-11-24T06:30:00-05:00",
                        "escort.arranged": "met",
                        "iv.access": "met",
                        "anticoagulants": [
                            {"drug": "apixaban", "last_dose_at": "2026-11-22T09:00:00-05:00", "dose": "5 mg"},
                            {"drug": "clopidogrel", "last_dose_at": "2026-11-15T08:00:00-05:00", "dose": "75 mg"},
                            {"drug": "aspirin_secondary", "last_dose_at": "2026-11-23T08:00:00-05:00"},
                            {"drug": "warfarin", "last_dose_at": "2026-11-18T20:00:00-05:00"},
                            {"drug": "naproxen", "last_dose_at": "2026-11-22T21:00:00-05:00"},
                        ],
                        "labs.inr": 1.6,
                        "diabetes.present": "yes",
                        "glucose.mg_dl": 236,
                        "bleeding_risk.elevated": "yes",
                    },
                ),
            ),
            "status": "draft",
            "hash": None,
            "signatures": (),
        },
        "c-non-ascii-override": {
            "record": _record(
                {"name": "Zoë Łukasiewicz-Ødegård", "birth_date": "1991-03-10", "mrn": "MRN771204", "sex": "female"},
                {**proc, "type": "caudal_epidural", "level": "Sacral hiatus", "laterality": "midline"},
                _answers(
                    "spapadopoulou",
                    {
                        "pregnancy.status": "not_pregnant_test_negative",
                        "site.marked": {"value": "na", "na_reason": "Midline caudal approach"},
                        "sedation.planned": "yes",
                        "fasting.last_solids_at": "2026-11-24T02:30:00-05:00",
                        "fasting.last_clear_liquids_at": "2026-11-24T05:00:00-05:00",
                        "escort.arranged": {"value": "met", "note": "Partner Åsa Ødegård waiting in the lounge"},
                        "iv.access": "met",
                        "personnel.sedation_provider": "met",
                        "contrast.prior_reaction": "yes",
                        "contrast.plan": "premedicated",
                        "contrast.premedication_complete": "met",
                    },
                ),
            ),
            "status": "signed",
            "hash": "a94b6c0e2d1f4a3b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d",
            "signatures": (
                _signature(
                    "prepared",
                    "Σοφία Παπαδοπούλου",
                    "spapadopoulou",
                    "Nurse",
                    NOW + timedelta(minutes=20),
                    override="Anesthesiologist Dr. Ïñigo Núñez reviewed: light sedation only, aspiration risk "
                    "accepted; solids fast 5.5 h (clear fluids only since).",
                ),
            ),
        },
        "d-incomplete-draft": {
            "record": _record(
                {"name": "Casey Sample", "birth_date": "1987-05-02", "mrn": "MRN300777", "sex": "female"},
                {**proc, "type": "subarachnoid_injection", "level": "L3-L4", "laterality": "not_applicable"},
                {
                    k: v
                    for k, v in _answers(
                        "tnurse",
                        {
                            "anticoagulants": [{"drug": "dabigatran", "last_dose_at": "2026-11-18T08:00:00-05:00"}],
                        },
                    ).items()
                    if k not in ("vitals.recorded", "personnel.nurse")
                },
            ),
            "status": "draft",
            "hash": None,
            "signatures": (),
        },
    }
    # An amendment: a new version of record c that points to it, signed with the meaning "amended".
    amended = dict(cases["c-non-ascii-override"])
    amended["record"] = {
        **amended["record"],
        "answers": {
            **amended["record"]["answers"],
            "fasting.last_solids_at": {
                "value": "2026-11-24T00:30:00-05:00",
                "by": "spapadopoulou",
                "at": (NOW + timedelta(minutes=40)).isoformat(),
                "note": "Corrected: patient clarified the last meal was before 00:30",
            },
        },
    }
    amended.update(
        status="amended",
        hash="0d4f2e9a81b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1",
        signatures=(
            _signature("amended", "Σοφία Παπαδοπούλου", "spapadopoulou", "Nurse", NOW + timedelta(minutes=42)),
        ),
        supersedes="R-2026-00103",
        reason="Last-meal time corrected after the patient clarified it.",
    )
    cases["e-amended"] = amended
    docs = {}
    for number, (stem, case) in enumerate(cases.items(), start=101):
        record = parse_record(case["record"])
        docs[stem] = RecordDocument(
            record_id=f"R-2026-{number:05d}",
            status=case["status"],
            form=form,
            record=record,
            readiness=evaluate(form, record, NOW),
            content_sha256=case["hash"],
            signatures=case["signatures"],
            generated_by="cfoster",
            generated_at=NOW + timedelta(minutes=45 if case.get("supersedes") else 25),
            supersedes_id=case.get("supersedes"),
            amendment_reason=case.get("reason"),
        )
    return docs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--a4", action="store_true", help="A4 paper instead of US Letter")
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for stem, doc in sample_documents().items():
        rendered = render_record_pdf(doc, page_size=A4 if args.a4 else LETTER)
        path = args.out_dir / f"{stem}.pdf"
        path.write_bytes(rendered.pdf)
        boxes = ", ".join(f"{k}: page {v.page + 1} {v.box}" for k, v in rendered.signature_fields.items())
        print(f"{path}  ({boxes})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
