"""Forms come only from the package and CHECKLIST_FORMS_DIR, never from the working directory (issue 10, finding
6); a site form that differs from the shipped one says so (hash and version) on the checklist and the PDF."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checklist_app.domain.errors import ChecklistError
from checklist_app.services.catalog import load_form, load_form_arg, site_form_note
from tests.helpers.forms import FORM, FORM_FILE, FORM_TEXT, ready_record
from tests.helpers.poppler import pdftotext
from tests.helpers.world import World

FORM_ID = "fluoro-spine-injection"
# What the attack run planted: a copy with every item optional would make an empty record READY.
PLANTED = FORM_TEXT.replace(f'version: "{FORM.version}"', 'version: "6.6.6"').replace(
    "title: Pre-procedure readiness", "title: PLANTED readiness"
)


def _plant(folder: Path) -> None:
    for name in (FORM_ID, f"{FORM_ID}.yaml", f"{FORM_ID}.yml"):
        (folder / name).write_text(PLANTED, encoding="utf-8")


def test_a_form_named_like_the_shipped_one_in_the_working_directory_is_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _plant(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert load_form(FORM_ID).version != "6.6.6"
    assert load_form_arg(FORM_ID).version != "6.6.6"
    for sneaky in (f"{FORM_ID}.yaml", f"./{FORM_ID}", "../x", "/etc/passwd"):
        with pytest.raises(ChecklistError, match=r"form id|no form with id"):
            load_form(sneaky)  # a record's "form" is an id, never a path


def test_a_relative_site_forms_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "forms").mkdir()
    _plant(tmp_path / "forms")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CHECKLIST_FORMS_DIR", "forms")
    with pytest.raises(ChecklistError, match="absolute path"):
        load_form(FORM_ID)


def test_the_cli_evaluates_with_the_shipped_form_whatever_lies_in_its_folder(tmp_path: Path) -> None:
    _plant(tmp_path)
    (tmp_path / FORM_ID).write_text("this: [is not a form", encoding="utf-8")  # would fail loudly if read
    record = tmp_path / "record.json"
    record.write_text(json.dumps(ready_record()), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("CHECKLIST_FORMS_DIR", "CHECKLIST_DB")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "checklist_app",
            "evaluate",
            "--form",
            FORM_ID,
            str(record),
            "--now",
            "2026-11-24T08:00:00-05:00",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["state"] == "ready"


def test_the_shipped_form_has_no_site_note() -> None:
    assert site_form_note(load_form(FORM_ID)) is None


def test_a_site_form_is_marked_with_its_hash_and_version_on_the_checklist_and_the_pdf(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site-forms"
    site.mkdir()
    (site / f"{FORM_ID}.yaml").write_text(
        FORM_TEXT.replace(f'version: "{FORM.version}"', 'version: "2026.11.9"'), encoding="utf-8"
    )
    monkeypatch.setenv("CHECKLIST_FORMS_DIR", str(site))
    shipped_hash = load_form_arg(str(FORM_FILE)).content_hash
    case = world.ready_case()
    assert case.form.version == "2026.11.9"
    note = case.form_note
    assert note is not None and "v2026.11.9" in note and case.form.content_hash[:12] in note
    assert shipped_hash[:12] in note and "differs from the shipped" in note

    signed = world.svc.documents.sign(world.user("nurse"), world.password("nurse"), case)
    stored = world.svc.store.records.latest_pdf(signed.record_id)
    assert stored is not None
    text = pdftotext(stored.pdf, tmp_path)
    assert "SITE FORM" in text and case.form.content_hash[:12] in text
    # A case that does not go ahead is signed over the same site form: its PDF says so too.
    other = world.ready_case(name="Cora Cancelled")
    cancelled = world.svc.documents.cancel(world.user("nurse"), world.password("nurse"), other.record_id, "unwell")
    stored = world.svc.store.records.latest_pdf(cancelled.record_id)
    assert stored is not None
    text = pdftotext(stored.pdf, tmp_path)
    assert "SITE FORM" in text and case.form.content_hash[:12] in text
