"""Exposure rules: secrets written in the code, health data copied to review environments."""
