"""Backup rules: backups exist, on a separate site, inside the EEA, kept long enough."""
