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
from dataclasses import dataclass, field, replace
from typing import Any

from hdslint.analysis import conditions
from hdslint.analysis.conditions import Found, Test
from hdslint.i18n import Msg, Text, _, join
from hdslint.model import Resource, Value
from hdslint.model.values import Unknown, shape

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
    settable: bool = True  # how: default: whether any setting of the code can decide it (enable, companions...)

    @property
    def undocumented(self) -> bool:
        """Unknown, and no setting the code could write decides it: only the provider can say
        (HDS-ENC-007, HDS-BAK-007), so the answer is paperwork, not a change of code."""
        return self.state == "unknown" and self.how == "default" and not self.settable

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


@dataclass
class Joined:
    """The companions of one spec, sorted by what their `when` tests give: holding, unknown (a value
    hdslint cannot read), and, when the join itself cannot be made, why (`unseen`)."""

    holding: list[Resource] = field(default_factory=list)
    unknown: list[tuple[Resource, tuple[Found, ...]]] = field(default_factory=list)
    failing: list[tuple[Resource, tuple[Found, ...]]] = field(default_factory=list)
    unseen: Text | None = None


class Companions:
    """Finds the resources that refer to a resource (by reference, or by the same name), the
    resources it points at (`via`: by reference first, by name only inside its root and only
    when one resource has that name), and the account-wide settings of its root and region
    (`scope: region`)."""

    def __init__(self, resources: list[Resource]) -> None:
        # companions are always looked for in the resource's own root
        self.by_type: dict[tuple[str, str], list[Resource]] = {}
        for r in resources:
            self.by_type.setdefault((r.root, r.type), []).append(r)
        self.by_address: dict[tuple[str, str], list[Resource]] = {}  # (root, base address) -> instances
        for r in resources:
            self.by_address.setdefault((r.root, r.base_address), []).append(r)
        self._cache: dict[tuple[Any, ...], tuple[list[Resource], Text | None]] = {}
        self._inferred: dict[int, dict[str, Inferred]] = {}

    def joined(self, res: Resource, spec: dict[str, Any]) -> tuple[list[Resource], Text | None]:
        """The companions of `res` for one spec, before their `when` tests, and why the join
        cannot be made when it cannot."""
        key = (res.address, res.root, tuple(spec["types"]), spec.get("reference"), spec.get("via"), spec.get("scope"))
        if key not in self._cache:
            if "via" in spec:
                self._cache[key] = self._via(res, spec)
            elif spec.get("scope") == "region":
                self._cache[key] = (self._region(res, spec), None)
            else:
                self._cache[key] = (self._referring(res, spec), None)
        return self._cache[key]

    def join(self, res: Resource, spec: dict[str, Any]) -> Joined:
        """The companions of `res` for one spec, with their `when` tests run."""
        found, unseen = self.joined(res, spec)
        out = Joined(unseen=unseen)
        for c in found:
            held, seen = conditions.holding(c, spec.get("when", []), about=res)
            if held is True:
                out.holding.append(c)
            elif held is None:
                out.unknown.append((c, seen))
            else:
                out.failing.append((c, seen))
        return out

    def _referring(self, res: Resource, spec: dict[str, Any]) -> list[Resource]:
        """Companions whose spec['reference'] attribute names this resource (by reference, by its
        name, or by the same unresolved expression)."""
        candidates = [c for t in spec["types"] for c in self.by_type.get((res.root, t), []) if c is not res]
        if not candidates:  # most resources: no resource of those types in the root, nothing to read
            return []
        names = set()
        written = set()  # unresolved expressions the resource names itself with (var.name, local.x)
        for attr in (spec["reference"], "name", "bucket", "identifier", "cluster_identifier"):
            for v in res.values(attr):
                if isinstance(v.value, str) and v.value:
                    names.add(str(v.value))
                elif isinstance(v.value, Unknown) and res.expression(attr):
                    written.add(res.expression(attr))
        found = []
        for c in candidates:
            if res.base_address in c.references(spec["reference"]) or any(
                    isinstance(v.value, str) and str(v.value) in names for v in c.values(spec["reference"])) or (
                    bool(written) and c.expression(spec["reference"]) in written):
                found.append(c)
        return found

    def _via(self, res: Resource, spec: dict[str, Any]) -> tuple[list[Resource], Text | None]:
        """Companions this resource points at through spec['via']: by reference first; else by
        name inside the root, only when a single resource has that name. When the attribute is
        set but names nothing hdslint sees (and is not a provider default such as
        `default.postgres15`, spec['provider_default']), why the join cannot be made."""
        via = spec["via"]
        targets = res.references(via)
        candidates = [c for t in spec["types"] for c in self.by_type.get((res.root, t), []) if c is not res]
        by_reference = [c for c in candidates if c.base_address in targets]
        if by_reference:
            return by_reference, None
        written = [v.value for v in res.values(via) if v.value is not None]
        names = {str(v) for v in written if isinstance(v, str)}
        by_name = [c for c in candidates
                   if any(isinstance(v.value, str) and v.value in names for v in c.values("name"))]
        if len({c.base_address for c in by_name}) == 1:
            return by_name, None
        if by_name:
            return [], _("{attribute} = {value} names several resources: {addresses}", attribute=via,
                         value=", ".join(sorted(names)),
                         addresses=", ".join(sorted({c.base_address for c in by_name})))
        if not written or "provider_default" not in spec:
            return [], None
        unknown = next((v for v in written if isinstance(v, Unknown)), None)
        if unknown is not None:
            return [], unknown.reason
        if all(re.search(spec["provider_default"], str(v)) for v in written):
            return [], None
        return [], _("{attribute} = {value} names a resource that is not in the scan", attribute=via,
                     value=", ".join(sorted(names)))

    def sources(self, res: Resource, attribute: str) -> list[Resource]:
        """The resources of the root an attribute refers to (a read replica's source); else, when
        the `derived_from` entry of that attribute says how a source is named (`names`: its types
        and the attribute holding its name), the one resource of the root whose name is the value
        written, compared as far as both resolve (replicate_source_db = "db-master", the
        identifier of an instance of the root)."""
        found = [s for a in sorted(res.references(attribute)) for s in self.by_address.get((res.root, a), [])
                 if s is not res]
        names = next((e.get("names") for e in (res.facts or {}).get("derived_from", [])
                      if e["attribute"] == attribute), None)
        if found or not names:
            return found
        wanted = {shape(v.value) for v in res.values(attribute)} - {None, ()}
        if len(wanted) != 1:
            return []
        named = [c for t in names["types"] for c in self.by_type.get((res.root, t), []) if c is not res
                 and any(shape(v.value) in wanted for v in c.values(names["attribute"]))]
        return named if len(named) == 1 else []

    def inferred(self, res: Resource) -> dict[str, Inferred]:
        """The attributes a resource leaves null or unknown that its facts infer (`inferred`): from
        the source it replicates, or from a companion's attribute (a DB parameter group's family
        names the engine and its major version)."""
        key = id(res)
        if key not in self._inferred:
            self._inferred[key] = {}  # a source that would infer from itself stops here
            self._inferred[key] = _infer(res, self)
        return self._inferred[key]

    def _region(self, res: Resource, spec: dict[str, Any]) -> list[Resource]:
        """Account-wide settings of the resource's root declared for the same provider region
        (aws_ebs_encryption_by_default applies to every new volume of the account in its region)."""
        mine = _regions(res)
        found = []
        for t in spec["types"]:
            for c in self.by_type.get((res.root, t), []):
                theirs = _regions(c)
                same_provider = c.provider_address == res.provider_address
                if (mine and mine == theirs) or (not mine and not theirs and same_provider):
                    found.append(c)
        return found


