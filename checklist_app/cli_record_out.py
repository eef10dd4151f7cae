"""The record-out subcommands: forms export, hl7 send/flush, users revoke, site crl (registered by cli)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .domain.errors import RecordError

EXIT_OK, EXIT_FAIL = 0, 1


def _open(args: argparse.Namespace) -> Any:
    from .services.app import AppServices

    return AppServices.open(args.db)


def _stdin_password(args: argparse.Namespace) -> str:
    if not args.password_stdin:
        raise RecordError("--password-stdin", "give the password on standard input (--password-stdin)")
    return sys.stdin.readline().rstrip("\r\n")


def cmd_forms_export(args: argparse.Namespace) -> int:
    from .export.fhir import to_bytes
    from .services.exports import ExportService
    from .services.files import write_atomically

    data = to_bytes(ExportService.form_questionnaire(args.id))
    try:
        write_atomically(Path(args.output), data)
    except OSError as exc:
        raise RecordError(args.output, f"cannot write: {exc.strerror or exc}") from None
    print(f"wrote {args.output}")
    return EXIT_OK


def _admin(svc: Any, args: argparse.Namespace) -> Any:
    from .services.errors import PermissionRefused
    from .services.models import Role

    admin = svc.auth.login(args.admin, _stdin_password(args))
    if not admin.has(Role.ADMIN):
        raise PermissionRefused(f"{args.admin} is not an administrator.")
    return admin


def cmd_users_revoke(args: argparse.Namespace) -> int:
    from .services.long_term import revoke_key

    svc = _open(args)
    try:
        admin = _admin(svc, args)
        number = revoke_key(svc.store, admin.username, args.username, args.reason)
    finally:
        svc.close()
    print(f"revoked the signing key of {args.username} (site CRL number {number})")
    return EXIT_OK


def cmd_site_crl(args: argparse.Namespace) -> int:
    from .services.long_term import issue_crl

    svc = _open(args)
    try:
        admin = _admin(svc, args)
        number = issue_crl(svc.store, admin.username)
    finally:
        svc.close()
    print(f"issued site CRL number {number}")
    return EXIT_OK


def cmd_hl7_send(args: argparse.Namespace) -> int:
    from .services.ehr_outbox import DestinationError

    svc = _open(args)
    try:
        try:
            delivery = svc.hl7.send(args.id, args.to, retries=args.retries)
        except DestinationError as exc:
            raise RecordError("--to", str(exc)) from None
    finally:
        svc.close()
    print(delivery.line(), file=sys.stdout if delivery.state == "sent" else sys.stderr)
    return EXIT_OK if delivery.state == "sent" else EXIT_FAIL


def cmd_hl7_flush(args: argparse.Namespace) -> int:
    svc = _open(args)
    try:
        deliveries = svc.hl7.flush(retries=args.retries)
    finally:
        svc.close()
    for delivery in deliveries:
        print(delivery.line(), file=sys.stdout if delivery.state == "sent" else sys.stderr)
    print(
        f"{sum(d.state == 'sent' for d in deliveries)} sent, {sum(d.state == 'refused' for d in deliveries)} "
        f"refused, {sum(d.state == 'pending' for d in deliveries)} still queued"
    )
    return EXIT_OK if all(d.state == "sent" for d in deliveries) else EXIT_FAIL


def register_hl7_out_commands(hl7: Any) -> None:
    """`hl7 send` and `hl7 flush`, beside `hl7 listen` under the one `hl7` command."""
    send = hl7.add_parser("send", help="send a signed record as MDM^T02 (T10 when it replaces one) over MLLP")
    send.add_argument("id")
    send.add_argument("--to", required=True, metavar="HOST:PORT")
    send.add_argument("--retries", type=int, default=2, metavar="N", help="retries while the link is down")
    send.set_defaults(func=cmd_hl7_send)
    flush = hl7.add_parser("flush", help="deliver every queued message once more")
    flush.add_argument("--retries", type=int, default=0, metavar="N")
    flush.set_defaults(func=cmd_hl7_flush)
