"""Cases screens."""
