"""Bulk benchmark: sign and export many records through the services (audits, migration), in records per second."""

from __future__ import annotations

import shutil
import statistics
import time
from datetime import timedelta

from . import fixtures
from .export import minimal_signed_pdf, page_count
from .harness import Report, Settings, progress, rate_result, run_rounds, scratch_dir
from .pg import PgServer

RECORDS_FULL = 200
RECORDS_QUICK = 20  # argon2 re-authentication alone is ~0.3 s per signature: 200 would not fit in 2 minutes


def run(settings: Settings, report: Report, pg: PgServer | None) -> None:
    from checklist_app.services import passwords
    from checklist_app.store.record_rows import DraftSpec

    n = settings.rounds(RECORDS_FULL, RECORDS_QUICK)
    scratch = scratch_dir("checklist-bench-bulk-")
    try:
        ws = fixtures.open_workspace(fixtures.sqlite_url(scratch / "bulk.db"), scratch)
        svc, nurse = ws.services, ws.nurse
        try:
            form = fixtures.default_form()
            start = fixtures.local_now() + timedelta(hours=1)
            specs = [
                DraftSpec(
                    record=fixtures.full_record(i, start + timedelta(minutes=5 * i), form),
                    nurse=nurse.username,
                    form_version=form.version,
                    form_hash=form.content_hash,
                    readiness_state="ready",
                )
                for i in range(n + 1)
            ]
            ids = svc.store.records.bulk_insert_for_benchmarks(specs)
            progress(f"bulk: signing and exporting {n} records through the services (+1 warm-up)")

            def sign_and_export(batch: list[str]) -> bytes:
                # A nurse ticks the batch and signs it with the password once (DocumentService.sign_batch).
                cases = [svc.cases.state(svc.store.records.get(record_id)) for record_id in batch]
                svc.documents.sign_batch(nurse, fixtures.PASSWORD, cases)
                return [svc.documents.pdf(nurse, record_id) for record_id in batch][-1]

            pages = page_count(sign_and_export(ids[:1]))  # warm-up: imports, font cache, statement cache
            t0 = time.perf_counter()
            sign_and_export(ids[1:])
            elapsed = time.perf_counter() - t0
            row = svc.store.users.get(nurse.username)
            argon2 = statistics.median(
                run_rounds(lambda: passwords.verify_password(row.password_hash, fixtures.PASSWORD), rounds=5, warmup=1)
            )
            identity = svc.auth.identity(nurse)
            assert identity is not None
            floor = statistics.median(
                run_rounds(
                    lambda: minimal_signed_pdf(pages, identity[0], fixtures.PASSWORD),
                    rounds=settings.rounds(10, 5),
                    warmup=1,
                )
            )
        finally:
            ws.close()
        rate = n / elapsed
        share = argon2 / (elapsed / n)
        report.add(
            rate_result(
                "bulk.sign_export.sqlite",
                rate,
                "rec/s",
                baseline=1 / floor,
                target=0.9,
                note=(
                    f"{n} records in one batch, {pages} pages each; baseline = minimal reportlab+pyHanko; one "
                    f"password check (argon2id) per batch, {share:.0%} of one record's time"
                ),
            )
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
