"""PySide6 desktop UI; talks only to services."""

# Nothing is imported here: the login window is shown before the services (SQLAlchemy, pydantic) are
# imported, and they are then loaded on a worker thread (ui/shell/app.py; bench/RESULTS.md, startup).
