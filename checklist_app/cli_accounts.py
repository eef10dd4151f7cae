"""The account and site subcommands: every change of who may sign goes through an authenticated administrator."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from . import cli_support as support
from .cli_record_out import cmd_site_crl, cmd_users_revoke
from .cli_support import EXIT_OK
from .domain.errors import RecordError


def _roles(args: argparse.Namespace) -> set[Any]:
    from .services.models import Role

    try:
        return {Role(r) for r in args.role}
    except ValueError:
        raise RecordError("--role", f"roles are {', '.join(r.value for r in Role)}") from None


def cmd_users_add(args: argparse.Namespace) -> int:
    from .services.errors import PermissionRefused
    from .services.models import Role

    roles = _roles(args)
    svc = support.services(args)
    try:
        if args.admin is None:
            # Only the very first account may be made without an administrator, and it is an administrator.
            if svc.auth.has_users():
                raise PermissionRefused(
                    "Adding a user needs an administrator: give --admin ADMIN (stdin line 1 "
                    "the admin's password, line 2 the new user's temporary password)."
                )
            if Role.ADMIN not in roles:
                raise PermissionRefused("The first account must be an administrator (--role admin).")
            (password,) = support.passwords(args, 1)
            user = svc.auth.create_user(args.username, args.name or args.username, roles, password, actor="first-run")
        else:
            admin_password, password = support.passwords(args, 2)
            admin = support.admin(svc, args, admin_password)
            if not args.name:
                raise RecordError("--name", "give the user's full name; it is printed with every signature")
            user = svc.auth.create_user(args.username, args.name, roles, password, actor=admin.username, temporary=True)
    finally:
        svc.close()
    print(f"added {user.username} ({user.full_name}): {user.roles_text}")
    return EXIT_OK


def cmd_users_reset(args: argparse.Namespace) -> int:
    svc = support.services(args)
    try:
        admin_password, password = support.passwords(args, 2)
        admin = support.admin(svc, args, admin_password)
        svc.auth.reset_password(admin, args.username, password)
    finally:
        svc.close()
    print(
        f"reset the password of {args.username}; they choose their own at the next login. Their signing key "
        "stays locked by their previous password (a new one needs a second person: users reissue-key)."
    )
    return EXIT_OK


def cmd_users_password(args: argparse.Namespace) -> int:
    svc = support.services(args)
    try:
        lines = support.passwords(args, 2, optional=1)
        user = svc.auth.login(args.username, lines[0])
        if user.reset_notice:
            print(user.reset_notice, file=sys.stderr)
        svc.auth.change_password(user, lines[0], lines[1], previous_password=lines[2] if len(lines) > 2 else None)
        has_key = svc.auth.identity(user) is not None
    finally:
        svc.close()
    print(
        f"changed the password of {user.username}"
        + (
            ""
            if has_key or not _signs(user)
            else "; no signing key: a charge nurse or a second administrator issues one with you (users reissue-key)"
        )
    )
    return EXIT_OK


def _signs(user: Any) -> bool:
    from .services.auth import SIGNERS

    return bool(SIGNERS & user.roles)


def cmd_users_reissue_key(args: argparse.Namespace) -> int:
    svc = support.services(args)
    try:
        approver_password, password = support.passwords(args, 2)
        approver = svc.auth.login(args.approver, approver_password)
        user = svc.auth.reissue_key(approver, approver_password, args.username, password)
    finally:
        svc.close()
    print(
        f"issued a new signing key to {user.username}, second person {approver.username}; "
        "its certificate says so in every signature"
    )
    return EXIT_OK


def cmd_site_init(args: argparse.Namespace) -> int:
    from .services.site import init_site, secret_path

    svc = support.services(args)
    try:
        admin = support.admin(svc, args, support.password(args))
        init_site(svc.store, admin.username, args.name)
    finally:
        svc.close()
    print(f"Site signing authority created. Its secret is in {secret_path()}; keep it on this computer only.")
    return EXIT_OK


def register_account_commands(sub: Any) -> None:
    users = sub.add_parser("users", help="accounts").add_subparsers(
        dest="users_command", metavar="ACTION", required=True
    )
    add = users.add_parser("add", help="create an account (stdin: the admin's password, the temporary one)")
    add.add_argument("username")
    add.add_argument("--name", help="full name, printed with every signature")
    add.add_argument("--role", action="append", required=True)
    add.add_argument("--admin", help="the administrator adding the account (not needed for the very first one)")
    add.add_argument("--password-stdin", action="store_true")
    add.set_defaults(func=cmd_users_add)
    reset = users.add_parser("reset", help="set a temporary password (stdin: the admin's password, the new one)")
    reset.add_argument("username")
    reset.add_argument("--admin", required=True)
    reset.add_argument("--password-stdin", action="store_true")
    reset.set_defaults(func=cmd_users_reset)
    password = users.add_parser(
        "password",
        help="choose your own password (stdin: current, new, and optionally "
        "the one from before a reset, which keeps your signing key)",
    )
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true")
    password.set_defaults(func=cmd_users_password)
    reissue = users.add_parser(
        "reissue-key",
        help="a new signing key after a reset, with a second person "
        "(stdin: the second person's password, the user's new one)",
    )
    reissue.add_argument("username")
    reissue.add_argument("--approver", required=True, help="a charge nurse or another administrator")
    reissue.add_argument("--password-stdin", action="store_true")
    reissue.set_defaults(func=cmd_users_reissue_key)
    revoke = users.add_parser("revoke", help="revoke a user's signing key (needs the site secret)")
    revoke.add_argument("username")
    revoke.add_argument("--reason", required=True)
    revoke.add_argument("--admin", required=True, metavar="ADMIN")
    revoke.add_argument("--password-stdin", action="store_true", help="the admin's password on stdin")
    revoke.set_defaults(func=cmd_users_revoke)

    site = sub.add_parser("site", help="the site signing authority").add_subparsers(
        dest="site_command", metavar="ACTION", required=True
    )
    init = site.add_parser("init", help="create the site signing authority (once)")
    init.add_argument("--name", default="Checklist site signing authority")
    init.add_argument("--admin", required=True, help="the administrator creating it")
    init.add_argument("--password-stdin", action="store_true")
    init.set_defaults(func=cmd_site_init)
    crl = site.add_parser("crl", help="issue a fresh revocation list of the site authority (needs the site secret)")
    crl.add_argument("--admin", required=True, metavar="ADMIN")
    crl.add_argument("--password-stdin", action="store_true", help="the admin's password on stdin")
    crl.set_defaults(func=cmd_site_crl)
