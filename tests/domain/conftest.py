"""Domain fixtures: the shipped form (builders are in tests.helpers.forms)."""

from __future__ import annotations

import pytest

from checklist_app.domain.forms import FormDefinition
from tests.helpers.forms import FORM


@pytest.fixture(scope="session")
def form() -> FormDefinition:
    return FORM
