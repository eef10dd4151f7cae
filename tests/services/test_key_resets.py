"""No one signs as someone else (issue 10, finding 4): a password reset alone never yields a signing key.

The attack: an admin resets a nurse's password, does the "choose your own password" step himself and signs.
Refused on SQLite and PostgreSQL: the reset keeps her key locked by her previous password; without that password
the key is removed, and a new one needs a second person (not the admin who reset, not the nurse), whose name
the certificate carries into every `verify` line."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from checklist_app.domain.lifecycle import NO_KEY
from checklist_app.export import pki
from checklist_app.export.errors import WrongPasswordError
from checklist_app.services.app import AppServices
from checklist_app.services.errors import PermissionRefused, SigningRefused
from checklist_app.services.models import Role
from tests.helpers.databases import BACKENDS, copy_sqlite
from tests.helpers.forms import READY_NOTES
from tests.helpers.hashing import QUICK_HASHER
from tests.helpers.world import READY, World

OWN = "nurse-own-secret-2026"
ADMIN_CHOSEN = "admin-chose-this-2026"
ADMIN_OWN = "admin-takes-over-2026"


@pytest.fixture(scope="module", params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("key-resets")
    if request.param == "sqlite":
        url = copy_sqlite(request.getfixturevalue("sqlite_template"), folder / "checklists.db")
    else:
        url = request.getfixturevalue("pg_databases").take()
    svc = AppServices.open(url, hasher=QUICK_HASHER)
    try:
        yield World(svc=svc, url=url, folder=folder)
    finally:
        svc.close()


def _nurse(world: World, username: str) -> None:
    world.svc.auth.create_user(username, f"Nurse {username.title()}", {Role.NURSE}, OWN, actor="test-setup")


def test_an_admin_who_resets_and_chooses_the_password_himself_gets_no_key(world: World) -> None:
    _nurse(world, "victim")
    admin = world.user("admin")
    world.svc.auth.reset_password(admin, "victim", ADMIN_CHOSEN)
    # The admin logs in as her and does the "choose your own password" step himself.
    as_her = world.svc.auth.login("victim", ADMIN_CHOSEN)
    assert as_her.reset_notice is not None  # whoever logs in next is told of the reset
    with pytest.raises(WrongPasswordError):  # a made-up "previous password" does not open her key
        world.svc.auth.change_password(as_her, ADMIN_CHOSEN, ADMIN_OWN, previous_password="guess-her-old-one-26")
    taken = world.svc.auth.change_password(as_her, ADMIN_CHOSEN, ADMIN_OWN)
    assert world.svc.auth.identity(taken) is None  # her old key is gone, no new one was issued

    case = world.ready_case()
    assert world.svc.documents.why_not_signable(taken, case) == NO_KEY
    with pytest.raises(SigningRefused):
        world.svc.documents.sign(taken, ADMIN_OWN, case)
    # Changing the password again issues nothing either: after a reset only a second person can.
    again = world.svc.auth.change_password(taken, ADMIN_OWN, "admin-tries-again-2026")
    assert world.svc.auth.identity(again) is None


def test_the_user_is_told_of_the_reset_at_every_login_until_she_settles_it(world: World) -> None:
    """The admin may log in first (and change the password): that must not swallow the notice she sees."""
    _nurse(world, "told")
    world.svc.auth.reset_password(world.user("admin"), "told", ADMIN_CHOSEN)
    first = world.svc.auth.login("told", ADMIN_CHOSEN)
    assert first.reset_notice is not None and "reset by alex" in first.reset_notice
    taken = world.svc.auth.change_password(first, ADMIN_CHOSEN, ADMIN_OWN)
    again = world.svc.auth.login("told", ADMIN_OWN)
    assert again.reset_notice is not None and "reset by alex" in again.reset_notice
    world.svc.auth.reissue_key(
        world.user("charge"), world.password("charge"), taken.username, "she-typed-this-herself-26"
    )
    assert world.svc.auth.login("told", "she-typed-this-herself-26").reset_notice is None


def test_a_new_key_after_a_reset_needs_a_second_person_and_says_so_in_verify(world: World) -> None:
    _nurse(world, "reissued")
    admin = world.user("admin")
    world.svc.auth.reset_password(admin, "reissued", ADMIN_CHOSEN)
    temporary = world.svc.auth.login("reissued", ADMIN_CHOSEN)
    world.svc.auth.change_password(temporary, ADMIN_CHOSEN, ADMIN_OWN)

    refused = [
        (admin, world.password("admin"), "the one who reset"),
        (world.user("coordinator"), world.password("coordinator"), "charge nurse or an administrator"),
        (world.svc.auth.get("reissued"), ADMIN_OWN, "other than the key's owner"),
    ]
    for approver, password, why in refused:
        with pytest.raises(PermissionRefused, match=why):
            world.svc.auth.reissue_key(approver, password, "reissued", "typed-by-the-nurse-2026")
    assert world.svc.auth.identity(world.svc.auth.get("reissued")) is None

    charge = world.user("charge")
    user = world.svc.auth.reissue_key(charge, world.password("charge"), "reissued", "typed-by-the-nurse-2026")
    identity = world.svc.auth.identity(user)
    assert identity is not None
    note = pki.certificate_summary(identity[1].encode()).key_note
    assert note is not None and "after a password reset by alex" in note and "second person sofia" in note

    case = world.new_case("nurse")  # answered and signed by the re-keyed nurse herself
    for item_id, value in READY.items():
        case = world.svc.cases.answer(user, case, item_id, value, note=READY_NOTES.get(item_id, ""))
    signed = world.svc.documents.sign(user, "typed-by-the-nurse-2026", case)
    report = world.svc.documents.verify_pdf_bytes(world.svc.store.records.latest_pdf(signed.record_id).pdf)
    (line,) = [line for line in report.lines() if "(reissued)" in line]
    assert "after a password reset by alex" in line and "second person sofia" in line


def test_a_key_issued_without_a_reset_carries_no_note(world: World) -> None:
    _nurse(world, "plainkey")
    identity = world.svc.auth.identity(world.svc.auth.get("plainkey"))
    assert identity is not None and pki.certificate_summary(identity[1].encode()).key_note is None
