"""The app's log: a rotating file in the platform's log folder, ids only (never a patient's name or MRN)."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

import platformdirs

APP_NAME = "checklist-app"
ENV_VAR = "CHECKLIST_LOG_DIR"  # another folder than the platform's (a ward's shared log share, tests)
LOG_FILE = "checklist-app.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 5

log = logging.getLogger("checklist_app")


def log_dir(environ: Mapping[str, str] | None = None) -> Path:
    """$CHECKLIST_LOG_DIR, else the platform's user log folder (~/.local/state/checklist-app/log, …\\Logs)."""
    env = os.environ if environ is None else environ
    chosen = env.get(ENV_VAR, "").strip()
    return Path(chosen) if chosen else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


# Names the handler this module installed, so a second set-up (tests, a relaunch in-process) replaces it.
_HANDLER_NAME = "checklist_app.file"


def _ours(handler: logging.Handler) -> bool:
    return handler.get_name() == _HANDLER_NAME


def setup_logging(level: int = logging.INFO, environ: Mapping[str, str] | None = None) -> Path | None:
    """Log the `checklist_app` loggers to the rotating file; returns its path, None when the folder is unusable
    (a read-only profile must not stop the app)."""
    directory = log_dir(environ)
    path = directory / LOG_FILE
    try:
        directory.mkdir(parents=True, exist_ok=True)
        # Imported here: logging.handlers brings pickle, socket and queue, which the login window need not wait for.
        from logging.handlers import RotatingFileHandler

        handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
        handler.set_name(_HANDLER_NAME)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for old in [h for h in log.handlers if _ours(h)]:
        log.removeHandler(old)
        old.close()
    log.addHandler(handler)
    log.setLevel(level)
    return path


def close_logging() -> None:
    """Detach and close the file handler (the end of a test, or of the app)."""
    for old in [h for h in log.handlers if _ours(h)]:
        log.removeHandler(old)
        old.close()


def write_crash_report(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    environ: Mapping[str, str] | None = None,
) -> Path | None:
    """A crash report beside the log: where the code was, and the error's type.

    The error's message is left out on purpose: it may quote what the user typed or a record's content (a name,
    an MRN), and this file leaves the ward in support tickets. The frames (file, line, function) are enough to
    find the bug; the log's ids find the case.
    """
    directory = log_dir(environ)
    now = datetime.now(UTC)
    path = directory / f"crash-{now:%Y%m%d-%H%M%S}-{os.getpid()}.txt"
    # Frames without their source lines: a line may quote a literal, and the place is what IT needs.
    frames = "".join(f'  File "{f.filename}", line {f.lineno}, in {f.name}\n' for f in traceback.extract_tb(tb))
    from .. import __version__

    text = (
        f"checklist-app {__version__} crash report\n"
        f"time: {now.isoformat(timespec='seconds')}\n"
        f"python: {sys.version.split()[0]} on {sys.platform}\n"
        f"error: {exc_type.__module__}.{exc_type.__qualname__} (message withheld: it may hold patient data)\n"
        f"traceback (most recent call last):\n{frames}"
    )
    try:
        directory.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError:
        return None
    log.error("crash: %s.%s; report %s", exc_type.__module__, exc_type.__qualname__, path.name)
    return path
