"""Problems met while reading: a file (or part of one) that could not be read or understood.
Each becomes an HDS-PARSE finding: a file hdslint cannot read is a file it cannot vouch for."""
from __future__ import annotations

from dataclasses import dataclass

from hdslint.i18n import Text


@dataclass
class Problem:
    """A file (or part of one) that could not be read or understood."""

    file: str
    line: int
    message: Text


# A bug met while analysing part of the scan, reported (HDS-PARSE-005) rather than raised:
# (file, line, what was being analysed, the error).
InternalError = tuple[str, int, Text, Text]
