"""PySide6 desktop UI; talks only to services."""

# The services (SQLAlchemy, pydantic) are imported before Qt on purpose: once PySide6 is loaded it reads
# the source of every module imported after it (to look for "PySide6"), ~60 ms of CPU at start-up for
# this stack (bench/RESULTS.md, startup).
from ..services import app as _services_app  # noqa: F401
