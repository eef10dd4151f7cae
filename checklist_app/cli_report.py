"""`checklist-app report`: the dashboard's figures for a period (design.md, "Why cases are not ready")."""

from __future__ import annotations

import argparse
import json
from typing import Any

from .cli_support import EXIT_OK, password, services

_OUTCOME_WORDS = (
    ("signed_ready", "Ready and signed"),
    ("signed_override", "Signed with override"),
    ("rescheduled", "Rescheduled"),
    ("cancelled", "Cancelled"),
    ("open", "Not yet signed"),
)


def cmd_report(args: argparse.Namespace) -> int:
    from .services.dashboard import Period, figures_json, parse_day

    # The dates are checked before the password is read or the database opened: one line, exit 1.
    period = Period.checked(parse_day(args.date_from, "--from"), parse_day(args.date_to, "--to"), "--from/--to")
    svc = services(args)
    try:
        if args.user is None:  # the contract's form: the database's credentials are the authority, as records list
            figures = svc.dashboard.operator_figures(period)
        else:
            figures = svc.dashboard.figures(svc.auth.login(args.user, password(args)), period)
    finally:
        svc.close()
    if args.json:
        print(json.dumps(figures_json(figures), ensure_ascii=False))
    else:
        print("\n".join(text_lines(period, figures)))
    return EXIT_OK


def text_lines(period: Any, figures: Any) -> list[str]:
    from .services.dashboard import reason_label

    lines = [
        f"Why cases are not ready: {period.first.isoformat()} to {period.last.isoformat()}",
        f"Cases scheduled: {figures.cases}",
    ]
    lines += [f"  {label:<22}{figures.outcomes[key]:>6}" for key, label in _OUTCOME_WORDS]
    lines.append("Top reasons (cases NOT READY at some save):")
    lines += [
        f"  {r.cases:>6}  {reason_label(r.item, r.drug)} [{r.item}{'/' + r.drug if r.drug else ''}]"
        for r in figures.reasons
    ] or ["  none"]
    median = figures.median_minutes_to_sign
    lines.append(
        "Median time from first answer to signing: " + ("no signed case" if median is None else f"{median:g} min")
    )
    lines.append("Overrides by authoriser:")
    lines += [f"  {n:>6}  {name or '(not named)'}" for name, n in figures.overrides] or ["  none"]
    return lines


def register_report_commands(sub: Any) -> None:
    report = sub.add_parser("report", help="why cases were not ready: the dashboard's figures for a period")
    report.add_argument(
        "--from",
        dest="date_from",
        required=True,
        metavar="YYYY-MM-DD",
        help="first day of the period (cases scheduled on it count)",
    )
    report.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD", help="last day, included")
    report.add_argument("--json", action="store_true", help="the figures as one JSON object")
    report.add_argument("--user", help="log in as this charge nurse or administrator (optional, as records list)")
    report.add_argument("--password-stdin", action="store_true")
    report.set_defaults(func=cmd_report)
