"""Checklist screens."""
