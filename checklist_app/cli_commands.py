"""The `checklist-app` subcommands of the design card (`cli.main` hands every start that is not a bare
launch to `run`)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

from .cli_support import EXIT_FAIL, EXIT_OK, read_json, services
from .cli_support import password as stdin_password
from .domain.errors import ChecklistError, FormError, RecordError
from .domain.timefmt import local_now

HELP = "The `checklist-app` command line: launch the app, or run one subcommand of the design card."


def _now(text: str | None) -> datetime:
    if text is None:
        return local_now()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise RecordError("--now", f"{text!r} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        raise RecordError("--now", f"{text!r} has no UTC offset; write it like 2026-11-24T08:00:00-05:00")
    return moment


def cmd_forms_validate(args: argparse.Namespace) -> int:
    from .services.catalog import load_form_file

    failed = False
    for path in args.paths:
        try:
            form = load_form_file(path)
        except FormError as exc:
            failed = True
            for line in exc.lines():
                print(line, file=sys.stderr)
        else:
            print(f"{path}: ok ({form.id} {form.version}, {len(form.items)} items, sha256 {form.content_hash[:12]})")
    return EXIT_FAIL if failed else EXIT_OK


def cmd_forms_schema(args: argparse.Namespace) -> int:
    from .domain.forms import FormDefinition

    print(json.dumps(FormDefinition.model_json_schema(by_alias=True), indent=2))
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .domain.readiness import evaluate
    from .domain.records import parse_record
    from .services.catalog import form_for_record, load_form_arg

    now = _now(args.now)  # a bad --now is the option's fault, not the record's: named on its own
    load_form_arg(args.form)  # a bad --form is named before the record is read
    data = read_json(args.record)
    try:
        record = parse_record(data)
        # A record that pins an earlier form version is judged by that version (the pinned form).
        form = form_for_record(args.form, record.form_hash, record.form_version)
        result = evaluate(form, record, now)
    except RecordError as exc:
        raise RecordError(f"{args.record}: {exc.where}" if exc.where else args.record, exc.message) from None
    print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from .services.demo import DEMO_USERS, create_demo

    svc = services(args)
    try:
        created, total = create_demo(svc, args.records)
    finally:
        svc.close()
    print(f"Demo data in {svc.db_display}: {created} new synthetic record(s), {total} in all.")
    print("Synthetic accounts (for trying the app only):")
    for username, name, roles, password in DEMO_USERS:
        print(f"  {username:<12} {password:<18} {', '.join(r.label for r in sorted(roles))} ({name})")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from .domain import limits
    from .export.errors import VerificationError

    try:
        with Path(args.file).open("rb") as handle:  # bounded: `verify /dev/zero` must stop
            pdf = limits.read_bounded(handle, limits.PDF_VERIFY_BYTES, args.file)
    except limits.LimitError as exc:
        raise VerificationError(str(exc)) from None
    except OSError as exc:
        raise VerificationError(f"{args.file}: cannot read ({exc.strerror})") from None
    svc = services(args)
    try:
        report = svc.documents.verify_pdf_bytes(pdf)
    except VerificationError as exc:
        raise VerificationError(f"{args.file}: {exc}") from None
    finally:
        svc.close()
    for line in report.lines():
        print(line)
    return EXIT_OK if report.ok else EXIT_FAIL


def cmd_records_list(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from pydantic_core import to_jsonable_python

    from .services.models import CaseFilter

    svc = services(args)
    try:
        cursor = None
        while True:
            page = svc.cases.search(CaseFilter(status=args.status), limit=500, after=cursor)
            # Where each case came from (typed, mwl, hl7) and the schedule's accession: one query per page.
            origins = svc.schedule.origins([r.record_id for r in page.rows]) if args.json else {}
            for row in page.rows:
                if args.json:
                    data = to_jsonable_python(asdict(row))
                    data["id"] = row.record_id
                    data["patient"] = {"name": row.patient_name, "mrn": row.mrn}
                    origin = origins.get(row.record_id)  # none: a record made before sources were kept
                    data["source"] = origin.source if origin else None
                    data["accession"] = origin.accession if origin else None
                    print(json.dumps(data, ensure_ascii=False))
                else:
                    print(
                        f"{row.record_id}  {row.scheduled_at:%Y-%m-%d %H:%M%z}  {row.status:<9} "
                        f"{row.readiness_state:<10} {row.mrn:<12} {row.patient_name}"
                    )
            cursor = page.next_cursor
            if cursor is None:
                return EXIT_OK
    finally:
        svc.close()


def _login(svc: Any, args: argparse.Namespace) -> tuple[Any, str]:
    password = stdin_password(args)
    return svc.auth.login(args.user, password), password


def cmd_records_import(args: argparse.Namespace) -> int:
    from .domain.readiness import check_record
    from .domain.records import parse_record
    from .services.catalog import load_form

    data = read_json(args.record)
    try:
        record = parse_record(data)
    except RecordError as exc:
        raise RecordError(f"{args.record}: {exc.where}", exc.message) from None
    svc = services(args)
    try:
        user, _ = _login(svc, args)
        try:
            # Every answer is checked before the draft exists: a bad one must not leave a half-imported draft
            # behind (saved answer by answer, under an id that was never printed).
            check_record(load_form(record.form), record, svc.cases.now())
        except RecordError as exc:
            raise RecordError(f"{args.record}: {exc.where}", exc.message) from None
        case = svc.cases.new_case(user, record.patient, record.procedure, record.form)
        for item_id, answer in record.answers.items():
            try:
                case = svc.cases.answer(user, case, item_id, answer.value, note=answer.note, na_reason=answer.na_reason)
            except RecordError as exc:
                raise RecordError(f"{args.record}: answers.{item_id}", exc.message) from None
        print(case.record_id)
    finally:
        svc.close()
    return EXIT_OK


def cmd_records_sign(args: argparse.Namespace) -> int:
    from .domain.lifecycle import Meaning

    svc = services(args)
    try:
        user, password = _login(svc, args)
        if args.meaning == Meaning.REVIEWED:
            case = svc.documents.co_sign(user, password, args.id)
        else:
            case = svc.documents.sign(
                user,
                password,
                svc.cases.open_case(user, args.id),
                override_reason=args.override_reason,
                authorised_by=args.authorised_by,
            )
        print(f"{case.record_id} {case.status} sha256 {case.content_sha256}")
    finally:
        svc.close()
    return EXIT_OK


def cmd_records_export(args: argparse.Namespace) -> int:
    from .services.files import write_atomically

    svc = services(args)
    try:
        export_user = _system_user(args)
        data = svc.exports.record(export_user, args.id, args.format)
        try:
            write_atomically(Path(args.output), data)
        except OSError as exc:
            # Name the file asked for (not the temporary file beside it) and do not call it unexpected.
            raise RecordError(args.output, f"cannot write: {exc.strerror or exc}") from None
    finally:
        svc.close()
    print(f"wrote {args.output}")
    return EXIT_OK


def _system_user(args: argparse.Namespace) -> Any:
    import getpass

    from .services.models import User

    # Export needs no password (the file is what was signed); the audit names the OS account.
    return User(username=f"cli:{getpass.getuser()}", full_name=f"command line ({getpass.getuser()})", roles=frozenset())


def cmd_audit_verify(args: argparse.Namespace) -> int:
    svc = services(args)
    try:
        report = svc.store.audit.verify()
    finally:
        svc.close()
    print(report.message, file=sys.stdout if report.ok else sys.stderr)
    return EXIT_OK if report.ok else EXIT_FAIL


def _register_store_commands(sub: Any) -> None:
    from .domain.lifecycle import Meaning, Status

    demo = sub.add_parser("demo", help="create synthetic users and records (idempotent)")
    demo.add_argument("--records", type=int, default=24, metavar="N")
    demo.set_defaults(func=cmd_demo)

    verify = sub.add_parser("verify", help="check every signature of a PDF record")
    verify.add_argument("file", metavar="FILE.pdf")
    verify.set_defaults(func=cmd_verify)

    records = sub.add_parser("records", help="saved records").add_subparsers(
        dest="records_command", metavar="ACTION", required=True
    )
    listing = records.add_parser("list", help="saved records")
    listing.add_argument("--status", choices=tuple(s.value for s in Status))
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(func=cmd_records_list)
    imp = records.add_parser("import", help="create a draft from record JSON; prints its id")
    imp.add_argument("record", metavar="RECORD.json")
    imp.add_argument("--user", required=True)
    imp.add_argument("--password-stdin", action="store_true")
    imp.set_defaults(func=cmd_records_import)
    sign = records.add_parser("sign", help="sign (nurse) or co-sign (charge nurse)")
    sign.add_argument("id")
    sign.add_argument("--user", required=True)
    sign.add_argument("--password-stdin", action="store_true")
    sign.add_argument(
        "--meaning", choices=(Meaning.PREPARED.value, Meaning.REVIEWED.value), default=Meaning.PREPARED.value
    )
    sign.add_argument("--override-reason", help="documented reason to sign a NOT READY record (where allowed)")
    sign.add_argument(
        "--authorised-by",
        metavar="NAME",
        help="the clinician (proceduralist, or sedation provider for GLP-1) who authorised the override",
    )
    sign.set_defaults(func=cmd_records_sign)
    export = records.add_parser("export", help="write the record's PDF (PDF/A-3b), FHIR R4 Bundle or record JSON")
    export.add_argument("id")
    export.add_argument("-o", "--output", required=True, metavar="FILE")
    export.add_argument("--format", choices=("pdf", "fhir", "json"), default="pdf")
    export.set_defaults(func=cmd_records_export)
    from .cli_outcomes import Helpers, register

    register(records, Helpers(services, _login, _now))

    audit = sub.add_parser("audit", help="the audit log").add_subparsers(
        dest="audit_command", metavar="ACTION", required=True
    )
    audit.add_parser("verify", help="check the hash chain").set_defaults(func=cmd_audit_verify)


class _Parser(argparse.ArgumentParser):
    """Usage errors are one line on stderr and exit 1, like every other error of the command line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_FAIL, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    # The subcommands' modules are imported here, not with this module: launching the app never builds this
    # parser (main's launch check), so the login window does not wait for them.
    from .cli_record_out import cmd_forms_export

    parser = _Parser(prog="checklist-app", description=HELP)
    parser.add_argument("--db", help="database URL (default: CHECKLIST_DB, else a SQLite file in the user data folder)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", metavar="SUBCOMMAND")

    forms = sub.add_parser("forms", help="check and describe checklist forms").add_subparsers(
        dest="forms_command", metavar="ACTION", required=True
    )
    validate = forms.add_parser("validate", help="check form files; PATH:LINE: message per problem")
    validate.add_argument("paths", nargs="+", metavar="PATH")
    validate.set_defaults(func=cmd_forms_validate)
    forms.add_parser("schema", help="JSON Schema of the form format").set_defaults(func=cmd_forms_schema)
    form_export = forms.add_parser("export", help="write a form as a FHIR R4 Questionnaire")
    form_export.add_argument("id", metavar="ID")
    form_export.add_argument("-o", "--output", required=True, metavar="FILE")
    form_export.add_argument("--format", choices=("fhir",), required=True)
    form_export.set_defaults(func=cmd_forms_export)

    evaluate = sub.add_parser("evaluate", help="readiness of a record JSON, as JSON")
    evaluate.add_argument("--form", required=True, metavar="PATH_OR_ID")
    evaluate.add_argument("record", metavar="RECORD.json")
    evaluate.add_argument("--now", metavar="ISO8601", help="evaluate as if it were this time")
    evaluate.set_defaults(func=cmd_evaluate)

    for register in _EXTRA_COMMANDS:
        register(sub)
    return parser


