"""The charge nurse's dashboard: why cases are not ready (issue 16)."""
