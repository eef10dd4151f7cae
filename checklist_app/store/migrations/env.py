"""Alembic environment: runs on the connection the store hands over, or on sqlalchemy.url from the CLI."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from checklist_app.store.tables import metadata

config = context.config


def run_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        # The store opened the transaction (and took the migration lock); we run inside it.
        context.configure(connection=connection, target_metadata=metadata, transactional_ddl=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("set sqlalchemy.url (or use the app, which migrates on start)")
    engine = create_engine(url)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=metadata, transactional_ddl=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
