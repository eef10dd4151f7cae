"""The `checklist-app` command line: launch the app, or run one subcommand of the design card."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

from .domain.errors import ChecklistError, FormError, RecordError
from .domain.lifecycle import Meaning, Status
from .domain.timefmt import local_now

EXIT_OK, EXIT_FAIL = 0, 1


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


def read_json(path: str) -> Any:
    """Decode a JSON file ('-' = stdin); errors name the file and line. Bounded in size, keys and depth
    (domain/limits.py): a record with 1.5 million keys was refused only after 14 s and 1.4 GB."""
    from .domain import limits

    try:
        if path == "-":
            raw = limits.read_bounded(sys.stdin.buffer, limits.RECORD_JSON_BYTES, path)
        else:
            with Path(path).open("rb") as handle:
                raw = limits.read_bounded(handle, limits.RECORD_JSON_BYTES, path)
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise RecordError(path, "file not found") from None
    except limits.LimitError as exc:
        raise RecordError(path, f"not a record: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordError(path, f"cannot read: {exc}") from None
    keys = 0

    def count_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal keys
        keys += len(pairs)
        if keys > limits.RECORD_JSON_KEYS:
            raise RecordError(path, f"not a record: more than {limits.RECORD_JSON_KEYS} keys")
        return dict(pairs)

    if _json_depth(text) > limits.RECORD_JSON_DEPTH:
        raise RecordError(path, "not a record: the JSON is nested too deeply")
    try:
        return json.loads(text, object_pairs_hook=count_keys)
    except json.JSONDecodeError as exc:
        raise RecordError(f"{path}:{exc.lineno}", f"not valid JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise RecordError(path, "not a record: the JSON is nested too deeply") from None


def _json_depth(text: str) -> int:
    """The deepest bracket nesting outside strings (a quick scan, before the parser recurses)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


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
    from .services.catalog import load_form_arg

    now = _now(args.now)  # a bad --now is the option's fault, not the record's: named on its own
    form = load_form_arg(args.form)
    data = read_json(args.record)
    try:
        record = parse_record(data)
        result = evaluate(form, record, now)
    except RecordError as exc:
        raise RecordError(f"{args.record}: {exc.where}" if exc.where else args.record, exc.message) from None
    print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    return EXIT_OK


def _services(args: argparse.Namespace) -> Any:
    from .services.app import AppServices

    return AppServices.open(args.db)


def _password(args: argparse.Namespace) -> str:
    return _passwords(args, 1)[0]


def _passwords(args: argparse.Namespace, count: int, *, optional: int = 0) -> list[str]:
    """`count` lines of standard input (plus up to `optional` more), one password each. Bytes that are not UTF-8
    stay as surrogate escapes: the login then refuses them with a clear line and audits a failed attempt."""
    if not args.password_stdin:
        raise RecordError("--password-stdin", "give the password on standard input (--password-stdin)")
    stream = getattr(sys.stdin, "buffer", None)
    lines: list[str] = []
    for _ in range(count + optional):
        raw = stream.readline(4096) if stream is not None else sys.stdin.readline(4096).encode("utf-8", "replace")
        if not raw:
            break
        lines.append(raw.decode("utf-8", "surrogateescape").rstrip("\r\n"))
    if len(lines) < count:
        raise RecordError("--password-stdin", f"give {count} password line(s) on standard input")
    return lines


def _admin(svc: Any, args: argparse.Namespace, password: str) -> Any:
    """The administrator named by --admin, authenticated (wrong passwords count toward the lockout)."""
    from .services.errors import PermissionRefused
    from .services.models import Role

    admin = svc.auth.login(args.admin, password)
    if not admin.has(Role.ADMIN):
        raise PermissionRefused(f"{admin.username} is not an administrator.")
    return admin


def cmd_demo(args: argparse.Namespace) -> int:
    from .services.demo import DEMO_USERS, create_demo

    svc = _services(args)
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
    svc = _services(args)
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

    svc = _services(args)
    try:
        cursor = None
        while True:
            page = svc.cases.search(CaseFilter(status=args.status), limit=500, after=cursor)
            for row in page.rows:
                if args.json:
                    data = to_jsonable_python(asdict(row))
                    data["id"] = row.record_id
                    data["patient"] = {"name": row.patient_name, "mrn": row.mrn}
                    print(json.dumps(data, ensure_ascii=False))
                else:
                    print(f"{row.record_id}  {row.scheduled_at:%Y-%m-%d %H:%M%z}  {row.status:<8} "
                          f"{row.readiness_state:<10} {row.mrn:<12} {row.patient_name}")
            cursor = page.next_cursor
            if cursor is None:
                return EXIT_OK
    finally:
        svc.close()


