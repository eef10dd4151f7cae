"""Living with pyHanko: keep its loggers off the console and turn its exceptions into one plain sentence."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

# pyHanko logs full tracebacks (e.g. "self-signed certificate") at WARNING/ERROR while it still returns
# a status; the report already says it in words, so those records must not reach the console.
# fontTools warns about font tables it drops while subsetting the stamp font.
NOISY_LOGGERS = ("pyhanko", "pyhanko_certvalidator", "fontTools")


@contextlib.contextmanager
def quiet_loggers() -> Iterator[None]:
    """Silence pyHanko's and fontTools' loggers for the duration of the block."""
    saved = []
    for name in NOISY_LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.level))
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in saved:
            logger.setLevel(level)


def plain_error(exc: BaseException) -> str:
    """The exception's message on one line, without a closing full stop."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text.rstrip(".")
