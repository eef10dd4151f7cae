"""What every store-backed subcommand shares: exit codes, the services, passwords on stdin, bounded JSON input."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .domain.errors import RecordError

EXIT_OK, EXIT_FAIL = 0, 1


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


def services(args: argparse.Namespace) -> Any:
    from .services.app import AppServices

    return AppServices.open(args.db)


def password(args: argparse.Namespace) -> str:
    return passwords(args, 1)[0]


def passwords(args: argparse.Namespace, count: int, *, optional: int = 0) -> list[str]:
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


def admin(svc: Any, args: argparse.Namespace, password: str) -> Any:
    """The administrator named by --admin, authenticated (wrong passwords count toward the lockout)."""
    from .services.errors import PermissionRefused
    from .services.models import Role

    admin = svc.auth.login(args.admin, password)
    if not admin.has(Role.ADMIN):
        raise PermissionRefused(f"{admin.username} is not an administrator.")
    return admin
