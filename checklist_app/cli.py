"""The `checklist-app` command line: launch the app, or run one subcommand of the design card."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .domain.errors import ChecklistError, FormError, RecordError

EXIT_OK, EXIT_FAIL = 0, 1


def _now(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC).astimezone()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise RecordError("--now", f"{text!r} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        raise RecordError("--now", f"{text!r} has no UTC offset; write it like 2026-11-24T08:00:00-05:00")
    return moment


def read_json(path: str) -> Any:
    """Decode a JSON file ('-' = stdin); errors name the file and line."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RecordError(path, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordError(path, f"cannot read: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(f"{path}:{exc.lineno}", f"not valid JSON: {exc.msg} (column {exc.colno})") from None


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
    from .services.catalog import load_form

    form = load_form(args.form)
    data = read_json(args.record)
    try:
        record = parse_record(data)
        result = evaluate(form, record, _now(args.now))
    except RecordError as exc:
        raise RecordError(f"{args.record}: {exc.where}" if exc.where else args.record, exc.message) from None
    print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="checklist-app", description=__doc__)
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
_EXTRA_COMMANDS: list[Callable[[Any], None]] = []


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.db:
        os.environ["CHECKLIST_DB"] = args.db
    if args.command is None:
        from .ui.app import run

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
    except Exception as exc:
        if args.debug:
            raise
        print(f"checklist-app: unexpected error: {type(exc).__name__}: {exc} (run with --debug for details)",
              file=sys.stderr)
        return EXIT_FAIL


if __name__ == "__main__":
    sys.exit(main())
