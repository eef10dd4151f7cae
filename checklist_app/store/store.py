"""The Store: one database (SQLite file or PostgreSQL) with its repositories, migrated on open."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from .audit import AuditLog
from .connection import Clock, Database, create_store_engine, resolve_url, upgrade, utc_now
from .errors import StoreUnavailableError
from .forms import FormRepository
from .patients import PatientRepository
from .readiness_report import ReadinessReport
from .record_out import OutboxRepository, SiteCrlRepository
from .record_writes import RecordRepository
from .schedule import ScheduleRepository
from .users import UserRepository


class Store:
    """Entry point for services and the CLI: `Store.open(url)` then `.records`, `.users`, `.audit`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.audit = AuditLog(db)
        self.records = RecordRepository(db, self.audit)
        self.users = UserRepository(db, self.audit)
        self.forms = FormRepository(db)
        self.patients = PatientRepository(db, self.audit)
        self.schedule = ScheduleRepository(db, self.audit, self.records)
        self.crls = SiteCrlRepository(db, self.audit)
        self.outbox = OutboxRepository(db)
        self.reports = ReadinessReport(db)

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        migrate: bool = True,
        clock: Clock = utc_now,
        busy_timeout_s: float = 3.0,
        retries: int = 2,
        retry_delay_s: float = 0.25,
        connect_timeout_s: int = 5,
    ) -> Store:
        """Open (creating and migrating to the newest schema) the database named by `url`, else by
        $CHECKLIST_DB, else the SQLite file in the user's data directory."""
        engine = create_store_engine(
            resolve_url(url, environ), busy_timeout_s=busy_timeout_s, connect_timeout_s=connect_timeout_s
        )
        db = Database(engine, clock=clock, retries=retries, retry_delay_s=retry_delay_s)
        try:
            if migrate:
                upgrade(engine)
            else:
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
        except DBAPIError as exc:
            engine.dispose()
            raise StoreUnavailableError(
                f"Cannot open {db.where}: {str(exc.orig).strip().splitlines()[0] if exc.orig else exc}. "
                "Check the address and that the database server is running, then try again."
            ) from exc
        except BaseException:
            engine.dispose()
            raise
        return cls(db)

    @property
    def url_display(self) -> str:
        """The database URL without the password, for title bars and `--debug` output."""
        return self.db.url_display

    @property
    def dialect(self) -> str:
        return self.db.dialect

    def close(self) -> None:
        self.db.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
