"""Pre-procedure readiness checklist for fluoroscopically guided spine injections."""

__version__ = "0.1.0"
