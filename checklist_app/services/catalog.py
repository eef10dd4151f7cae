"""Where forms come from: a file path, a site forms folder (CHECKLIST_FORMS_DIR), or the shipped forms.

Earlier versions of a form live in a `previous/` folder beside it as `ID-VERSION.yaml`: the records made
with them keep being judged by them (`ID@VERSION` names one).
"""

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


def _folders() -> list[Path]:
    site = os.environ.get("CHECKLIST_FORMS_DIR")
    return ([Path(site)] if site else []) + [Path(str(resources.files("checklist_app.forms_data")))]


def _candidates(form_id: str) -> list[Path]:
    return [folder / f"{form_id}.yaml" for folder in _folders()]


def _all_versions(form_id: str) -> list[Path]:
    """The current files first (site, then shipped), then every earlier version kept beside them."""
    out = _candidates(form_id)
    for folder in _folders():
        previous = folder / "previous"
        if previous.is_dir():
            out += sorted(previous.glob(f"{form_id}-*.yaml"))
    return [p for p in out if p.is_file()]


def find_form(form_id: str, *, version: str | None = None, form_hash: str | None = None) -> FormDefinition | None:
    """The form with this id and content hash (or, with no hash, this version) from the site or shipped files,
    current or previous; None when no file has it."""
    for path in _all_versions(form_id):
        form = _load_cached(str(path), path.stat().st_mtime_ns)
        if form.id != form_id:
            continue
        if form_hash is not None and form.content_hash == form_hash:
            return form
        if form_hash is None and version is not None and form.version == version:
            return form
    return None


def form_for_record(id_or_path: str, form_hash: str | None, form_version: str | None) -> FormDefinition:
    """The form to judge a record by: a path as given; an id by the form version the record pins (so a record
    made with an earlier version is judged by it), else the current one."""
    path = Path(id_or_path)
    if "@" in id_or_path or path.suffix in (".yaml", ".yml") or path.exists():
        return load_form(id_or_path)
    current = load_form(id_or_path)
    if form_hash:
        if form_hash == current.content_hash:
            return current
        pinned = find_form(id_or_path, form_hash=form_hash)
    elif form_version and form_version != current.version:
        pinned = find_form(id_or_path, version=form_version)
    else:
        return current
    if pinned is None:
        made = f"version {form_version}" if form_version else "an unknown version"
        raise ChecklistError(f"the record was made with form {id_or_path} {made}"
                             + (f" ({form_hash[:12]})" if form_hash else "")
                             + ", which is not among the site's or the shipped forms; pass --form PATH")
    return pinned


@lru_cache(maxsize=16)
def _load_cached(path: str, mtime_ns: int) -> FormDefinition:
    return load_form_file(path)


def load_form(id_or_path: str) -> FormDefinition:
    """A form by file path, or by id (`ID@VERSION` for an earlier version) from the site folder first, then
    the shipped forms."""
    form_id, at, version = id_or_path.partition("@")
    if at and "/" not in id_or_path and not id_or_path.endswith((".yaml", ".yml")):
        found = find_form(form_id, version=version)
        if found is None:
            raise ChecklistError(f"no form '{form_id}' at version {version} (looked in the site forms folder and "
                                 "the shipped forms, current and previous)")
        return found
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
