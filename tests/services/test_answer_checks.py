"""A save checks its one new answer once; the engine takes the answers already checked as they are."""

from __future__ import annotations

from typing import Any

import pytest

from checklist_app.domain import answers, readiness
from checklist_app.domain.errors import RecordError
from checklist_app.services import cases
from tests.services.conftest import World


def test_a_save_coerces_only_the_new_answer_once(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    nurse = world.user("nurse")
    case = world.svc.cases.answer(nurse, world.new_case(), "consent.signed", "met")
    calls: list[str] = []

    def counting(*args: Any) -> Any:
        calls.append(args[1].id)
        return answers.coerce_value(*args)

    monkeypatch.setattr(cases, "coerce_value", counting)
    monkeypatch.setattr(readiness, "coerce_value", counting)
    case = world.svc.cases.answer(nurse, case, "imaging.reviewed", "met")
    assert calls == ["imaging.reviewed"]
    assert case.readiness.values == {"consent.signed": "met", "imaging.reviewed": "met"}


def test_a_bad_answer_still_names_the_item(world: World) -> None:
    case = world.new_case()
    with pytest.raises(RecordError, match="is not a check answer"):
        world.svc.cases.answer(world.user("nurse"), case, "consent.signed", "maybe")
