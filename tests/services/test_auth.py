"""Accounts: login, lockout after repeated failures (logged), password rules, resets and own changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import Type
from argon2.profiles import RFC_9106_LOW_MEMORY

from checklist_app.export import pki
from checklist_app.export.errors import WrongPasswordError
from checklist_app.services import passwords
from checklist_app.services.app import AppServices
from checklist_app.services.auth import WRONG
from checklist_app.services.errors import LoginError, PermissionRefused, SiteError
from checklist_app.services.models import Role
from checklist_app.services.passwords import PasswordRuleError
from checklist_app.store import Actions, AlreadyExistsError, Store
from tests.helpers.hashing import QUICK_HASHER
from tests.helpers.world import ZOE, World


def _fail_login(world: World, username: str, times: int) -> list[str]:
    messages = []
    for _ in range(times):
        with pytest.raises(LoginError) as caught:
            world.svc.auth.login(username, "not-the-password-9")
        messages.append(str(caught.value))
    return messages


def test_fresh_database_has_no_users_then_login_works(world: World) -> None:
    assert world.svc.auth.has_users() is False
    nurse = world.user("nurse")
    assert world.svc.auth.has_users() is True
    seq = world.audit_seq()
    user = world.svc.auth.login("ZOE", world.password("nurse"))  # user names are case-insensitive
    assert user == nurse and user.full_name == ZOE and user.roles == frozenset({Role.NURSE})
    assert [e.action for e in world.audit_since(seq)] == [Actions.LOGIN_SUCCEEDED]


def test_wrong_password_and_unknown_user_get_the_same_answer_and_are_logged(world: World) -> None:
    world.user("nurse")
    seq = world.audit_seq()
    with pytest.raises(LoginError, match=WRONG):
        world.svc.auth.login("zoe", "ready-set-go-2025")
    with pytest.raises(LoginError, match=WRONG):  # no hint whether the account exists
        world.svc.auth.login("nobody-here", "ready-set-go-2026")
    entries = world.audit_since(seq)
    assert [(e.action, e.actor) for e in entries] == [(Actions.LOGIN_FAILED, "zoe"), (Actions.LOGIN_FAILED, "unknown")]
    # What was typed as a user name is never kept: it is often a password typed into the wrong box.
    assert "nobody-here" not in repr([(e.actor, e.detail) for e in entries])
    assert entries[0].detail["failed_attempts"] == 1
    world.svc.auth.login("zoe", world.password("nurse"))  # a good login resets the count
    assert world.svc.store.users.get("zoe").failed_attempts == 0


def test_lockout_after_repeated_failures_is_logged_and_holds_against_the_right_password(world: World) -> None:
    world.svc.auth.create_user("lockme", "Lee Lockout", {Role.COORDINATOR}, "locked-out-2026", actor="test-setup")
    seq = world.audit_seq()
    messages = _fail_login(world, "lockme", passwords.MAX_FAILED_ATTEMPTS)
    # One text for a wrong password and a lock alike (and for unknown names): the answer tells no one which
    # names exist (issue 10, finding 9). The audit tells the lock apart.
    assert messages == [WRONG] * passwords.MAX_FAILED_ATTEMPTS
    assert f"locked after {passwords.MAX_FAILED_ATTEMPTS} failed attempts" in WRONG

    # Locked: even the right password is refused, and that attempt is logged too.
    with pytest.raises(LoginError, match=WRONG):
        world.svc.auth.login("lockme", "locked-out-2026")
    row = world.svc.store.users.get("lockme")
    assert row.locked_until is not None and row.failed_attempts == passwords.MAX_FAILED_ATTEMPTS

    failed = [e for e in world.audit_since(seq) if e.action == Actions.LOGIN_FAILED]
    assert len(failed) == passwords.MAX_FAILED_ATTEMPTS + 1
    assert [e.detail.get("failed_attempts") for e in failed[:-1]] == list(range(1, passwords.MAX_FAILED_ATTEMPTS + 1))
    assert failed[passwords.MAX_FAILED_ATTEMPTS - 1].detail["locked_until"] is not None
    assert failed[-1].detail == {"reason": "locked"}
    assert not any(e.action == Actions.LOGIN_SUCCEEDED for e in world.audit_since(seq))


def test_a_lock_runs_out_and_then_gives_a_fresh_set_of_attempts(world: World) -> None:
    world.svc.auth.create_user("expiry", "Eli Expiry", {Role.COORDINATOR}, "wait-it-out-2026", actor="test-setup")
    shift = [timedelta()]
    # A workstation whose clock we move: the lock is judged by the database clock.
    later = AppServices(Store.open(world.url, clock=lambda: datetime.now(UTC) + shift[0]), hasher=QUICK_HASHER)
    try:
        _fail_login(world, "expiry", passwords.MAX_FAILED_ATTEMPTS)
        shift[0] = timedelta(minutes=passwords.LOCKOUT_MINUTES - 1)
        with pytest.raises(LoginError, match=WRONG):
            later.auth.login("expiry", "wait-it-out-2026")

        shift[0] = timedelta(minutes=passwords.LOCKOUT_MINUTES + 1)
        for _ in range(passwords.MAX_FAILED_ATTEMPTS - 1):  # one typo after the lock is not another lockout
            with pytest.raises(LoginError, match=WRONG):
                later.auth.login("expiry", "still-wrong-2026")
        with pytest.raises(LoginError, match=WRONG):  # a full set of new failures is
            later.auth.login("expiry", "still-wrong-2026")

        shift[0] = timedelta(minutes=2 * passwords.LOCKOUT_MINUTES + 2)
        assert later.auth.login("expiry", "wait-it-out-2026").username == "expiry"
        assert later.store.users.get("expiry").failed_attempts == 0
    finally:
        later.close()


def test_reauthentication_failures_count_toward_the_lockout(world: World) -> None:
    user = world.svc.auth.create_user(
        "recheck", "Rae Recheck", {Role.COORDINATOR}, "again-please-2026", actor="test-setup"
    )
    for _ in range(passwords.MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(LoginError, match=WRONG):
            world.svc.auth.check_password(user, "wrong-wrong-1")
    with pytest.raises(LoginError, match=WRONG):
        world.svc.auth.check_password(user, "wrong-wrong-1")
    with pytest.raises(LoginError, match=WRONG):
        world.svc.auth.check_password(user, "again-please-2026")


def test_admin_reset_unlocks_and_only_an_admin_may_reset(world: World) -> None:
    world.svc.auth.create_user("resetme", "Robin Reset", {Role.COORDINATOR}, "forgot-it-again-2026", actor="test-setup")
    _fail_login(world, "resetme", passwords.MAX_FAILED_ATTEMPTS)
    with pytest.raises(PermissionRefused):
        world.svc.auth.reset_password(world.user("coordinator"), "resetme", "brand-new-one-2026")
    with pytest.raises(PasswordRuleError):
        world.svc.auth.reset_password(world.user("admin"), "resetme", "short")
    with pytest.raises(LoginError, match=WRONG):
        world.svc.auth.login("resetme", "forgot-it-again-2026")
    world.svc.auth.reset_password(world.user("admin"), "resetme", "brand-new-one-2026")
    assert world.svc.auth.login("resetme", "brand-new-one-2026").username == "resetme"
    with pytest.raises(LoginError, match=WRONG):
        world.svc.auth.login("resetme", "forgot-it-again-2026")


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("", "at least 15 characters"),
        ("fourteen-chars", "at least 15 characters"),
        ("x" * 3 + "y" * (passwords.MAX_LENGTH - 2), "at most 256 characters"),
        ("my-rulesuser-2026", "must not contain the user name"),
        ("MY-RULESUSER-2026", "must not contain the user name"),
        # The blocklist (NIST SP 800-63B-4): common and breached-style passwords, keyboard walks, repeats, own name.
        ("abababababababab", "common or close to a well-known one"),
        ("password12345678", "common or close to a well-known one"),
        ("Password123456789!", "common or close to a well-known one"),
        ("qwertyuiopasdfghjkl", "common or close to a well-known one"),
        ("iloveyou-iloveyou", "common or close to a well-known one"),
    ],
)
def test_password_rules_refuse_weak_passwords(world: World, password: str, problem: str) -> None:
    with pytest.raises(PasswordRuleError, match=problem):
        world.svc.auth.create_user("rulesuser", "Rue Rules", {Role.COORDINATOR}, password, actor="test-setup")
    assert world.svc.store.users.find("rulesuser") is None


def test_password_length_limits_are_inclusive(world: World) -> None:
    assert passwords.MIN_LENGTH == 15  # NIST SP 800-63B-4 for a password that is the only factor
    passwords.check_rules("tulip-gravel-49")  # exactly 15
    passwords.check_rules("tulip-gravel-49" + "x" * (passwords.MAX_LENGTH - 15))  # exactly 256
    user = world.svc.auth.create_user("fifteen", "Fif Teen", {Role.COORDINATOR}, "tulip-gravel-49", actor="test-setup")
    assert world.svc.auth.login("fifteen", "tulip-gravel-49") == user
    # Non-ASCII counts in characters, not bytes.
    passwords.check_rules("ζωή-δώδεκα-πέντε")
    with pytest.raises(PasswordRuleError):
        passwords.check_rules("ζωή-δώδεκα-πέν")


def test_no_composition_rules_only_length_and_the_blocklist(world: World) -> None:
    """NIST SP 800-63B-4: no "a digit, a capital and a symbol"; a long lower-case passphrase is fine."""
    passwords.check_rules("orange lantern drifting slowly")
    passwords.check_rules("ζωή καλημέρα θάλασσα")


def test_the_minimum_length_is_a_site_setting_never_below_eight(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(passwords.MIN_LENGTH_SETTING, "20")
    with pytest.raises(PasswordRuleError, match="at least 20 characters"):
        passwords.check_rules("tulip-gravel-49-sun")
    passwords.check_rules("tulip-gravel-49-sunny")
    monkeypatch.setenv(passwords.MIN_LENGTH_SETTING, "8")  # a site with a second factor
    passwords.check_rules("fjord-kiwi")
    for bad in ("7", "100", "fifteen"):
        monkeypatch.setenv(passwords.MIN_LENGTH_SETTING, bad)
        with pytest.raises(PasswordRuleError, match=passwords.MIN_LENGTH_SETTING):
            passwords.check_rules("tulip-gravel-49-sunny")


def test_user_creation_needs_a_role_a_name_and_a_free_user_name(world: World) -> None:
    world.user("nurse")
    for bad_name in ("", "   ", "u" * 101, "bad\nname", "two words", "zoë"):
        with pytest.raises(PermissionRefused, match="1 to 100 letters, digits, dots, dashes or underscores"):
            world.svc.auth.create_user(bad_name, "Bad Name", {Role.NURSE}, "bad-name-here-2026", actor="test-setup")
    with pytest.raises(PermissionRefused, match="at least one role"):
        world.svc.auth.create_user("norole", "No Role", set(), "no-role-given-2026", actor="test-setup")
    with pytest.raises(PermissionRefused, match="full name"):
        world.svc.auth.create_user("noname", "   ", {Role.NURSE}, "no-name-given-2026", actor="test-setup")
    with pytest.raises(AlreadyExistsError):
        world.svc.auth.create_user(
            "Zoe", "Another Zoe", {Role.COORDINATOR}, "another-one-here-2026", actor="test-setup"
        )
    assert world.svc.store.users.find("norole") is None and world.svc.store.users.find("noname") is None


def test_no_keyless_account_is_left_behind_when_no_key_can_be_issued_here(
    world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    world.user("nurse")  # the site authority exists
    monkeypatch.setenv("CHECKLIST_SITE_SECRET_FILE", str(tmp_path / "not-on-this-computer.secret"))
    with pytest.raises(SiteError, match="missing on this computer"):
        world.svc.auth.create_user("keyless", "Kay Keyless", {Role.NURSE}, "no-key-here-2026", actor="test-setup")
    assert world.svc.store.users.find("keyless") is None  # the admin can simply try again where the secret is
    monkeypatch.undo()
    user = world.svc.auth.create_user("keyless", "Kay Keyless", {Role.NURSE}, "no-key-here-2026", actor="test-setup")
    assert world.svc.auth.identity(user) is not None


def test_a_password_an_admin_set_cannot_sign_until_the_user_chooses_their_own(world: World) -> None:
    """An admin knows a password they set, so it opens no signing key; the user keeps her own key by giving the
    password from before the reset (re-wrapped, never re-issued)."""
    user = world.svc.auth.create_user(
        "resetkey", "Reese Resetkey", {Role.NURSE}, "before-reset-2026", actor="test-setup"
    )
    before = world.svc.auth.identity(user)
    world.svc.auth.reset_password(world.user("admin"), "resetkey", "admin-knows-2026")

    temporary = world.svc.auth.login("resetkey", "admin-knows-2026")
    assert temporary.must_change_password
    assert temporary.reset_notice is not None and "reset by alex" in temporary.reset_notice
    case = world.ready_case()
    reason = world.svc.documents.why_not_signable(temporary, case)
    assert reason is not None and "choose your own" in reason
    with pytest.raises(WrongPasswordError):  # the admin's password opens no key
        pki.open_identity(world.svc.auth.identity(user)[0], "admin-knows-2026")  # type: ignore[index]

    own = world.svc.auth.change_password(
        temporary, "admin-knows-2026", "only-reese-knows-2026", previous_password="before-reset-2026"
    )
    assert not own.must_change_password
    after = world.svc.auth.identity(own)
    assert after is not None and before is not None and after[1] == before[1]  # the same key, re-wrapped
    assert pki.open_identity(after[0], "only-reese-knows-2026").certificate is not None
    assert world.svc.documents.why_not_signable(own, case) is None
    assert world.svc.auth.login("resetkey", "only-reese-knows-2026").reset_notice is None  # told once


def test_a_password_change_whose_key_cannot_be_rewrapped_changes_nothing(world: World) -> None:
    user = world.svc.auth.create_user("rewrap", "Remy Rewrap", {Role.NURSE}, "own-change-2026", actor="test-setup")
    p12, cert = world.svc.auth.identity(user) or (b"", "")
    # A key that the login password does not open (e.g. restored from an old backup).
    stale = pki.rewrap_identity(p12, "own-change-2026", "some-older-password")
    world.svc.store.users.set_identity("rewrap", stale, cert, actor="test-setup")
    with pytest.raises(WrongPasswordError):
        world.svc.auth.change_password(user, "own-change-2026", "own-change-2027")
    assert world.svc.auth.login("rewrap", "own-change-2026") == user
    with pytest.raises(LoginError):
        world.svc.auth.login("rewrap", "own-change-2027")


def test_only_signing_roles_get_a_signing_key(world: World) -> None:
    assert world.svc.auth.identity(world.user("nurse")) is not None
    assert world.svc.auth.identity(world.user("coordinator")) is None
    assert world.svc.auth.identity(world.user("admin")) is None


def test_own_password_change_rewraps_the_same_signing_key(world: World) -> None:
    user = world.svc.auth.create_user("changer", "Cam Changer", {Role.NURSE}, "old-secret-2026", actor="test-setup")
    before = world.svc.auth.identity(user)
    assert before is not None
    with pytest.raises(LoginError, match=WRONG):
        world.svc.auth.change_password(user, "not-my-old-2026", "new-secret-2026")
    with pytest.raises(PasswordRuleError):
        world.svc.auth.change_password(user, "old-secret-2026", "short")
    assert world.svc.auth.login("changer", "old-secret-2026") == user  # a refused change changed nothing

    world.svc.auth.change_password(user, "old-secret-2026", "new-secret-2026")
    after = world.svc.auth.identity(user)
    assert after is not None and after[1] == before[1]  # same certificate: the key was re-wrapped, not replaced
    assert pki.open_identity(after[0], "new-secret-2026").certificate is not None
    with pytest.raises(WrongPasswordError):
        pki.open_identity(after[0], "old-secret-2026")
    assert world.svc.auth.login("changer", "new-secret-2026") == user


def test_services_hash_with_the_production_argon2id_parameters_by_default(world: World) -> None:
    """Without a hasher the services use argon2id with RFC 9106's low-memory profile (above OWASP's minimum)."""
    shipped = AppServices.open(world.url)
    try:
        hasher = shipped.auth.hasher
    finally:
        shipped.close()
    production = RFC_9106_LOW_MEMORY
    assert (
        hasher.type,
        hasher.time_cost,
        hasher.memory_cost,
        hasher.parallelism,
        hasher.hash_len,
        hasher.salt_len,
    ) == (
        Type.ID,
        production.time_cost,
        production.memory_cost,
        production.parallelism,
        production.hash_len,
        production.salt_len,
    )
    assert hasher.memory_cost >= 19 * 1024 and hasher.time_cost >= 2  # OWASP minimum
    assert passwords.production_hasher().hash("any-password-2026").startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_weaker_hashes_are_upgraded_to_the_production_parameters_at_login(world: World) -> None:
    world.svc.auth.create_user("rehash", "Ray Rehash", {Role.COORDINATOR}, "upgrade-me-2026", actor="test-setup")
    weak = world.svc.store.users.get("rehash").password_hash
    assert weak.startswith("$argon2id$")

    shipped = AppServices.open(world.url)  # the app as shipped, on the same database
    try:
        production = shipped.auth.hasher
        assert passwords.needs_rehash(weak, production)
        shipped.auth.login("rehash", "upgrade-me-2026")
        upgraded = world.svc.store.users.get("rehash").password_hash
        assert upgraded != weak and not passwords.needs_rehash(upgraded, production)
        assert f"m={production.memory_cost}," in upgraded
        assert shipped.auth.login("rehash", "upgrade-me-2026").username == "rehash"
    finally:
        shipped.close()


def test_parallel_guesses_are_counted_before_the_slow_password_check(world: World) -> None:
    """Each attempt is counted before its hash runs, so twelve racing guesses get at most five checks."""
    from concurrent.futures import ThreadPoolExecutor

    world.svc.auth.create_user("racer", "Rae Racecase", {Role.COORDINATOR}, "print-every-day-7", actor="test")
    seq = world.audit_seq()

    def guess(n: int) -> str:
        other = world.open_other()
        try:
            other.auth.login("racer", f"wrong-guess-{n:04d}")
        except LoginError as exc:
            return str(exc)
        finally:
            other.close()
        return "accepted"

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(guess, range(12)))
    checked = [e for e in world.audit_since(seq) if e.detail.get("reason") == "wrong password"]
    assert "accepted" not in answers
    assert len(checked) <= passwords.MAX_FAILED_ATTEMPTS
    with pytest.raises(LoginError, match=WRONG):  # the right password: refused while locked
        world.svc.auth.login("racer", "print-every-day-7")