def _login(svc: Any, args: argparse.Namespace) -> tuple[Any, str]:
    password = _password(args)
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
    svc = _services(args)
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
                case = svc.cases.answer(user, case, item_id, answer.value, note=answer.note,
                                        na_reason=answer.na_reason)
            except RecordError as exc:
                raise RecordError(f"{args.record}: answers.{item_id}", exc.message) from None
        print(case.record_id)
    finally:
        svc.close()
    return EXIT_OK


def cmd_records_sign(args: argparse.Namespace) -> int:
    svc = _services(args)
    try:
        user, password = _login(svc, args)
        if args.meaning == Meaning.REVIEWED:
            case = svc.documents.co_sign(user, password, args.id)
        else:
            case = svc.documents.sign(user, password, svc.cases.open_case(user, args.id),
                                      override_reason=args.override_reason)
        print(f"{case.record_id} {case.status} sha256 {case.content_sha256}")
    finally:
        svc.close()
    return EXIT_OK


def cmd_records_export(args: argparse.Namespace) -> int:
    from .services.files import write_atomically

    svc = _services(args)
    try:
        export_user = _system_user(args)
        data = svc.documents.pdf(export_user, args.id)
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
    return User(username=f"cli:{getpass.getuser()}", full_name=f"command line ({getpass.getuser()})",
                roles=frozenset())


def cmd_audit_verify(args: argparse.Namespace) -> int:
    svc = _services(args)
    try:
        report = svc.store.audit.verify()
    finally:
        svc.close()
    print(report.message, file=sys.stdout if report.ok else sys.stderr)
    return EXIT_OK if report.ok else EXIT_FAIL


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
    svc = _services(args)
    try:
        if args.admin is None:
            # Only the very first account may be made without an administrator, and it is an administrator.
            if svc.auth.has_users():
                raise PermissionRefused("Adding a user needs an administrator: give --admin ADMIN (stdin line 1 "
                                        "the admin's password, line 2 the new user's temporary password).")
            if Role.ADMIN not in roles:
                raise PermissionRefused("The first account must be an administrator (--role admin).")
            (password,) = _passwords(args, 1)
            user = svc.auth.create_user(args.username, args.name or args.username, roles, password,
                                        actor="first-run")
        else:
            admin_password, password = _passwords(args, 2)
            admin = _admin(svc, args, admin_password)
            if not args.name:
                raise RecordError("--name", "give the user's full name; it is printed with every signature")
            user = svc.auth.create_user(args.username, args.name, roles, password, actor=admin.username,
                                        temporary=True)
    finally:
        svc.close()
    print(f"added {user.username} ({user.full_name}): {user.roles_text}")
    return EXIT_OK


def cmd_users_reset(args: argparse.Namespace) -> int:
    svc = _services(args)
    try:
        admin_password, password = _passwords(args, 2)
        admin = _admin(svc, args, admin_password)
        svc.auth.reset_password(admin, args.username, password)
    finally:
        svc.close()
    print(f"reset the password of {args.username}; they choose their own at the next login. Their signing key "
          "stays locked by their previous password (a new one needs a second person: users reissue-key).")
    return EXIT_OK


def cmd_users_password(args: argparse.Namespace) -> int:
    svc = _services(args)
    try:
        lines = _passwords(args, 2, optional=1)
        user = svc.auth.login(args.username, lines[0])
        if user.reset_notice:
            print(user.reset_notice, file=sys.stderr)
        svc.auth.change_password(user, lines[0], lines[1], previous_password=lines[2] if len(lines) > 2 else None)
        has_key = svc.auth.identity(user) is not None
    finally:
        svc.close()
    print(f"changed the password of {user.username}" + ("" if has_key or not _signs(user) else
          "; no signing key: a charge nurse or a second administrator issues one with you (users reissue-key)"))
    return EXIT_OK


def _signs(user: Any) -> bool:
    from .services.auth import SIGNERS

    return bool(SIGNERS & user.roles)


def cmd_users_reissue_key(args: argparse.Namespace) -> int:
    svc = _services(args)
    try:
        approver_password, password = _passwords(args, 2)
        approver = svc.auth.login(args.approver, approver_password)
        user = svc.auth.reissue_key(approver, approver_password, args.username, password)
    finally:
        svc.close()
    print(f"issued a new signing key to {user.username}, second person {approver.username}; "
          "its certificate says so in every signature")
    return EXIT_OK


