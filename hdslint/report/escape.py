"""Text from the scanned code, made inert for each output.

Values written in the scanned repository reach every report: a region, a bucket name, a
variable default, a file name. Each report carries them as text, never as markup, table
cells, terminal escapes or CI workflow commands (a GitHub or GitLab log runs any line that
starts with `::`).
"""
from __future__ import annotations

import re

# Control characters (line breaks included), DEL, C1 controls (CSI 0x9b drives terminals),
# and Unicode's line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: object) -> str:
    """One line of plain text: control characters written as escapes (\\n, \\x1b, \\u2028)."""
    return _CONTROL.sub(_escape, str(text))


def _escape(match: re.Match[str]) -> str:
    c = match.group()
    return _NAMED.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


_MARKDOWN = re.compile(r"([\\`*\[\]|~])")


def markdown(text: object) -> str:
    """Text for a markdown table cell (GitHub, GitLab): no HTML, link, image, code span, bold or
    cell separator from the value; it reads as written. Underscores stay (snake_case names):
    at worst they slant a word."""
    value = visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN.sub(r"\\\1", value)


def markdown_code(text: object) -> str:
    """Text for an inline code span in a markdown table cell: a fence longer than any run of
    backticks inside, and the cell separator escaped (GitHub splits cells before reading spans)."""
    value = visible(text).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


_SARIF_BRACKETS = re.compile(r"(\\(?=[\[\]])|[\[\]])")


def sarif(text: object) -> str:
    """A SARIF message's plain text, where [text](target) is an embedded link (SARIF 2.1.0
    §3.11.6): literal brackets, and backslashes before them, escaped."""
    return _SARIF_BRACKETS.sub(r"\\\1", str(text))
