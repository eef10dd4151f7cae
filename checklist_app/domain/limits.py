"""Every size a user controls, in one place (issue 10, finding 7): past a limit the answer is one clear line."""

from __future__ import annotations

from typing import Any

from .errors import ChecklistError

KIB = 1024
MIB = 1024 * KIB

# A form file (shipped ~19 KB) and what its YAML may expand to: aliases are counted by the nodes they stand
# for, so a 319-byte "billion laughs" fails after a few thousand events instead of taking gigabytes.
FORM_FILE_BYTES = 512 * KIB
FORM_YAML_ALIASES = 200
FORM_YAML_DEPTH = 32
FORM_YAML_NODES = 50_000  # after expanding every alias; the shipped form has ~2 000
FORM_ITEMS = 500  # the shipped form has 30

# The nurse's note or N/A reason on one answer (signing renders it into the PDF).
NOTE_CHARS = 8_000  # a long N/A story prints in full (tests/export/test_pdf.py); 1 MB took a minute to sign

# A record JSON (`evaluate`, `records import`): the shipped example is ~1.5 KB.
RECORD_JSON_BYTES = 1 * MIB
RECORD_JSON_KEYS = 5_000
RECORD_JSON_DEPTH = 64

# A PDF given to `verify` (a signed record is ~100 KB): `verify /dev/zero` stops after reading this much.
PDF_VERIFY_BYTES = 32 * MIB

# The dashboard's and `report`'s period (issue 16): two years of cases is one query over the date index.
REPORT_DAYS = 731


class LimitError(ChecklistError):
    """Something a user gave is larger than the app accepts; the message names the limit."""


def read_bounded(stream: Any, limit: int, what: str) -> bytes:
    """At most `limit` bytes from a binary stream; LimitError when there is more (never reads past limit + 1)."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise LimitError(f"{what} is larger than {_size(limit)}; this is not a file the app accepts")
    return bytes(data)


def _size(limit: int) -> str:
    return f"{limit // MIB} MiB" if limit % MIB == 0 else f"{limit // KIB} KiB"
