"""Encryption rules: at rest and in transit, knowing each provider's defaults."""