@dataclass(frozen=True)
class Inferred:
    """The value of an attribute the resource does not set, and where it comes from, in words."""

    value: object
    file: str
    line: int | None
    through: Text


def _infer(res: Resource, companions: Companions) -> dict[str, Inferred]:
    out: dict[str, Inferred] = {}
    for entry in (res.facts or {}).get("inferred", []):
        wanted = [a for a in entry["attributes"] if a not in out and not _set(res, a)]
        if not wanted:
            continue
        if "from_source" in entry:
            got = _from_source(res, entry, companions)
        else:
            got = _from_companion(res, entry, companions)
        out.update((a, got[a]) for a in wanted if a in got)
    return out


def _set(res: Resource, attribute: str) -> bool:
    """The resource writes a value hdslint knows for the attribute."""
    values = [v.value for v in res.values(attribute) if v.value is not None]
    return bool(values) and not any(isinstance(v, Unknown) for v in values)


def _from_source(res: Resource, entry: dict[str, Any], companions: Companions) -> dict[str, Inferred]:
    """The attributes as the source the resource replicates has them (its own, or inferred in
    turn), when every instance of the source agrees."""
    sources = companions.sources(res, entry["from_source"])
    out: dict[str, Inferred] = {}
    for attribute in entry["attributes"]:
        seen: list[Inferred] = []
        for source in sources:
            values = [v for v in source.values(attribute) if v.value is not None]
            if values and _set(source, attribute):
                seen.append(Inferred(values[0].value, values[0].file, values[0].line,
                                     _("from {source}, the source it replicates", source=source.address)))
            elif attribute in companions.inferred(source):
                got = companions.inferred(source)[attribute]
                seen.append(Inferred(got.value, got.file, got.line,
                                     _("from {source}, the source it replicates, {through}", source=source.address,
                                       through=got.through)))
            else:
                seen = []
                break
        if seen and len({str(i.value) for i in seen}) == 1:
            out[attribute] = seen[0]
    return out


