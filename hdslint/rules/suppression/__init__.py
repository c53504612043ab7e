"""Suppression rules."""
