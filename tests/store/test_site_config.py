"""The site settings file: where it is, what it may hold, its place below --db and CHECKLIST_DB, and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklist_app.store.connection import resolve_url
from checklist_app.store.site_config import SiteConfigError, config_path, load_site_config


def _site(tmp_path: Path, text: str) -> dict[str, str]:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return {"CHECKLIST_SITE_CONFIG": str(path)}


def test_the_file_lives_in_the_platforms_site_config_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "xdg"))
    assert config_path({}) == tmp_path / "xdg" / "checklist-app" / "site.toml"


def test_no_file_is_no_settings(tmp_path: Path) -> None:
    config = load_site_config({"CHECKLIST_SITE_CONFIG": str(tmp_path / "absent.toml")})
    assert config.path is None and config.database_url == "" and config.options == {}


def test_the_sites_database_comes_below_db_and_checklist_db(tmp_path: Path) -> None:
    env = _site(
        tmp_path,
        '[database]\nurl = "postgresql+psycopg://ward@db.example/checklists"\n'
        '[site]\nname = "Day surgery"\nidle_lock_minutes = 5\n',
    )
    assert resolve_url(None, env) == "postgresql+psycopg://ward@db.example/checklists"
    assert resolve_url(None, {**env, "CHECKLIST_DB": "sqlite:///env.db"}) == "sqlite:///env.db"
    assert resolve_url("sqlite:///flag.db", {**env, "CHECKLIST_DB": "sqlite:///env.db"}) == "sqlite:///flag.db"
    assert load_site_config(env).options == {"site.name": "Day surgery", "site.idle_lock_minutes": 5.0}


def test_the_idle_lock_takes_the_sites_minutes_unless_the_environment_says(tmp_path: Path) -> None:
    from checklist_app.ui.shell.idle_lock import idle_minutes

    env = _site(tmp_path, "[site]\nidle_lock_minutes = 3\n")
    assert idle_minutes(env) == 3.0
    assert idle_minutes({**env, "CHECKLIST_IDLE_MINUTES": "7"}) == 7.0


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[database]\nurl = "sqlite:///x.db\n', 2, "not valid TOML"),
        ('[site]\nname = "A"\nidle_lock_minuts = 5\n', 3, "unknown option 'idle_lock_minuts'"),
        ('# comment\n[printer]\nqueue = "x"\n', 2, "unknown section [printer]"),
        ("[database]\n\nurl = 5\n", 3, "database.url must be a string"),
    ],
)
def test_a_bad_file_is_one_line_naming_file_and_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    env = _site(tmp_path, text)
    with pytest.raises(SiteConfigError) as caught:
        load_site_config(env)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'site.toml'}:{line}: ") and words in message and "\n" not in message


def test_the_command_line_says_the_bad_line_and_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from checklist_app.cli import main

    for key, value in _site(tmp_path, "[database]\nurl = 5\n").items():
        monkeypatch.setenv(key, value)
    assert main(["records", "list"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"checklist-app: {tmp_path / 'site.toml'}:2: database.url must be a string"
