"""Parse rules."""
