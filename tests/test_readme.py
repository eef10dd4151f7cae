"""The README's promises stay true: its two commands exist, CI runs the test one, demo accounts log in as written."""

from __future__ import annotations

import os
import re
from pathlib import Path

from checklist_app.services.demo import DEMO_USERS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_run_and_test_commands() -> None:
    first_block = README.split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["scripts/run", "scripts/test"]
    for command in commands:
        assert os.access(ROOT / command, os.X_OK), command


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^scripts/test\b", ci, re.MULTILINE)


def test_readme_lists_the_demo_accounts_with_their_real_passwords() -> None:
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| `([^`]+)` \|", README, re.MULTILINE))
    assert rows == {username: password for username, _name, _roles, password in DEMO_USERS}
