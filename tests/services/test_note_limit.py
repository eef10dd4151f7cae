"""A note longer than the limit is refused before it is saved (a 1 MB note made signing take a minute)."""

from __future__ import annotations

import pytest

from checklist_app.domain import limits
from checklist_app.domain.errors import RecordError
from tests.helpers.world import World


def test_a_note_over_the_limit_is_refused_and_nothing_is_saved(world: World) -> None:
    case = world.new_case()
    with pytest.raises(RecordError, match=f"longer than {limits.NOTE_CHARS} characters"):
        world.svc.cases.answer(world.user("nurse"), case, "imaging.reviewed", "met", note="x" * (limits.NOTE_CHARS + 1))
    with pytest.raises(RecordError, match=f"longer than {limits.NOTE_CHARS} characters"):
        world.svc.cases.answer(world.user("nurse"), case, "imaging.reviewed", "na", na_reason="y" * 1_000_000)
    assert "imaging.reviewed" not in world.svc.store.records.get(case.record_id).record.answers
    saved = world.svc.cases.answer(world.user("nurse"), case, "imaging.reviewed", "met", note="x" * limits.NOTE_CHARS)
    assert saved.record.answers["imaging.reviewed"].note == "x" * limits.NOTE_CHARS
