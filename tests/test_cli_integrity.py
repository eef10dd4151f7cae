"""`records verify`, `records export`, `audit checkpoint` and `audit verify --anchors`, run as a user would (a
subprocess) against a database an attacker then changes with raw SQL. Accounts and signatures are made through
the services (the same database file); synthetic data only."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from checklist_app.domain.records import canonical_json, content_sha256
from checklist_app.services.app import AppServices
from tests.helpers.attacks import as_owner, attacker_sql
from tests.helpers.databases import copy_sqlite
from tests.helpers.hashing import QUICK_HASHER
from tests.helpers.world import World


@dataclass
class Site:
    world: World
    anchors: Path

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "checklist_app", "--db", self.world.url, *args],
            capture_output=True,
            encoding="utf-8",
            timeout=120,
            check=False,
            stdin=subprocess.DEVNULL,
            cwd=self.world.folder,
        )
        assert "Traceback" not in done.stderr, done.stderr
        return done


@pytest.fixture
def site(tmp_path: Path, sqlite_template: Path) -> Iterator[Site]:
    url = copy_sqlite(sqlite_template, tmp_path / "checklists.db")
    svc = AppServices.open(url, hasher=QUICK_HASHER)
    anchors = tmp_path / "anchors"
    anchors.mkdir()
    try:
        yield Site(World(svc=svc, url=url, folder=tmp_path), anchors)
    finally:
        svc.close()


def test_records_verify_is_the_authority_and_names_the_first_mismatch(site: Site) -> None:
    mine = site.world.signed_case(name="Abel Mine")
    theirs = site.world.signed_case(name="Bea Theirs")
    done = site.run("records", "verify", mine.record_id)
    assert done.returncode == 0 and done.stdout.strip().splitlines()[-1].startswith("Verdict: VALID"), done.stderr
    attacker_sql(
        site.world.url,
        "INSERT INTO record_pdfs (record_id, revision, pdf, sha256, created_at, "
        "created_by) SELECT :mine, 2, pdf, sha256, created_at, created_by FROM record_pdfs "
        "WHERE record_id = :theirs",
        mine=mine.record_id,
        theirs=theirs.record_id,
    )
    done = site.run("records", "verify", mine.record_id)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        f"Verdict: TAMPERED — The stored PDF is the signed PDF of another record ({theirs.record_id}), not of "
        f"{mine.record_id}: the database was altered."
    )
    assert "VALID —" not in done.stderr.replace("NOT VALID", "").replace("TAMPERED", "")
    out = site.world.folder / "out.pdf"
    done = site.run("records", "export", mine.record_id, "-o", str(out))
    assert done.returncode == 1 and not out.exists()
    assert done.stderr.count("\n") == 1 and "TAMPERED" in done.stderr


def test_checkpoint_and_anchors_catch_a_rewritten_and_rehashed_history(site: Site) -> None:
    case = site.world.signed_case(name="Hal Rewritten")
    pdf = site.anchors / "record.pdf"
    assert site.run("records", "export", case.record_id, "-o", str(pdf)).returncode == 0
    point = site.anchors / "head.checkpoint"
    done = site.run("audit", "checkpoint", "-o", str(point))
    assert done.returncode == 0 and point.is_file(), done.stderr
    done = site.run("audit", "verify", "--anchors", str(site.anchors))
    assert done.returncode == 0 and "2 anchor(s)" in done.stdout, done.stderr

    as_owner(
        site.world.url,
        "UPDATE answers SET value_json = '\"not_met\"' WHERE record_id = :id AND item_id = 'consent.signed'",
        id=case.record_id,
    )
    text = canonical_json(site.world.svc.store.records.get(case.record_id).record)
    as_owner(
        site.world.url,
        "UPDATE records SET canonical_json = :text, content_sha256 = :sha WHERE id = :id",
        "UPDATE audit SET detail = REPLACE(detail, :old, :new) WHERE record_id = :id",
        rehash=True,
        text=text,
        sha=content_sha256(text),
        id=case.record_id,
        old=str(case.content_sha256),
        new=content_sha256(text),
    )
    assert site.run("audit", "verify").returncode == 0  # consistent inside the database
    done = site.run("audit", "verify", "--anchors", str(site.anchors))
    assert done.returncode == 1
    assert done.stderr.startswith("head.checkpoint: audit entry ") and "re-hashed" in done.stderr, done.stderr
    assert site.run("records", "verify", case.record_id).returncode == 1
