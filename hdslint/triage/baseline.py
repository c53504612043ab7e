"""Baselines: findings a team accepts as they are today, keyed by fingerprint (rule, resource
or file, attribute) so that moving code around does not bring them back."""
from __future__ import annotations

import datetime as dt
import json

from hdslint import __version__
from hdslint.config import ConfigError


def write(path: str, result) -> int:
    entries = [
        {"fingerprint": f.fingerprint, "rule_id": f.rule_id, "resource": f.resource, "file": f.file,
         "attribute": f.attribute, "message": f.message}
        for f in result.findings if not f.suppressed
    ]
    doc = {"hdslint_baseline": 1, "tool_version": __version__, "created": dt.date.today().isoformat(),
           "findings": entries}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return len(entries)


def load(path: str) -> dict:
    """fingerprint -> entry."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise ConfigError(f"{path}: cannot read the baseline: {e}") from None
    if not isinstance(doc, dict) or doc.get("hdslint_baseline") != 1 or not isinstance(doc.get("findings"), list):
        raise ConfigError(f"{path}: not an hdslint baseline (expected hdslint_baseline: 1 and a findings list)")
    return {e["fingerprint"]: e for e in doc["findings"] if isinstance(e, dict) and "fingerprint" in e}
