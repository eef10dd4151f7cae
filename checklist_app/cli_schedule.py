"""The schedule's subcommands of `checklist-app`: `worklist pull` (DICOM MWL) and `hl7 listen` (MLLP)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .cli_record_out import register_hl7_out_commands
from .domain.errors import ChecklistError, RecordError

EXIT_OK = 0


def _services(args: argparse.Namespace) -> Any:
    from .services.app import AppServices

    return AppServices.open(args.db)


def _host_port(text: str, option: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise RecordError(option, f"{text!r} is not HOST:PORT (e.g. ris.example:104)")
    return host.strip("[]"), int(port)


def cmd_worklist_pull(args: argparse.Namespace) -> int:
    from datetime import date

    host, port = _host_port(args.mwl, "--mwl")
    try:
        day = date.fromisoformat(args.date) if args.date else None
    except ValueError:
        raise RecordError("--date", f"{args.date!r} is not a date (YYYY-MM-DD)") from None
    svc = _services(args)
    try:
        report = svc.schedule.pull(host, port, day=day, called_aet=args.called_aet, calling_aet=args.calling_aet)
    finally:
        svc.close()
    for line in report.lines():
        print(line)
    return EXIT_OK


def cmd_hl7_listen(args: argparse.Namespace) -> int:
    import logging

    from .interop.mllp import Listener
    from .services.schedule import make_handler

    # One line per message (type, control id, ACK code) on stderr for the service journal; never PHI.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    app_log = logging.getLogger("checklist_app")
    app_log.addHandler(handler)
    app_log.setLevel(logging.INFO)
    svc = _services(args)
    try:
        svc.schedule.form()  # a broken form or time zone stops the listener before it takes a message

        def ready(host: str, port: int) -> None:
            print(f"listening for HL7 on {host}:{port} ({svc.db_display})", flush=True)

        try:
            Listener(make_handler(svc.schedule), args.host, args.port).run(on_ready=ready)
        except OSError as exc:  # the port is taken, or the address is not this computer's
            raise ChecklistError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    finally:
        app_log.removeHandler(handler)
        svc.close()
    print("stopped", flush=True)
    return EXIT_OK


def register_schedule_commands(sub: Any) -> None:
    worklist = sub.add_parser("worklist", help="the hospital's schedule").add_subparsers(
        dest="worklist_command", metavar="ACTION", required=True
    )
    pull = worklist.add_parser("pull", help="DICOM Modality Worklist C-FIND: each scheduled step → a draft")
    pull.add_argument("--mwl", required=True, metavar="HOST:PORT")
    pull.add_argument("--called-aet", default="ANY-SCP", metavar="AET", help="the worklist server's AE title")
    pull.add_argument("--calling-aet", default="CHECKLIST", metavar="AET", help="this app's AE title")
    pull.add_argument("--date", metavar="YYYY-MM-DD", help="the day to pull (default: today at the site)")
    pull.set_defaults(func=cmd_worklist_pull)

    hl7 = sub.add_parser("hl7", help="HL7 v2 over MLLP").add_subparsers(
        dest="hl7_command", metavar="ACTION", required=True
    )
    listen = hl7.add_parser("listen", help="MLLP listener for SIU^S12-S15 and ADT^A04/A08; runs until stopped")
    listen.add_argument("--host", default="127.0.0.1")
    listen.add_argument("--port", type=int, required=True, metavar="P", help="TCP port (0: any free port)")
    listen.set_defaults(func=cmd_hl7_listen)
    register_hl7_out_commands(hl7)