def _from_companion(res: Resource, entry: dict[str, Any], companions: Companions) -> dict[str, Inferred]:
    """The attributes a companion's attribute names (`pattern`, one named group per attribute),
    when the resource points at one such companion, and the values it sets itself agree."""
    found, _unseen = companions.joined(res, {"types": entry["types"], "via": entry["via"]})
    read = {(str(v.value), v.file, v.line) for c in found for v in c.values(entry["attribute"])
            if isinstance(v.value, str)}
    if len(read) != 1 or len({c.base_address for c in found}) != 1:
        return {}
    (text, file, line), companion = next(iter(read)), found[0]
    match = re.fullmatch(entry["pattern"], text)
    if match is None:
        return {}
    through = _("from {attribute} = {value} of {companion}", attribute=entry["attribute"],
                value=conditions.show(text), companion=companion.address)
    out: dict[str, Inferred] = {}
    for attribute, value in match.groupdict().items():
        if value is None:
            continue
        if _set(res, attribute) and not all(_agree(v.value, value) for v in res.values(attribute)
                                            if v.value is not None):
            return {}  # the resource says otherwise: the companion cannot be read for it
        out[attribute] = Inferred(value, file, line, through)
    return out


def _agree(written: object, named: str) -> bool:
    """A value the resource writes agrees with the one a companion names: the same text, or a
    version within the one named ("17.2" within a family's "17")."""
    order = conditions.version_order(written, named)
    return order == 0 if order is not None else str(written) == named


def _with_inferred(res: Resource, known: dict[str, Inferred]) -> Resource:
    """The resource, its inferred attributes read as if written."""
    def values(path: str) -> list[Value]:
        got = known.get(path)
        return [Value(got.value, got.file, got.line)] if got is not None else res.values(path)

    return replace(res, values=values)


def _traced(found: Found, known: dict[str, Inferred]) -> Found:
    """A Found on an inferred attribute says where the value comes from."""
    got = known.get(found.attribute)
    return replace(found, through=got.through) if got is not None and not found.absent else found


def _regions(res: Resource) -> frozenset[str]:
    """The regions a resource lives in (a zone counts as its region)."""
    return frozenset((p.region.parent if p.region.kind == "zone" and p.region.parent else p.region.code)
                     for p in res.location.places if p.role == "primary" and p.region.code)


