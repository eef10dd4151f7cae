"""Where forms come from: a file path, a site forms folder (CHECKLIST_FORMS_DIR), or the shipped forms."""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..domain.errors import ChecklistError, FormError
from ..domain.formparse import parse_form
from ..domain.forms import FormDefinition

DEFAULT_FORM_ID = "fluoro-spine-injection"


def load_form_file(path: str | Path) -> FormDefinition:
    """Read and check one form file; FormError names the file and line of each problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FormError([(None, "file not found")], str(path)) from None
    except UnicodeDecodeError as exc:
        raise FormError([(None, f"not UTF-8 text ({exc.reason} at byte {exc.start})")], str(path)) from None
    except OSError as exc:
        raise FormError([(None, f"cannot read: {exc.strerror}")], str(path)) from None
    return parse_form(text, str(path))


def _candidates(form_id: str) -> list[Path]:
    site = os.environ.get("CHECKLIST_FORMS_DIR")
    out = [Path(site) / f"{form_id}.yaml"] if site else []
    shipped = resources.files("checklist_app.forms_data") / f"{form_id}.yaml"
    out.append(Path(str(shipped)))
    return out


@lru_cache(maxsize=16)
def _load_cached(path: str, mtime_ns: int) -> FormDefinition:
    return load_form_file(path)


def load_form(id_or_path: str) -> FormDefinition:
    """A form by file path, or by id from the site folder first, then the shipped forms."""
    path = Path(id_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return _load_cached(str(path), path.stat().st_mtime_ns) if path.is_file() else load_form_file(path)
    for candidate in _candidates(id_or_path):
        if candidate.is_file():
            return _load_cached(str(candidate), candidate.stat().st_mtime_ns)
    raise ChecklistError(f"no form with id '{id_or_path}' (looked in the site forms folder and the shipped forms)")


def shipped_form_ids() -> list[str]:
    folder = resources.files("checklist_app.forms_data")
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))
