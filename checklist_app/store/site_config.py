"""The site settings file IT pushes (TOML in the platform's site config folder): database URL and site options."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from .errors import StoreError

APP_NAME = "checklist-app"
FILE_NAME = "site.toml"
ENV_VAR = "CHECKLIST_SITE_CONFIG"  # another file instead of the site config folder's (tests, a second ward)
MAX_BYTES = 64 * 1024

# Every option the file may hold, with its type: a misspelt key is an error, not a silently ignored line.
_OPTIONS: dict[str, dict[str, type]] = {
    "database": {"url": str},
    "site": {"name": str, "idle_lock_minutes": float},
}


class SiteConfigError(StoreError):
    """The site settings file cannot be used; the message names FILE:LINE."""


@dataclass(frozen=True)
class SiteConfig:
    path: Path | None = None  # the file read, None when there is none
    database_url: str = ""
    options: dict[str, Any] = field(default_factory=dict)


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    """$CHECKLIST_SITE_CONFIG, else site.toml in the platform's site config folder (e.g. /etc/xdg/checklist-app,
    C:\\ProgramData\\checklist-app)."""
    env = os.environ if environ is None else environ
    chosen = env.get(ENV_VAR, "").strip()
    if chosen:
        return Path(chosen)
    return Path(platformdirs.site_config_dir(APP_NAME, appauthor=False)) / FILE_NAME


def _line_of(text: str, section: str, key: str | None) -> int:
    """The line a section (or a key inside it) is on, for the error message; 1 when it cannot be found."""
    in_section = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        header = re.fullmatch(r"\[\s*([^\]]+?)\s*\]", stripped)
        if header:
            in_section = header.group(1) == section
            if in_section and key is None:
                return number
        elif in_section and key is not None and re.match(rf"{re.escape(key)}\s*=", stripped):
            return number
    return 1


def load_site_config(environ: Mapping[str, str] | None = None) -> SiteConfig:
    """The site settings; an absent file is no settings, a bad one a SiteConfigError naming FILE:LINE."""
    path = config_path(environ)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return SiteConfig()
    except OSError as exc:
        raise SiteConfigError(f"{path}:1: cannot read the site settings: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise SiteConfigError(f"{path}:1: the site settings file is over {MAX_BYTES // 1024} KiB")
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise SiteConfigError(f"{path}:1: the site settings file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib says "… (at line 3, column 7)"; put the line where editors and people look for it.
        match = re.search(r"\(at line (\d+), column \d+\)$", str(exc))
        line = match.group(1) if match else "1"
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)$", "", str(exc))
        raise SiteConfigError(f"{path}:{line}: not valid TOML: {message}") from None
    options: dict[str, Any] = {}
    for section, values in data.items():
        known = _OPTIONS.get(section)
        if known is None or not isinstance(values, dict):
            raise SiteConfigError(
                f"{path}:{_line_of(text, section, None)}: unknown section [{section}]; "
                f"the sections are {', '.join(f'[{s}]' for s in _OPTIONS)}"
            )
        for key, value in values.items():
            kind = known.get(key)
            line = _line_of(text, section, key)
            if kind is None:
                raise SiteConfigError(
                    f"{path}:{line}: unknown option {key!r} in [{section}]; the options are {', '.join(known)}"
                )
            if kind is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if not isinstance(value, kind) or isinstance(value, bool):
                raise SiteConfigError(
                    f"{path}:{line}: {section}.{key} must be a {'number' if kind is float else 'string'}"
                )
            options[f"{section}.{key}"] = value
    return SiteConfig(path=path, database_url=str(options.pop("database.url", "")).strip(), options=options)
