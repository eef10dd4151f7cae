"""Accounts screens."""
