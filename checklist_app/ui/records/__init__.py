"""Records screens."""
