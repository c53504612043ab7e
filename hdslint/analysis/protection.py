"""Encryption and backup verdicts from the per-type facts (policies/terraform, sections
`encryption` and `backup`), joining companion resources across files and modules.

A verdict is decided in this order: a `disable` test that holds (off, explicitly); an
`enable` test that holds (on, explicitly); a companion resource that refers to this one
(aws_s3_bucket_server_side_encryption_configuration for a bucket, aws_backup_selection for
a database); else the provider's default, which the verdict names. A value hdslint cannot
resolve makes the verdict unknown, never a pass.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from hdslint.analysis import conditions
from hdslint.i18n import _

DEFAULT_WORDS = {"on": "on by default", "off": "off by default", "always": "always on", "unknown": "unknown"}


@dataclass
class Verdict:
    state: str  # on, off, unknown
    how: str  # explicit, companion, default, always
    detail: str  # what was found, e.g. 'storage_encrypted = false'
    line: int | None = None
    companions: list = field(default_factory=list)
    cmk: bool | None = None
    source: str = ""
    note: str = ""


class Companions:
    """Finds the resources that refer to a resource (by reference, or by the same name)."""

    def __init__(self, resources: list):
        self.by_type: dict = {}
        for r in resources:
            self.by_type.setdefault(r.type, []).append(r)
        self._cache: dict = {}

    def of(self, res, spec: dict) -> list:
        key = (res.address, tuple(spec["types"]), spec.get("reference"), spec.get("via"))
        if key in self._cache:
            return self._cache[key]
        if "via" in spec:
            self._cache[key] = self._via(res, spec)
            return self._cache[key]
        names = set()
        for attr in (spec["reference"], "name", "bucket", "identifier", "cluster_identifier"):
            for v in res.values(attr):
                if isinstance(v.value, str) and v.value:
                    names.add(str(v.value))
        found = []
        for t in spec["types"]:
            for c in self.by_type.get(t, []):
                if c is res or c.root != res.root:
                    continue
                if res.base_address in c.references(spec["reference"]) or any(
                        isinstance(v.value, str) and str(v.value) in names for v in c.values(spec["reference"])):
                    if conditions.all_hold(c, spec.get("when", [])) is not False:
                        found.append(c)
        self._cache[key] = found
        return found

    def _via(self, res, spec: dict) -> list:
        """Companions this resource points at through spec['via'] (by reference or by name)."""
        targets = res.references(spec["via"])
        names = {str(v.value) for v in res.values(spec["via"]) if isinstance(v.value, str)}
        found = []
        for t in spec["types"]:
            for c in self.by_type.get(t, []):
                if c.root != res.root:
                    continue
                if c.base_address in targets or any(isinstance(v.value, str) and v.value in names
                                                    for v in c.values("name")):
                    if conditions.all_hold(c, spec.get("when", [])) is True:
                        found.append(c)
        return found


def decide(res, side: dict, companions: Companions) -> Verdict | None:
    """The verdict of one `encryption.at_rest`, `encryption.in_transit` or `backup` fact."""
    default = side["default"]
    if default == "none":
        return None
    source, note = side.get("source", ""), side.get("note", "")
    verdict = None
    unknown = None
    disabled, found, test = conditions.any_holds(res, side.get("disable", []))
    if disabled is True:
        verdict = Verdict("off", "explicit", found, conditions.line_of(res, test), source=source, note=note)
    elif disabled is None:
        unknown = found
    set_but_not_enabling, set_line = "", None
    if verdict is None:
        enabled, found, test = conditions.any_holds(res, side.get("enable", []))
        if enabled is True:
            verdict = Verdict("on", "explicit", found, conditions.line_of(res, test), source=source, note=note)
        elif enabled is None and unknown is None:
            unknown = found
        elif enabled is False:
            set_but_not_enabling = found
            set_line = conditions.line_of(res, test) if test else None
    comps = []
    for spec in side.get("companions", []):
        comps.extend(companions.of(res, spec))
    if verdict is None and comps:
        by = ", ".join(c.address for c in comps)
        verdict = Verdict("on", "companion", _("set by {companions}", companions=by), None, comps,
                          source=source, note=note)
    if verdict is None and default == "always":
        verdict = Verdict("on", "always", _("always on for this service"), None, source=source, note=note)
    if verdict is None and unknown is not None and default != "on":
        verdict = Verdict("unknown", "explicit", unknown, None, source=source, note=note)
    if verdict is None:
        state = {"on": "on", "off": "off"}.get(default, "unknown")
        detail = (_("{found}, which does not turn it on, and {default_is}", found=set_but_not_enabling,
                    default_is=_default_is(default))
                  if set_but_not_enabling else _default_detail(side, default))
        verdict = Verdict(state, "default", detail, set_line, source=source, note=note)
    verdict.companions = verdict.companions or comps
    if side.get("cmk"):
        cmk, _found, _test = conditions.any_holds(res, side["cmk"])
        for c in comps:
            if cmk is not True:
                c_cmk, _found, _test = conditions.any_holds(c, side["cmk"])
                cmk = True if c_cmk is True else cmk
        verdict.cmk = cmk
    return verdict


def _default_is(default: str) -> str:
    """'the provider's default is off', in the language of the scan."""
    if default == "off":
        return _("the provider's default is off")
    if default == "on":
        return _("the provider's default is on")
    if default == "unknown":
        return _("the provider's default is unknown")
    return _("the provider's default is {default}", default=default)


