"""Demo data: synthetic accounts that can log in, synthetic records, and running it twice changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from checklist_app.services.demo import DEMO_USERS, create_demo
from checklist_app.services.models import CaseFilter, Role
from tests.helpers.world import World

# 12 records: enough for every kind of demo case, including one signed the day before (n = 11).
RECORDS = 12


@pytest.fixture(scope="module")
def first_run(world: World) -> tuple[int, int]:
    return create_demo(world.svc, RECORDS, today=date.today())


def test_demo_creates_the_records_and_one_account_per_role(world: World, first_run: tuple[int, int]) -> None:
    assert first_run == (RECORDS, RECORDS)
    usernames = sorted(u.username for u in world.svc.store.users.list_users())
    assert usernames == sorted(u[0] for u in DEMO_USERS)
    assert set().union(*(roles for _, _, roles, _ in DEMO_USERS)) == set(Role)
    statuses = {r.status for r in world.svc.cases.search(CaseFilter(), limit=500).rows}
    assert statuses == {"draft", "signed"}
    states = {r.readiness_state for r in world.svc.cases.search(CaseFilter(status="draft"), limit=500).rows}
    assert {"ready", "not_ready", "incomplete"} <= states


def test_demo_is_idempotent(world: World, first_run: tuple[int, int]) -> None:
    users_before = world.svc.store.users.list_users()
    records_before = [r.record_id for r in world.svc.cases.search(CaseFilter(), limit=500).rows]
    assert create_demo(world.svc, RECORDS) == (0, RECORDS)
    assert [r.record_id for r in world.svc.cases.search(CaseFilter(), limit=500).rows] == records_before
    assert [(u.username, u.cert_pem) for u in world.svc.store.users.list_users()] == [
        (u.username, u.cert_pem) for u in users_before
    ]
    # Asking for more tops up to that many, it does not add another full set.
    assert create_demo(world.svc, RECORDS + 1) == (1, RECORDS + 1)


@pytest.mark.parametrize("account", DEMO_USERS, ids=[u[0] for u in DEMO_USERS])
def test_demo_accounts_log_in_with_their_published_password(
    world: World, first_run: tuple[int, int], account: tuple
) -> None:
    username, full_name, roles, password = account
    user = world.svc.auth.login(username, password)
    assert (user.full_name, user.roles) == (full_name, roles)
    has_key = world.svc.auth.identity(user) is not None
    assert has_key == bool(roles & {Role.NURSE, Role.CHARGE_NURSE})


def test_demo_records_are_synthetic_and_the_signed_one_verifies(world: World, first_run: tuple[int, int]) -> None:
    rows = world.svc.cases.search(CaseFilter(), limit=500).rows
    assert all(r.mrn.startswith("DEMO") for r in rows)
    signed = [r for r in rows if r.status == "signed"]
    assert signed and all(r.nurse == "nurse" for r in signed)
    for row in signed:
        ok, lines = world.svc.documents.verify(row.record_id)
        assert ok, lines
