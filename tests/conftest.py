"""Shared pytest configuration for the whole test suite."""

from __future__ import annotations

import os
import tempfile

pytest_plugins = ["tests.pgserver"]


def pytest_configure() -> None:
    # Tests never touch the real user data folder, the real database or a real site secret.
    sandbox = tempfile.mkdtemp(prefix="checklist-tests-")
    os.environ["XDG_DATA_HOME"] = os.path.join(sandbox, "data")
    os.environ["CHECKLIST_SITE_SECRET_FILE"] = os.path.join(sandbox, "site-authority.secret")
    os.environ.pop("CHECKLIST_DB", None)
    os.environ.pop("CHECKLIST_FORMS_DIR", None)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
