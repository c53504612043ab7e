"""Encryption and backup verdicts from the per-type facts (policies/terraform, sections
`encryption` and `backup`), joining companion resources across files and modules.

A verdict is decided in this order: a `disable` test that holds (off, explicitly); an
`enable` test that holds (on, explicitly); a companion resource that refers to this one
(aws_s3_bucket_server_side_encryption_configuration for a bucket, aws_backup_selection for
a database); else the provider's default, which the verdict names. A value hdslint cannot
resolve makes the verdict unknown, never a pass.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from hdslint.analysis import conditions
from hdslint.analysis.conditions import Found, Test
from hdslint.i18n import Msg, Text, _, join
from hdslint.model import Resource
from hdslint.model.values import Unknown

Fact = dict[str, Any]  # one `encryption.at_rest`, `encryption.in_transit` or `backup` fact of policies/


@dataclass
class Verdict:
    """How a property of a resource was decided, as data: the state, how it was decided, what
    was read (found), the companions that count, the fact's default, source and note. `detail`
    says it in words, when it is shown."""

    state: str  # on, off, unknown
    how: str  # explicit, companion, default, always, inherited
    found: tuple[Found, ...] = ()  # the attribute tests that decided (explicit) or that were read
    line: int | None = None
    companions: list[Resource] = field(default_factory=list)
    cmk: bool | None = None
    default: str = ""  # the fact's default: on, off, always, unknown
    unset: tuple[str, ...] = ()  # how: default: the attributes that would decide, not set
    source: str = ""
    note: str = ""
    reason: Text | None = None  # a verdict not drawn from attribute tests says why in words
    fix: Text | None = None  # how to turn it on, when the analysis that decided knows (hdslint.analysis.fixes)
    cause: str = ""  # an unknown shared by many objects (a StorageClass not in the scan): one finding for all

    @property
    def detail(self) -> Text:
        """What was found, e.g. 'storage_encrypted = false, which does not turn it on, and the
        provider's default is off'."""
        if self.reason is not None:
            return self.reason
        found = join((f.words() for f in self.found), "; ")
        if self.how == "companion":
            return _("set by {companions}", companions=", ".join(c.address for c in self.companions))
        if self.how == "always":
            return _("always on for this service")
        if self.how == "default":
            if self.found:
                return _("{found}, which does not turn it on, and {default_is}", found=found,
                         default_is=default_is(self.default))
            if self.unset:
                return _("{attributes} not set, and {default_is}", attributes=" / ".join(self.unset),
                         default_is=default_is(self.default))
            hint = self.note.split(". ")[0].rstrip(".")  # from policies/: stays as written
            return (_("nothing in the resource sets it and {default_is}", default_is=default_is(self.default))
                    + (f" ({hint})" if hint else ""))
        return found

    @property
    def attribute(self) -> str:
        """The attribute that decided, when one did."""
        return next((f.attribute for f in self.found if f.attribute), "")


class Companions:
    """Finds the resources that refer to a resource (by reference, or by the same name)."""

    def __init__(self, resources: list[Resource]) -> None:
        self.by_type: dict[str, list[Resource]] = {}
        for r in resources:
            self.by_type.setdefault(r.type, []).append(r)
        self._cache: dict[tuple[Any, ...], list[Resource]] = {}

    def of(self, res: Resource, spec: dict[str, Any]) -> list[Resource]:
        key = (res.address, res.root, tuple(spec["types"]), spec.get("reference"), spec.get("via"),
               repr(spec.get("when")))
        if key in self._cache:
            return self._cache[key]
        if "via" in spec:
            self._cache[key] = self._via(res, spec)
            return self._cache[key]
        names = set()
        written = set()  # unresolved expressions the resource names itself with (var.name, local.x)
        for attr in (spec["reference"], "name", "bucket", "identifier", "cluster_identifier"):
            for v in res.values(attr):
                if isinstance(v.value, str) and v.value:
                    names.add(str(v.value))
                elif isinstance(v.value, Unknown) and res.expression(attr):
                    written.add(res.expression(attr))
        found = []
        for t in spec["types"]:
            for c in self.by_type.get(t, []):
                if c is res or c.root != res.root:
                    continue
                refers = res.base_address in c.references(spec["reference"]) or any(
                    isinstance(v.value, str) and str(v.value) in names for v in c.values(spec["reference"])) or (
                    bool(written) and c.expression(spec["reference"]) in written)
                if refers and conditions.all_hold(c, spec.get("when", [])) is not False:
                    found.append(c)
        self._cache[key] = found
        return found

    def _via(self, res: Resource, spec: dict[str, Any]) -> list[Resource]:
        """Companions this resource points at through spec['via'] (by reference or by name)."""
        targets = res.references(spec["via"])
        names = {str(v.value) for v in res.values(spec["via"]) if isinstance(v.value, str)}
        found = []
        for t in spec["types"]:
            for c in self.by_type.get(t, []):
                if c.root != res.root:
                    continue
                pointed = c.base_address in targets or any(isinstance(v.value, str) and v.value in names
                                                           for v in c.values("name"))
                if pointed and conditions.all_hold(c, spec.get("when", [])) is True:
                    found.append(c)
        return found


def decide(res: Resource, side: Fact, companions: Companions) -> Verdict | None:
    """The verdict of one `encryption.at_rest`, `encryption.in_transit` or `backup` fact.

    A verdict is decided in this order: a `disable` test that holds (off, explicitly); an
    `enable` test that holds (on, explicitly); a companion resource that refers to this one;
    else the provider's default. A value hdslint cannot resolve makes the verdict unknown,
    never a pass."""
    default = side["default"]
    if default == "none":
        return None
    base: dict[str, Any] = {"source": side.get("source", ""), "note": side.get("note", ""), "default": default}
    verdict = None
    unknown: tuple[tuple[Found, ...], Test | None] | None = None
    disabled, found, test = conditions.any_holds(res, side.get("disable", []))
    if disabled is True:
        verdict = Verdict("off", "explicit", found, conditions.line_of(res, test), **base)
    elif disabled is None:
        unknown = (found, test)
    set_but_not_enabling: tuple[Found, ...] = ()
    set_line = None
    if verdict is None:
        enabled, found, test = conditions.any_holds(res, side.get("enable", []))
        if enabled is True:
            verdict = Verdict("on", "explicit", found, conditions.line_of(res, test), **base)
        elif enabled is None and unknown is None:
            unknown = (found, test)
        elif enabled is False:
            set_but_not_enabling = found
            set_line = conditions.line_of(res, test) if test else None
    comps: list[Resource] = []
    for spec in side.get("companions", []):
        comps.extend(companions.of(res, spec))
    if verdict is None and comps:
        verdict = Verdict("on", "companion", companions=comps, **base)
    if verdict is None and default == "always":
        verdict = Verdict("on", "always", **base)
    if verdict is None and unknown is not None and default != "on":
        verdict = Verdict("unknown", "explicit", unknown[0], **base)
    if verdict is None:
        state = {"on": "on", "off": "off"}.get(default, "unknown")
        tests = side.get("enable", []) or side.get("disable", [])
        unset = tuple(dict.fromkeys(t["attribute"] for t in tests if "attribute" in t))
        verdict = Verdict(state, "default", set_but_not_enabling, set_line, unset=unset, **base)
    verdict.companions = verdict.companions or comps
    if side.get("cmk"):
        cmk, _found, _test = conditions.any_holds(res, side["cmk"])
        for c in comps:
            if cmk is not True:
                c_cmk, _found, _test = conditions.any_holds(c, side["cmk"])
                cmk = True if c_cmk is True else cmk
        verdict.cmk = cmk
    return verdict


def derivation(res: Resource) -> dict[str, Any] | None:
    """The `derived_from` entry that applies to a resource (a read replica, a restore, a copy):
    its attribute is set and its tests hold."""
    for entry in (res.facts or {}).get("derived_from", []):
        values = [v.value for v in res.values(entry["attribute"]) if _written(v.value)]
        if values and conditions.all_hold(res, entry.get("when", [])) is True:
            return dict(entry)
    return None


def _written(value: object) -> bool:
    """A value the code sets: a plan's 'known after apply' for an attribute the configuration does
    not write (no resolution chain, no resource it comes from) is not one."""
    if isinstance(value, Unknown):
        return bool(value.hops) or value.origin is not None
    return value not in (None, "", False)


def inherited(res: Resource, entry: dict[str, Any], kind: str, own: Verdict | None,
              sources: list[tuple[Resource, Verdict | None]]) -> Verdict | None:
    """The verdict of a property a resource takes from its source: the source's, when the scan
    holds it; else the resource's own when it is on (a key of its own), else unknown."""
    judged = [(s, v) for s, v in sources if v is not None]
    if judged:
        worst = next((p for state in ("off", "unknown", "on") for p in judged if p[1].state == state), judged[0])
        source, v = worst
        return Verdict(v.state, "inherited", line=own.line if own else None, companions=[source], cmk=v.cmk,
                       source=entry.get("source", ""), note=entry.get("note", ""),
                       reason=_("{kind_words} of {source}, which it inherits: {detail}", kind_words=_kind_words(entry),
                                source=source.address, detail=v.detail))
    if own is not None and own.state == "on":
        return own
    written = join((v.value.reason if isinstance(v.value, Unknown) else conditions.show(v.value)
                    for v in res.values(entry["attribute"])), ", ")
    return Verdict("unknown", "inherited", source=entry.get("source", ""), note=entry.get("note", ""),
                   reason=_("{kind_words} of {attribute} = {value}, which is not in the scan: judge the source",
                            kind_words=_kind_words(entry), attribute=entry["attribute"], value=written))


