"""`records reschedule` and `records cancel`: the command line of cases that do not go ahead."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from functools import partial
from typing import Any

EXIT_OK = 0


class Helpers:
    """What the commands borrow from cli.py (handed over, so the two modules do not import each other)."""

    def __init__(
        self,
        services: Callable[[argparse.Namespace], Any],
        login: Callable[[Any, argparse.Namespace], tuple[Any, str]],
        now: Callable[[str | None], Any],
    ) -> None:
        self.services, self.login, self.now = services, login, now


def cmd_records_reschedule(h: Helpers, args: argparse.Namespace) -> int:
    from .domain.errors import RecordError

    try:
        moment = h.now(args.to)
    except RecordError as exc:
        raise RecordError("--to", exc.message) from None
    svc = h.services(args)
    try:
        user, _ = h.login(svc, args)
        case = svc.cases.reschedule(user, args.id, moment, args.reason)
        print(f"{case.record_id} {case.status} {case.record.procedure.scheduled_at.isoformat()} {case.readiness.state}")
    finally:
        svc.close()
    return EXIT_OK


def cmd_records_cancel(h: Helpers, args: argparse.Namespace) -> int:
    svc = h.services(args)
    try:
        user, password = h.login(svc, args)
        case = svc.documents.cancel(user, password, args.id, args.reason)
        print(f"{case.record_id} {case.status} sha256 {case.content_sha256}")
    finally:
        svc.close()
    return EXIT_OK


def register(records: Any, helpers: Helpers) -> None:
    """Add the two subcommands to `records`."""
    move = records.add_parser("reschedule", help="move a draft to a new time (audited); readiness is re-judged")
    move.add_argument("id")
    move.add_argument("--to", required=True, metavar="ISO8601", help="the new time with its UTC offset")
    move.add_argument("--reason", required=True, metavar="TEXT")
    move.add_argument("--user", required=True)
    move.add_argument("--password-stdin", action="store_true")
    move.set_defaults(func=partial(cmd_records_reschedule, helpers))
    cancel = records.add_parser("cancel", help="sign a draft as “Not ready — procedure cancelled” with its reason")
    cancel.add_argument("id")
    cancel.add_argument("--reason", required=True, metavar="TEXT")
    cancel.add_argument("--user", required=True)
    cancel.add_argument("--password-stdin", action="store_true")
    cancel.set_defaults(func=partial(cmd_records_cancel, helpers))
