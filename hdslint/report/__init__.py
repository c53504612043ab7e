"""Renderers: one module per output format, all from the same ScanResult."""
from __future__ import annotations

import importlib

FORMATS = {
    "text": "text", "json": "json_report", "sarif": "sarif", "junit": "junit", "github": "github",
    "gitlab": "gitlab", "markdown": "markdown",
}


def render(fmt: str, result, options) -> str:
    return importlib.import_module(f"hdslint.report.{FORMATS[fmt]}").render(result, options)
