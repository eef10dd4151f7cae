"""Shell screens."""
