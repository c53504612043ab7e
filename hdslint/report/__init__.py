"""Renderers: one module per output format, all from the same ScanResult."""
from __future__ import annotations

FORMATS = ("text", "json")


def render(fmt: str, result, options) -> str:
    if fmt == "json":
        from hdslint.report import json_report

        return json_report.render(result, options)
    from hdslint.report import text

    return text.render(result, options)
