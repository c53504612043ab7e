"""Text into trees that keep their line numbers: HCL, JSON and YAML read safely, text decoding,
and the time budget of one file. Nothing here knows what the files mean."""
