"""Words come last: the findings' messages, remediations and bases, kept as Msgs (templates and
values) by the rules, are written in the reader's language once the scan is over."""
from __future__ import annotations

import dataclasses

from hdslint import i18n
from hdslint.i18n import Msg
from hdslint.model import Finding


def written(findings: list[Finding], lang: str) -> list[Finding]:
    """The findings with their texts written in lang."""
    with i18n.using(lang):
        return [dataclasses.replace(
            f, message=str(f.message), remediation=str(f.remediation), basis=str(f.basis),
            suppression={k: str(v) if isinstance(v, Msg) else v for k, v in f.suppression.items()}
            if f.suppression else f.suppression) for f in findings]
