"""The bundle's entry point: the same command line as `checklist-app` (no subcommand: the desktop app)."""

import sys

from checklist_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
