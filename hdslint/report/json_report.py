"""--format json: the contract of design.md, plus resources and resolution chains."""
from __future__ import annotations

from typing import TYPE_CHECKING

from hdslint import __version__
from hdslint.report import declared, jsontext
from hdslint.report.ledger import ledger
from hdslint.report.open_items import open_items
from hdslint.report.summary import summary
from hdslint.report.transfers import as_dicts

if TYPE_CHECKING:
    from hdslint.report import RenderOptions
    from hdslint.rules.context import ScanResult


def render(result: ScanResult, options: RenderOptions) -> str:
    resources = []
    rows = ledger(result)
    for r in result.context.resources:
        entry = {"address": r.address, "type": r.type, "file": r.file, "line": r.line,
                 "provider": r.provider_address or r.provider, "data": r.data_role}
        if r.root not in ("", "."):
            entry["root"] = r.root
        if r.data_role != "none":
            entry["locations"] = [
                {"role": p.role, "region": p.region.code, "countries": list(p.region.countries),
                 "eea": p.region.eea, "resolution": [h.as_dict() for h in p.hops]}
                for p in r.location.places
            ] + [
                {"role": u.role, "region": None, "undetermined": str(u.reason),
                 "resolution": [h.as_dict() for h in u.hops]}
                for u in r.location.undetermined
            ]
        if id(r) in rows:
            entry["verdicts"] = {prop: e.as_dict() for prop, e in rows[id(r)].items()}
        resources.append(entry)
    doc = {
        "schema_version": 1,
        "tool": {"name": "hdslint", "version": __version__},
        "scan": {**{k: v for k, v in result.trace.items() if k != "paths"}, "paths": result.trace.get("paths", []),
                 "date": result.context.today.isoformat(), "config": result.context.config.source},
        "findings": [f.as_dict() for f in result.findings],
        "coverage": declared.coverage(result.context),
        "resources": resources,
        "transfers": as_dicts(result.context.transfers),
        "open_items": [item.as_dict() for item in open_items(result.context, result.findings)],
        "summary": summary(result, options.fail_on, rows),
    }
    return jsontext.dumps(doc) + "\n"