# Subcommands that need the store, users or signatures register themselves here.
def _register_account_commands(sub: Any) -> None:
    from .cli_accounts import register_account_commands

    register_account_commands(sub)


def _register_report_commands(sub: Any) -> None:
    from .cli_report import register_report_commands

    register_report_commands(sub)


def _register_schedule_commands(sub: Any) -> None:
    from .cli_schedule import register_schedule_commands

    register_schedule_commands(sub)


_EXTRA_COMMANDS: list[Callable[[Any], None]] = [
    _register_store_commands,
    _register_account_commands,
    _register_schedule_commands,
    _register_report_commands,
]


def _register_integrity_commands(sub: Any) -> None:
    from .cli_integrity import register

    register(sub)


_EXTRA_COMMANDS.append(_register_integrity_commands)


def run(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments and run the subcommand (none: launch the app); the exit code."""
    args = build_parser().parse_args(argv)
    if args.db:
        os.environ["CHECKLIST_DB"] = args.db
    if args.command is None:  # e.g. `--debug --db URL` in another order than the launcher's fast path reads
        from .ui.shell.app import run as launch

        return launch(db_url=args.db)
    try:
        return int(args.func(args))
    except FormError as exc:
        for line in exc.lines():
            print(line, file=sys.stderr)
        return EXIT_FAIL
    except ChecklistError as exc:
        print(f"checklist-app: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away; say nothing more and do not let Python complain at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        if args.debug:
            raise
        print(
            f"checklist-app: unexpected error: {type(exc).__name__}: {exc} (run with --debug for details)",
            file=sys.stderr,
        )
        return EXIT_FAIL