def _default_detail(side: dict, default: str) -> str:
    attrs = [t["attribute"] for t in side.get("enable", []) or side.get("disable", [])]
    if attrs:
        return _("{attributes} not set, and {default_is}", attributes=" / ".join(dict.fromkeys(attrs)),
                 default_is=_default_is(default))
    note = side.get("note", "").split(". ")[0].rstrip(".")  # from policies/: stays as written
    return (_("nothing in the resource sets it and {default_is}", default_is=_default_is(default))
            + (f" ({note})" if note else ""))


def retention(res, backup: dict):
    """(days or None, line, unknown reason, value as written) of a backup retention."""
    spec = backup.get("retention")
    if not spec or spec.get("unit") not in ("days", "duration"):
        return None, None, None, None
    if spec.get("attribute"):
        for v in res.values(spec["attribute"]):
            if v.value is None:
                continue
            from hdslint.model.values import Unknown

            if isinstance(v.value, Unknown):
                return None, v.line, v.value.reason, None
            days = duration_days(v.value) if spec["unit"] == "duration" else _number(v.value)
            if days is None:
                return (None, v.line, _("{attribute} = {value} is not a duration hdslint reads",
                                        attribute=spec["attribute"], value=repr(v.value)), v.value)
            return days, v.line, None, v.value
    return spec.get("default"), None, None, None


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def duration_days(value) -> float | None:
    """Days in a duration: 720h0m0s (Go, Velero), 30d / 4w / 3m (CloudNativePG: m is a month)."""
    import re

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    m = re.fullmatch(r"([1-9][0-9]*)([dwm])", text)
    if m:
        return float(m.group(1)) * {"d": 1, "w": 7, "m": 30}[m.group(2)]
    parts = re.findall(r"([0-9.]+)(h|m|s)", text)
    if parts and "".join(n + u for n, u in parts) == text:
        seconds = sum(float(n) * {"h": 3600, "m": 60, "s": 1}[u] for n, u in parts)
        return seconds / 86400
    return None


def site(res, backup: dict) -> tuple:
    """(site, reason) where the provider keeps the copies relative to the data."""
    for entry in backup.get("site_when", []):
        if conditions.all_hold(res, entry["tests"]) is True:
            found = ", ".join(conditions.run(res, t)[1] for t in entry["tests"])
            return entry["site"], found
    return backup.get("site", "unknown"), _("the provider's documented default")
