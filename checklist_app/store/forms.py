"""Form definitions kept by content hash: the exact form every record was made with."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import Connection, insert, select

from checklist_app.domain.forms import FormDefinition

from .connection import Database
from .tables import form_definitions


class FormRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def save(self, form: FormDefinition) -> None:
        """Keep this form under its hash (once; the same hash is the same form)."""
        definition = json.dumps(
            form.model_dump(mode="json", by_alias=True), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )

        def tx(conn: Connection) -> None:
            found = conn.execute(
                select(form_definitions.c.form_hash).where(form_definitions.c.form_hash == form.content_hash)
            ).first()
            if found is None:
                conn.execute(
                    insert(form_definitions).values(
                        form_hash=form.content_hash,
                        form_id=form.id,
                        form_version=form.version,
                        definition_json=definition,
                        created_at=self._db.now(),
                    )
                )

        self._db.write(tx)

    def get(self, form_hash: str) -> FormDefinition | None:
        """The form stored under this hash, checked against it; None when this database never saw it."""
        text = self._db.read(
            lambda conn: conn.execute(
                select(form_definitions.c.definition_json).where(form_definitions.c.form_hash == form_hash)
            ).scalar()
        )
        if text is None:
            return None
        form = FormDefinition.model_validate_json(text)
        if form.content_hash != form_hash:
            # The JSON was edited behind the triggers: never judge a record by a form it was not made with.
            raise ValueError(
                f"stored form {form_hash[:12]} does not match its hash "
                f"(sha256 of the stored text {hashlib.sha256(text.encode()).hexdigest()[:12]})"
            )
        return form
