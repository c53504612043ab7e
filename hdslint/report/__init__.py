"""Renderers: one module per output format, all from the same ScanResult."""
from __future__ import annotations

import importlib
from dataclasses import dataclass

from hdslint.rules.context import ScanResult


@dataclass
class RenderOptions:
    """How the command line asks for a report: the fail threshold, and colours in a terminal."""

    fail_on: str
    color: bool

FORMATS = {
    "text": "text", "json": "json_report", "sarif": "sarif", "junit": "junit", "github": "github",
    "gitlab": "gitlab", "markdown": "markdown", "html": "html",
}


def render(fmt: str, result: ScanResult, options: RenderOptions) -> str:
    """The report, in the language the scan was made in (config.lang)."""
    from hdslint import i18n

    with i18n.using(result.context.config.lang):
        return importlib.import_module(f"hdslint.report.{FORMATS[fmt]}").render(result, options)
