"""Command-line commands of a record that cannot lie: records verify, audit checkpoint and anchors, db upgrade
and db grant (design.md, "A record that cannot lie"). Registered into checklist_app.cli_commands's parser."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FAIL = 0, 1  # as checklist_app.cli_commands (which imports this module: no import back)


def _services(args: argparse.Namespace) -> Any:
    from .services.app import AppServices

    return AppServices.open(args.db)


def _system_user(args: argparse.Namespace) -> Any:
    import getpass

    from .services.models import User

    # As `records export`: no password for a file operation; the audit names the OS account.
    return User(username=f"cli:{getpass.getuser()}", full_name=f"command line ({getpass.getuser()})", roles=frozenset())


def _subcommands(parser: argparse.ArgumentParser) -> Any:
    """The sub-command action of a parser built by checklist_app.cli_commands (to add commands beside its own)."""
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def cmd_records_verify(args: argparse.Namespace) -> int:

    svc = _services(args)
    try:
        result = svc.documents.check(args.id)
    finally:
        svc.close()
    for line in result.lines():
        print(line, file=sys.stdout if result.ok else sys.stderr)
    return EXIT_OK if result.ok else EXIT_FAIL


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from .services.anchors import verify_anchors

    svc = _services(args)
    try:
        if args.anchors:
            ok, message = (report := verify_anchors(svc.store, Path(args.anchors))).ok, report.message
        else:
            ok, message = (chain := svc.store.audit.verify()).ok, chain.message
    finally:
        svc.close()
    print(message, file=sys.stdout if ok else sys.stderr)
    return EXIT_OK if ok else EXIT_FAIL


def cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    from .domain.errors import RecordError
    from .services.anchors import write_checkpoint
    from .services.files import write_atomically

    svc = _services(args)
    try:
        data = write_checkpoint(svc.store, _system_user(args).username)
        try:
            write_atomically(Path(args.output), data)
        except OSError as exc:
            raise RecordError(args.output, f"cannot write: {exc.strerror or exc}") from None
    finally:
        svc.close()
    print(f"wrote {args.output}")
    return EXIT_OK


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from .store import Store
    from .store.connection import current_revision

    store = Store.open(args.db)
    try:
        revision = current_revision(store.db.engine)
    finally:
        store.close()
    print(f"database at revision {revision}")
    return EXIT_OK


def cmd_db_grant(args: argparse.Namespace) -> int:
    from .store.connection import create_store_engine, resolve_url
    from .store.privileges import grant_app_role

    engine = create_store_engine(resolve_url(args.db))
    try:
        statements = grant_app_role(engine, args.role)
    finally:
        engine.dispose()
    print(f"granted {args.role} data rights only ({len(statements)} statements); the app may now run as it")
    return EXIT_OK


def register(sub: Any) -> None:
    """Add the commands to the parser's sub-commands (after checklist_app.cli_commands registered its own)."""
    records = _subcommands(sub.choices["records"])
    verify = records.add_parser("verify", help="check the stored PDF is this record's own and its status earned")
    verify.add_argument("id")
    verify.set_defaults(func=cmd_records_verify)

    audit = _subcommands(sub.choices["audit"])
    audit_verify = audit.choices["verify"]
    audit_verify.add_argument(
        "--anchors", metavar="DIR", help="also check every exported PDF and checkpoint file in DIR against the chain"
    )
    audit_verify.set_defaults(func=cmd_audit_verify)
    checkpoint = audit.add_parser("checkpoint", help="write the chain head signed by the site authority")
    checkpoint.add_argument("-o", "--output", required=True, metavar="FILE")
    checkpoint.set_defaults(func=cmd_audit_checkpoint)

    db = sub.add_parser("db", help="the database schema and its roles").add_subparsers(
        dest="db_command", metavar="ACTION", required=True
    )
    db.add_parser("upgrade", help="run the migrations (as the schema owner)").set_defaults(func=cmd_db_upgrade)
    grant = db.add_parser("grant", help="PostgreSQL: data rights only (no DDL, no trigger control) for ROLE")
    grant.add_argument("role", metavar="ROLE")
    grant.set_defaults(func=cmd_db_grant)
