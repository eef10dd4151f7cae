"""Every size a user controls has a limit, and past it the answer is one clear line, fast (issue 10, finding 7).

Each bad input runs the real command line in a subprocess held to a time limit and an address-space limit, as
the attack run did: before the limits a 319-byte alias bomb took 1.1 GB and 9.5 s, a 1.5-million-key record
14.7 s and 1.4 GB, and `verify /dev/zero` never returned."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checklist_app.domain import limits
from tests.helpers.forms import ready_record

# Generous for a loaded machine, far below what the attacks took.
SECONDS = 60.0
MEMORY = 2 * 1024**3


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def cli(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[str, float]:
    """Run the CLI bounded in time and memory; returns its one stderr line and how long it took."""
    base = {k: v for k, v in os.environ.items() if k not in ("CHECKLIST_FORMS_DIR", "CHECKLIST_DB")}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "checklist_app", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**base, **(env or {})},
        timeout=SECONDS,
        check=False,
        preexec_fn=_bounded,
    )
    took = time.monotonic() - started
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr and "unexpected error" not in done.stderr, done.stderr[-2000:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr[-2000:]
    return lines[0], took


def _bomb(levels: int) -> str:
    """The classic "billion laughs": each level nine aliases of the one before."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels", [7, 9])
def test_a_yaml_alias_bomb_fails_fast_as_a_form_file(tmp_path: Path, levels: int) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(_bomb(levels), encoding="utf-8")
    if levels == 7:
        assert len(bomb.read_bytes()) < 400  # the attack run's 319-byte size class
    line, took = cli(tmp_path, "forms", "validate", str(bomb))
    assert line.startswith(f"{bomb}:") and "expands to more than" in line
    assert took < SECONDS


def test_a_yaml_alias_bomb_fails_fast_as_a_site_form(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "fluoro-spine-injection.yaml").write_text(_bomb(9), encoding="utf-8")
    record = tmp_path / "record.json"
    record.write_text(json.dumps(ready_record()), encoding="utf-8")
    line, _ = cli(
        tmp_path, "evaluate", "--form", "fluoro-spine-injection", str(record), env={"CHECKLIST_FORMS_DIR": str(site)}
    )
    assert "expands to more than" in line


def test_deep_nesting_and_too_many_items_are_refused(tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("a: " + "[" * 200 + "]" * 200 + "\n", encoding="utf-8")
    assert f"deeper than {limits.FORM_YAML_DEPTH} levels" in cli(tmp_path, "forms", "validate", str(deep))[0]
    many = tmp_path / "many.yaml"
    items = "\n".join(f"      - {{id: item{n}, kind: check, text: Item {n}}}" for n in range(limits.FORM_ITEMS + 1))
    many.write_text(
        f"id: many\nversion: '1'\ntitle: Many\nsections:\n  - id: s\n    items:\n{items}\n", encoding="utf-8"
    )
    assert f"more than {limits.FORM_ITEMS} items" in cli(tmp_path, "forms", "validate", str(many))[0]


def test_an_oversized_form_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * (limits.FORM_FILE_BYTES + 10) + b"\n")
    assert "larger than" in cli(tmp_path, "forms", "validate", str(big))[0]
    assert "larger than" in cli(tmp_path, "forms", "validate", "/dev/zero")[0]


def test_a_record_with_a_million_keys_is_refused_by_size_and_fewer_by_count(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    huge.write_text(json.dumps({f"k{n}": 0 for n in range(1_500_000)}), encoding="utf-8")
    line, took = cli(tmp_path, "evaluate", "--form", "fluoro-spine-injection", str(huge))
    assert "larger than 1 MiB" in line and took < SECONDS
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps({"answers": {f"k{n}": 0 for n in range(limits.RECORD_JSON_KEYS + 1)}}), encoding="utf-8")
    assert len(keys.read_bytes()) < limits.RECORD_JSON_BYTES
    assert (
        f"more than {limits.RECORD_JSON_KEYS} keys"
        in cli(tmp_path, "evaluate", "--form", "fluoro-spine-injection", str(keys))[0]
    )
    assert "larger than" in cli(tmp_path, "evaluate", "--form", "fluoro-spine-injection", "/dev/zero")[0]


def test_a_megabyte_note_is_refused(tmp_path: Path) -> None:
    record = ready_record()
    record["answers"]["imaging.reviewed"] = {"value": "met", "note": "x" * (limits.NOTE_CHARS + 1)}
    path = tmp_path / "note.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    line, _ = cli(tmp_path, "evaluate", "--form", "fluoro-spine-injection", str(path))
    assert "imaging.reviewed" in line and str(limits.NOTE_CHARS) in line


def test_verify_dev_zero_stops(tmp_path: Path) -> None:
    line, took = cli(tmp_path, "--db", f"sqlite:///{tmp_path / 'x.db'}", "verify", "/dev/zero")
    assert "larger than" in line and took < SECONDS