def decide(res: Resource, side: Fact, companions: Companions) -> Verdict | None:
    """The verdict of one `encryption.at_rest`, `encryption.in_transit` or `backup` fact.

    A verdict is decided in this order: a `disable` test that holds (off, explicitly); an
    `enable` test that holds (on, explicitly); a companion resource that turns it on, then one
    that turns it off (`sets: off`: a parameter group with rds.force_ssl = 0, a versioning
    Suspended); a companion hdslint cannot read; else the provider's default, which may depend
    on other attributes (`default_when`: the engine and its version). A value hdslint cannot
    resolve makes the verdict unknown, never a pass."""
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
    offs: list[tuple[Resource, dict[str, Any]]] = []
    unread: list[tuple[Resource, tuple[Found, ...]]] = []
    read: list[tuple[Resource, tuple[Found, ...]]] = []  # companions whose tests do not turn it on
    unseen: Text | None = None
    for spec in side.get("companions", []):
        joined = companions.join(res, spec)
        if spec.get("sets") == "off":
            offs.extend((c, spec) for c in joined.holding)
        else:
            comps.extend(joined.holding)
        unread.extend(joined.unknown)
        if spec.get("sets") != "off":
            read.extend(joined.failing)
        unseen = unseen or joined.unseen
    if verdict is None and comps:
        scoped = [c for c in comps if _is_setting(side, c)]
        reason = (_("{settings}: an account-wide setting of this root for the region of the resource",
                    settings=", ".join(c.address for c in scoped)) if scoped and len(scoped) == len(comps) else None)
        verdict = Verdict("on", "companion", companions=comps, reason=reason, **base)
    if verdict is None and offs:
        c, spec = offs[0]
        _held, seen = conditions.holding(c, spec.get("when", []), about=res)
        verdict = Verdict("off", "companion", companions=[c for c, _s in offs], **base,
                          reason=_("turned off by {companion}: {found}", companion=c.address,
                                   found=join((f.words() for f in seen), "; ")))
    if verdict is None and default == "always":
        verdict = Verdict("on", "always", **base)
    if verdict is None and unread:
        c, seen = unread[0]
        verdict = Verdict("unknown", "companion", companions=[c for c, _s in unread], **base,
                          reason=_("{companion} cannot be read: {found}", companion=c.address,
                                   found=join((f.words() for f in seen), "; ")))
    if verdict is None and unseen is not None:
        verdict = Verdict("unknown", "companion", **base, reason=unseen)
    if verdict is None and unknown is not None and default != "on":
        verdict = Verdict("unknown", "explicit", unknown[0], **base)
    if verdict is None:
        verdict = _by_default(res, side, base, set_but_not_enabling, set_line, companions)
        verdict.settable = any(side.get(k) for k in SETTINGS)
        if read and verdict.reason is None and not set_but_not_enabling:
            c, seen = read[0]
            verdict.reason = _("{companion}: {found}, which does not turn it on, and {default_is}",
                               companion=c.address, found=join((f.words() for f in seen), "; "),
                               default_is=default_is(verdict.default))
    verdict.companions = verdict.companions or comps
    if side.get("cmk"):
        cmk, _found, _test = conditions.any_holds(res, side["cmk"])
        for c in comps:
            if cmk is not True:
                c_cmk, _found, _test = conditions.any_holds(c, side["cmk"])
                cmk = True if c_cmk is True else cmk
        verdict.cmk = cmk
    return verdict


SETTINGS = ("enable", "disable", "companions", "default_when", "cmk")  # the parts of a fact the code can act on


def _is_setting(side: Fact, companion: Resource) -> bool:
    """Whether a companion is an account-wide setting (a `scope: region` spec names its type)."""
    return any(spec.get("scope") == "region" and companion.type in spec["types"] for spec in side.get("companions", []))


def _by_default(res: Resource, side: Fact, base: dict[str, Any], set_but_not_enabling: tuple[Found, ...],
                set_line: int | None, companions: Companions | None = None) -> Verdict:
    """The provider's default: the first `default_when` entry whose tests all hold gives it (an
    entry that cannot be read makes it unknown), else the fact's `default`. Its tests read the
    attributes the resource leaves unset as its facts infer them (`inferred`: a read replica's
    engine is its source's, a parameter group's family names the engine and its version)."""
    known = companions.inferred(res) if companions is not None else {}
    judged = _with_inferred(res, known) if known else res
    for entry in side.get("default_when", []):
        held, seen = conditions.holding(judged, entry["tests"])
        seen = tuple(_traced(f, known) for f in seen)
        if held is False:
            continue
        default = entry["default"] if held else "unknown"
        state = {"on": "on", "always": "on", "off": "off"}.get(default, "unknown")
        facts = {**base, "default": default, "source": entry.get("source", base["source"]),
                 "note": entry.get("note", base["note"])}
        return Verdict(state, "default", seen, set_line, **facts,
                       reason=_("{found}: {default_is}", found=join((f.words() for f in seen), "; "),
                                default_is=default_is(default)))
    default = side["default"]
    state = {"on": "on", "off": "off"}.get(default, "unknown")
    tests = side.get("enable", []) or side.get("disable", [])
    unset = tuple(dict.fromkeys(t["attribute"] for t in tests if "attribute" in t))
    return Verdict(state, "default", set_but_not_enabling, set_line, unset=unset, **base)


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
