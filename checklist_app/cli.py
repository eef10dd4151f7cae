"""The `checklist-app` command: launch the app, or run one subcommand of the design card (`cli_commands`).

A bare launch (`[--db URL] [--debug]`) goes straight to the login window without importing the subcommands'
parser, argparse, json or datetime: the login window is the first thing a nurse waits for (bench startup).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def _launch_only(argv: Sequence[str]) -> tuple[str | None] | None:
    """(the --db value) when the arguments only launch the app (no subcommand, no --help), else None."""
    db: str | None = None
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == "--debug":
            continue
        if arg == "--db" and rest:
            db = rest.pop(0)
        elif arg.startswith("--db="):
            db = arg.removeprefix("--db=")
        else:
            return None
    return (db,)


def main(argv: Sequence[str] | None = None) -> int:
    launch = _launch_only(sys.argv[1:] if argv is None else argv)
    if launch is None:
        from .cli_commands import run

        return run(argv)
    (db,) = launch
    if db:
        os.environ["CHECKLIST_DB"] = db
    from .ui.shell.app import run as run_app

    return run_app(db_url=db)


if __name__ == "__main__":
    sys.exit(main())
