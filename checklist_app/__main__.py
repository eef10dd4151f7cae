"""`python -m checklist_app` runs the same command line as `checklist-app`."""

import sys

from .cli import main

sys.exit(main())