def cmd_site_init(args: argparse.Namespace) -> int:
    from .services.site import init_site, secret_path

    svc = _services(args)
    try:
        admin = _admin(svc, args, _password(args))
        init_site(svc.store, admin.username, args.name)
    finally:
        svc.close()
    print(f"Site signing authority created. Its secret is in {secret_path()}; keep it on this computer only.")
    return EXIT_OK


def _register_store_commands(sub: Any) -> None:
    demo = sub.add_parser("demo", help="create synthetic users and records (idempotent)")
    demo.add_argument("--records", type=int, default=24, metavar="N")
    demo.set_defaults(func=cmd_demo)

    verify = sub.add_parser("verify", help="check every signature of a PDF record")
    verify.add_argument("file", metavar="FILE.pdf")
    verify.set_defaults(func=cmd_verify)

    records = sub.add_parser("records", help="saved records").add_subparsers(
        dest="records_command", metavar="ACTION", required=True)
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
    sign.add_argument("--meaning", choices=(Meaning.PREPARED.value, Meaning.REVIEWED.value),
                      default=Meaning.PREPARED.value)
    sign.add_argument("--override-reason", help="documented reason to sign a NOT READY record (where allowed)")
    sign.set_defaults(func=cmd_records_sign)
    export = records.add_parser("export", help="write the record's PDF")
    export.add_argument("id")
    export.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    export.set_defaults(func=cmd_records_export)

    audit = sub.add_parser("audit", help="the audit log").add_subparsers(
        dest="audit_command", metavar="ACTION", required=True)
    audit.add_parser("verify", help="check the hash chain").set_defaults(func=cmd_audit_verify)

    users = sub.add_parser("users", help="accounts").add_subparsers(dest="users_command", metavar="ACTION",
                                                                     required=True)
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
    password = users.add_parser("password", help="choose your own password (stdin: current, new, and optionally "
                                                  "the one from before a reset, which keeps your signing key)")
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true")
    password.set_defaults(func=cmd_users_password)
    reissue = users.add_parser("reissue-key", help="a new signing key after a reset, with a second person "
                                                   "(stdin: the second person's password, the user's new one)")
    reissue.add_argument("username")
    reissue.add_argument("--approver", required=True, help="a charge nurse or another administrator")
    reissue.add_argument("--password-stdin", action="store_true")
    reissue.set_defaults(func=cmd_users_reissue_key)

    site = sub.add_parser("site", help="the site signing authority").add_subparsers(
        dest="site_command", metavar="ACTION", required=True)
    init = site.add_parser("init", help="create the site signing authority (once)")
    init.add_argument("--name", default="Checklist site signing authority")
    init.add_argument("--admin", required=True, help="the administrator creating it")
    init.add_argument("--password-stdin", action="store_true")
    init.set_defaults(func=cmd_site_init)


class _Parser(argparse.ArgumentParser):
    """Usage errors are one line on stderr and exit 1, like every other error of the command line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_FAIL, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="checklist-app", description=__doc__)
    parser.add_argument("--db", help="database URL (default: CHECKLIST_DB, else a SQLite file in the user data folder)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", metavar="SUBCOMMAND")

    forms = sub.add_parser("forms", help="check and describe checklist forms").add_subparsers(
        dest="forms_command", metavar="ACTION", required=True)
    validate = forms.add_parser("validate", help="check form files; PATH:LINE: message per problem")
    validate.add_argument("paths", nargs="+", metavar="PATH")
    validate.set_defaults(func=cmd_forms_validate)
    forms.add_parser("schema", help="JSON Schema of the form format").set_defaults(func=cmd_forms_schema)

    evaluate = sub.add_parser("evaluate", help="readiness of a record JSON, as JSON")
    evaluate.add_argument("--form", required=True, metavar="PATH_OR_ID")
    evaluate.add_argument("record", metavar="RECORD.json")
    evaluate.add_argument("--now", metavar="ISO8601", help="evaluate as if it were this time")
    evaluate.set_defaults(func=cmd_evaluate)

    for register in _EXTRA_COMMANDS:
        register(sub)
    return parser


# Subcommands that need the store, users or signatures register themselves here.
_EXTRA_COMMANDS: list[Callable[[Any], None]] = [_register_store_commands]


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.db:
        os.environ["CHECKLIST_DB"] = args.db
    if args.command is None:
        from .ui.shell.app import run

        return run(db_url=args.db)
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
        print(f"checklist-app: unexpected error: {type(exc).__name__}: {exc} (run with --debug for details)",
              file=sys.stderr)
        return EXIT_FAIL


if __name__ == "__main__":
    sys.exit(main())
