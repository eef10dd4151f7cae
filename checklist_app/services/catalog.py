"""Where forms come from: a file path, a site forms folder (CHECKLIST_FORMS_DIR), or the shipped forms.

Earlier versions of a form live in a `previous/` folder beside it as `ID-VERSION.yaml`: the records made
with them keep being judged by them (`ID@VERSION` names one).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..domain import limits
from ..domain.errors import ChecklistError, FormError
from ..domain.formparse import parse_form
from ..domain.forms import FormDefinition

DEFAULT_FORM_ID = "fluoro-spine-injection"


def load_form_file(path: str | Path) -> FormDefinition:
    """Read and check one form file; FormError names the file and line of each problem."""
    path = Path(path)
    try:
        with path.open("rb") as handle:  # bounded: a site form or a path given may be /dev/zero
            data = handle.read(limits.FORM_FILE_BYTES + 1)
        if len(data) > limits.FORM_FILE_BYTES:
            raise FormError([(None, f"the form is larger than {limits.FORM_FILE_BYTES // limits.KIB} KiB")], str(path))
        text = data.decode("utf-8")
    except FileNotFoundError:
        raise FormError([(None, "file not found")], str(path)) from None
    except UnicodeDecodeError as exc:
        raise FormError([(None, f"not UTF-8 text ({exc.reason} at byte {exc.start})")], str(path)) from None
    except OSError as exc:
        raise FormError([(None, f"cannot read: {exc.strerror}")], str(path)) from None
    return parse_form(text, str(path))


_FORM_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")


def _site_folder() -> Path | None:
    """CHECKLIST_FORMS_DIR, which must be an absolute path: a relative one would be read from wherever the app
    was started, and a file dropped there must never replace a form (issue 10, finding 6)."""
    site = os.environ.get("CHECKLIST_FORMS_DIR", "").strip()
    if not site:
        return None
    folder = Path(site)
    if not folder.is_absolute():
        raise ChecklistError(
            "CHECKLIST_FORMS_DIR must be an absolute path (forms are never read from the working directory)"
        )
    return folder


def _shipped_folder() -> Path:
    return Path(str(resources.files("checklist_app.forms_data")))


def _shipped_path(form_id: str) -> Path:
    return _shipped_folder() / f"{form_id}.yaml"


def _folders() -> list[Path]:
    site = _site_folder()
    return ([site] if site else []) + [_shipped_folder()]


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
    if not _FORM_ID.fullmatch(form_id):
        return None
    for path in _all_versions(form_id):
        form = _load(path)
        if form.id != form_id:
            continue
        if form_hash is not None and form.content_hash == form_hash:
            return form
        if form_hash is None and version is not None and form.version == version:
            return form
    return None


def _looks_like_path(id_or_path: str) -> bool:
    return Path(id_or_path).suffix in (".yaml", ".yml") or os.sep in id_or_path or "/" in id_or_path


def form_for_record(id_or_path: str, form_hash: str | None, form_version: str | None) -> FormDefinition:
    """The form to judge a record by: a path as given (the person at the command line chose it); an id by the
    form version the record pins (so a record made with an earlier version is judged by it), else the current one."""
    if "@" in id_or_path or _looks_like_path(id_or_path):
        return load_form_arg(id_or_path)
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
        raise ChecklistError(
            f"the record was made with form {id_or_path} {made}"
            + (f" ({form_hash[:12]})" if form_hash else "")
            + ", which is not among the site's or the shipped forms; pass --form PATH"
        )
    return pinned


@lru_cache(maxsize=16)
def _load_cached(path: str, mtime_ns: int) -> FormDefinition:
    return load_form_file(path)


def _load(path: Path) -> FormDefinition:
    return _load_cached(str(path), path.stat().st_mtime_ns)


def load_form(form_id: str) -> FormDefinition:
    """A form by id (`ID@VERSION` for an earlier version): from the site folder (CHECKLIST_FORMS_DIR) first, then
    the shipped forms, current and previous. Never a path, so a file in the working directory (or a record's
    "form" naming one) can never stand in for a form."""
    form_id, at, version = form_id.partition("@")
    if not _FORM_ID.fullmatch(form_id):
        raise ChecklistError("a form id has lower-case letters, digits, dots, dashes or underscores")
    if at:
        found = find_form(form_id, version=version)
        if found is None:
            raise ChecklistError(
                f"no form '{form_id}' at version {version} (looked in the site forms folder and "
                "the shipped forms, current and previous)"
            )
        return found
    for candidate in _candidates(form_id):
        if candidate.is_file():
            return _load(candidate)
    raise ChecklistError(f"no form with id '{form_id}' (looked in the site forms folder and the shipped forms)")


def load_form_arg(id_or_path: str) -> FormDefinition:
    """`evaluate --form PATH_OR_ID`: a path when it looks like one (a .yaml/.yml name or a folder in it), which the
    person at the command line chose explicitly; anything else is a form id (load_form)."""
    if _looks_like_path(id_or_path):
        path = Path(id_or_path)
        return _load(path) if path.is_file() else load_form_file(path)
    return load_form(id_or_path)


def site_form_note(form: FormDefinition) -> str | None:
    """How a form differs from the shipped one of the same id, for the checklist and the PDF; None when it is the
    shipped form itself. A site form is legitimate (local codes, stricter rules) but must never pass unseen."""
    shipped = _shipped_path(form.id)
    if not shipped.is_file():
        return f"Site form {form.id} v{form.version} (hash {form.content_hash[:12]}), not a shipped form"
    original = _load(shipped)
    if original.content_hash == form.content_hash:
        return None
    return (
        f"Site form {form.id} v{form.version} (hash {form.content_hash[:12]}) differs from the shipped "
        f"v{original.version} (hash {original.content_hash[:12]})"
    )


def shipped_form_ids() -> list[str]:
    folder = resources.files("checklist_app.forms_data")
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))