def _kind_words(entry: dict[str, Any]) -> Msg:
    if entry["kind"] == "replica":
        return _("a replica")
    if entry["kind"] == "restore":
        return _("restored from a snapshot")
    return _("a copy")


def default_is(default: str) -> Msg:
    """'the provider's default is off', in the language of the report."""
    if default == "off":
        return _("the provider's default is off")
    if default == "on":
        return _("the provider's default is on")
    if default == "unknown":
        return _("the provider's default is unknown")
    return _("the provider's default is {default}", default=default)


def retention(res: Resource, backup: Fact) -> tuple[float | None, int | None, Text | None, object]:
    """(days or None, line, unknown reason, value as written) of a backup retention."""
    spec = backup.get("retention")
    if not spec or spec.get("unit") not in ("days", "duration"):
        return None, None, None, None
    if spec.get("attribute"):
        for v in res.values(spec["attribute"]):
            if v.value is None:
                continue
            if isinstance(v.value, Unknown):
                return None, v.line, v.value.reason, None
            days = duration_days(v.value) if spec["unit"] == "duration" else _number(v.value)
            if days is None:
                return (None, v.line, _("{attribute} = {value} is not a duration hdslint reads",
                                        attribute=spec["attribute"], value=repr(v.value)), v.value)
            return days, v.line, None, v.value
    return spec.get("default"), None, None, None


def _number(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def duration_days(value: object) -> float | None:
    """Days in a duration: 720h0m0s (Go, Velero), 30d / 4w / 3m (CloudNativePG: m is a month)."""
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


def site(res: Resource, backup: Fact) -> tuple[str, Text]:
    """(site, reason) where the provider keeps the copies relative to the data."""
    for entry in backup.get("site_when", []):
        if conditions.all_hold(res, entry["tests"]) is True:
            return entry["site"], join((conditions.run(res, t)[1].words() for t in entry["tests"]), ", ")
    return backup.get("site", "unknown"), _("the provider's documented default")
