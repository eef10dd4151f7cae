"""The start-up shortcuts found by the benchmarks agree with the slow paths they skip."""

from __future__ import annotations

from pathlib import Path

from checklist_app.store import Store
from checklist_app.store.connection import alembic_config, is_at_head, script_head_revision, upgrade


def test_script_head_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    assert script_head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_new_database_is_not_at_head_until_migrated(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'fresh.db'}", migrate=False)
    try:
        assert not is_at_head(store.db.engine)
        upgrade(store.db.engine)
        assert is_at_head(store.db.engine)
        upgrade(store.db.engine)  # the shortcut: nothing to do, nothing fails
    finally:
        store.close()


def test_database_behind_the_scripts_is_migrated(tmp_path: Path) -> None:
    from checklist_app.store.connection import current_revision

    store = Store.open(f"sqlite:///{tmp_path / 'old.db'}", migrate=False)
    try:
        upgrade(store.db.engine, "0001_initial")
        assert not is_at_head(store.db.engine)
        upgrade(store.db.engine)
        assert current_revision(store.db.engine) == script_head_revision()
    finally:
        store.close()


def test_libyaml_reads_the_shipped_form_as_pure_python_yaml_does() -> None:
    import yaml

    from checklist_app.domain.formparse import _compose_and_load

    text = (Path(__file__).resolve().parent.parent / "forms" / "fluoro-spine-injection.yaml").read_text("utf-8")
    root, data = _compose_and_load(text)
    assert data == yaml.safe_load(text)
    slow_root = yaml.compose(text, Loader=yaml.SafeLoader)
    assert root is not None and slow_root is not None
    assert [(k.value, k.start_mark.line) for k, _ in root.value] == [
        (k.value, k.start_mark.line) for k, _ in slow_root.value]
