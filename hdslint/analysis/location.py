"""Where a resource's data lives, from the per-type facts in policies/terraform/.

The algorithm is the same for HCL and plan JSON; each format supplies a view that reads
attribute values, follows references to parent resources and reads the provider block:

1. a global service (CDN, edge) lives everywhere: GLOBAL;
2. else the first location attribute that is set (facts `location`, or the provider's
   `resource_location`), else the location of a referenced parent resource
   (`location_from_reference`), else the value of an item of a list of blocks or objects
   picked by one of its fields or by a pattern on the value (`location_items`: an ordered
   service's plan configuration item with label = "dedicated_datacenter", an order option
   whose plan code names the zone), else the type's documented default (`location_default`),
   else the provider block (`provider_fallback`, or the provider's location attributes),
   else the provider's own default; otherwise the location is undetermined, and the reason
   says where Terraform would take it from (environment variables hdslint cannot see);
3. `extra_locations` add the places where copies live (replicas, backup regions).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Protocol

from hdslint.i18n import Msg, _, join
from hdslint.knowledge.regions import lookup_region, region_tables
from hdslint.knowledge.terraform import ProviderFacts
from hdslint.model import Location, Place, Region, Resource, Undetermined, strip_index
from hdslint.model.values import Hop, TStr, Unknown

GLOBAL = Region(provider="", code="global", countries=("GLOBAL",), kind="edge", eea=False,
                note="served from the provider's edge locations worldwide")


class View(Protocol):
    address: str
    file: str
    line: int

    def location_values(self, path: str) -> list[tuple[Any, str, int]]:
        """[(value, file, line)] of an attribute path; value may be a str, list or Unknown."""

    def reference_location(self, path: str) -> Location | Undetermined | None:
        """Location of the resource that `path` references; None when the path is not set."""

    def provider_values(self, attributes: list[str]) -> list[tuple[Any, str, int]] | Undetermined:
        """[(value, file, line)] from the provider block, or why there is none."""

    def origin_location(self, origin: Any, line: int) -> Location | None:
        """Location of the resource a computed value (an id, an ARN) comes from."""

    def named_location(self, value: Any, names: dict[str, Any], line: int) -> Location | None:
        """Location of the one resource of the root that a value names (`names` of an extra
        location: its types, the attribute holding its name, the ARN written from that name),
        or None when no resource, or more than one, matches."""


def locate(rtype: str, facts: ProviderFacts, view: View) -> Location:
    rf = facts.resource(rtype) or {}
    loc = Location()
    if rf.get("global"):
        hop = Hop(_("{type} is a global service without a region", type=rtype), view.file, view.line)
        loc.places.append(Place(GLOBAL, "primary", (hop,), view.file, view.line))
    else:
        found = None
        pending = None  # a nested block's unknown location: the block may not exist (dynamic, for_each unknown)
        for path in rf.get("location", facts.resource_location):
            values = view.location_values(path)
            if values and "[" in path and all(isinstance(v, Unknown) for v, _file, _line in values):
                pending = pending or values
                continue
            if values:
                found = values
                break
        if found is None:
            for path in rf.get("location_from_reference", []):
                ref = view.reference_location(path)
                if isinstance(ref, Location):
                    loc.places.extend(p for p in ref.places if p.role == "primary")
                    loc.undetermined.extend(u for u in ref.undetermined if u.role == "primary")
                    found = []
                    break
                if isinstance(ref, Undetermined):
                    loc.undetermined.append(ref)
                    found = []
                    break
        missing = None  # the first location item looked for and not found
        setting = ""  # the location item that placed it
        if found is None:
            for spec in rf.get("location_items", []):
                matched, unknown = _item_values(view, spec)
                if matched:
                    found, setting = matched, item_setting(spec)
                    break
                if unknown:
                    pending = pending or unknown
                elif missing is None:
                    missing = spec
        if found is None and "location_default" in rf:
            d = rf["location_default"]
            hop = Hop(_("{type} defaults to {value} when no location is set", type=rtype, value=d["value"]),
                      view.file, view.line)
            found = [(TStr(d["value"], (hop,)), view.file, view.line)]
        if found is None:
            attributes = rf.get("provider_fallback", facts.block.get("location", []))
            provided = view.provider_values(attributes) if attributes else Undetermined(
                _("{type} sets no location and the provider block does not give one", type=rtype) if missing is None
                else _missing_item(view.address, missing), (), view.file, view.line)
            if isinstance(provided, Undetermined) and pending is not None:
                found = pending
            elif isinstance(provided, Undetermined):
                loc.undetermined.append(provided)
                found = []
            else:
                found = provided
        for value, file, line in found:
            add_value(loc, facts.catalog, value, "primary", file, line, setting)
    for extra in rf.get("extra_locations", []):
        kind = extra.get("value", "region")
        for value, file, line in view.location_values(extra["path"]):
            if kind == "endpoint":
                for v in value if isinstance(value, list) else [value]:
                    _endpoint(v, extra["role"], loc, file, line, extra["path"])
                continue
            if kind != "region":
                value = _region_of_reference(view, value, kind, extra["role"], loc, line, extra.get("names"))
                if value is None:
                    continue
            add_value(loc, facts.catalog, value, extra["role"], file, line)
    for path in rf.get("environment", []):
        for value, file, line in view.location_values(path):
            for name, text in environment_items(value):
                _known_endpoint(text, f"{path}.{name}", loc, file, line)
    seen: set = set()
    unique = []
    for p in loc.places:  # two nodes in the same region are one place
        if (p.region.code, p.role) not in seen:
            seen.add((p.region.code, p.role))
            unique.append(p)
    loc.places = unique
    return loc


def item_setting(spec: dict[str, Any]) -> str:
    """How a location item is named as a setting: plan.configuration[label = "dedicated_datacenter"],
    or plan_option.plan_code for a spec that picks no item by a field."""
    items = strip_index(spec["items"])
    if not spec.get("where"):
        return f'{items}.{spec["value"]}'
    (key, name), = spec["where"].items()
    return f'{items}[{key} = "{name}"]'


def location_item(facts: dict[str, Any] | None, setting: str) -> dict[str, Any] | None:
    """The location item of a type's facts that a place's setting names, if any."""
    if not setting:
        return None
    return next((s for s in (facts or {}).get("location_items", []) if item_setting(s) == setting), None)


def item_words(spec: dict[str, Any]) -> dict[str, str]:
    """The words that name a location item: items, field, and the key and name that pick it."""
    words = {"items": strip_index(spec["items"]), "field": spec["value"]}
    for key, name in (spec.get("where") or {}).items():
        words.update(key=key, name=name)
    return words


def item_location(spec: dict[str, Any], value: str) -> str | None:
    """The location an item's value names: the value itself, or the `location` group of the spec's
    pattern (iplb-zone-lb1-rbx: rbx); None when the value does not match the pattern."""
    if not spec.get("pattern"):
        return value
    m = re.fullmatch(spec["pattern"], value)
    return m.group("location") if m else None


def _missing_item(address: str, spec: dict[str, Any]) -> Msg:
    words = item_words(spec)
    if "key" in words:
        return _("{address} has no {items} item with {key} \"{name}\", which says where it is", address=address,
                 **words)
    return _("{address} has no {items} {field} that says where it is", address=address, **words)


def _item_values(view: View, spec: dict[str, Any]) -> tuple[list[tuple[Any, str, int]], list[tuple[Any, str, int]]]:
    """The location values of the items a spec picks ([(value, file, line)]), and the unknowns met
    on the way (a list or an item field known only later: the item may be there)."""
    words = item_words(spec)
    field = spec["value"]
    matched: list[tuple[Any, str, int]] = []
    unknown: list[tuple[Any, str, int]] = []
    for item, file, line in view.location_values(spec["items"]):
        if isinstance(item, Unknown):
            unknown.append((item, file, line))
            continue
        if not isinstance(item, dict):
            continue
        if "key" in words:
            name = item.get(words["key"])
            if isinstance(name, Unknown):
                unknown.append((Unknown(_("the {key} of one {items} item of {address} is not known: {reason}",
                                          key=words["key"], items=words["items"], address=view.address,
                                          reason=name.reason), name.hops), file, line))
                continue
            if name != words["name"]:
                continue
        value = item.get(field)
        if value is None:
            continue
        hops = value.hops if isinstance(value, (TStr, Unknown)) else ()
        if isinstance(value, str) and not hops:
            hops = (Hop(f'"{value}"', file, line),)
        # the line of a literal value (written inside the item); else the item's own (a block's first line)
        literal = bool(hops) and str(hops[0].text).startswith('"') and hops[0].file == file and hops[0].line >= line
        at = hops[0].line if literal else line
        text = (_("{address} {items} item with {key} \"{name}\"", address=view.address, **words) if "key" in words
                else _("{address} {items} {field}", address=view.address, **words))
        if isinstance(value, Unknown):
            if spec.get("pattern"):  # one of the items, perhaps not the one that says where
                unknown.append((Unknown(value.reason, (Hop(text, file, at),) + hops), file, at))
                continue
            value = Unknown(value.reason, (Hop(text, file, at),) + hops, value.origin, value.pending, value.ref,
                            value.partial)
        elif isinstance(value, str):
            location = item_location(spec, value)
            if location is None:
                continue  # another option than the one that says where
            if location != value:  # the value in the words, not as a literal after them (bhs = "iplb-zone-bhs")
                text = _("{setting}: \"{value}\" names the location {location}", setting=text, value=str(value),
                         location=location)
                hops = hops[1:] if literal else hops
            value = TStr(location, (Hop(text, file, at),) + hops)
        matched.append((value, file, at))
    return matched, unknown


def _endpoint(value: object, role: str, loc: Location, file: str, line: int, setting: str = "") -> None:
    """A URL or host: placed when it is a service hdslint knows, else undetermined."""
    from hdslint.knowledge import endpoints

    if isinstance(value, Unknown):
        loc.undetermined.append(Undetermined(value.reason, value.hops, file, line, role))
        return
    if not isinstance(value, str) or not value:
        return
    hops = value.hops if isinstance(value, TStr) else ()
    found = endpoints.region_of(value)
    if found is None:
        loc.undetermined.append(Undetermined(_("'{value}' is not a service hdslint can place", value=value), hops,
                                             file, line, role))
        return
    region, service = found
    loc.places.append(Place(region, role, (Hop(_("{service} endpoint", service=service), file, line),) + hops, file,
                            line, service, setting))


def environment_items(value: Any) -> list[tuple[str, Any]]:
    """(name, value) of the variables of an environment attribute: a map, or a list of {name, value}
    blocks; a whole map hdslint cannot know gives nothing here."""
    if isinstance(value, dict):
        return [(str(k), v) for k, v in value.items()]
    if isinstance(value, list):
        out: list[tuple[str, Any]] = []
        for item in value:
            if isinstance(item, dict) and isinstance(item.get("name"), str) and "value" in item:
                out.append((item["name"], item["value"]))
            elif isinstance(item, dict):
                out.extend(environment_items(item))
        return out
    return []


def _known_endpoint(value: object, setting: str, loc: Location, file: str, line: int) -> None:
    """An environment value that is a service hdslint knows: where the workload sends data. Any
    other value says nothing here (the map of transfers lists the destinations it cannot place)."""
    from hdslint.knowledge import endpoints

    if not isinstance(value, str) or not value:
        return
    found = endpoints.region_of(value)
    if found is None:
        return
    region, service = found
    hops = value.hops if isinstance(value, TStr) else ()
    hop = Hop(_("{service} endpoint {url}", service=service, url=value), file, line)
    loc.places.append(Place(region, "egress", (hop,) + hops, file, line, service, setting))


def _region_of_reference(view: View, value: Any, kind: str, role: str, loc: Location, line: int,
                         names: dict[str, Any] | None = None) -> Any:
    """An ARN or a reference points at the resource holding the copy: its region, from the one
    resource of the root a text names (`names`: an S3 bucket ARN is arn:aws:s3:::NAME, NAME
    written as the bucket's own `bucket`, resolved as far as it goes), from the referenced
    resource's own location, or from the ARN's fourth field. Adds the places of a followed
    reference to loc and returns None; returns a value to add otherwise."""
    direct = isinstance(value, Unknown) and value.origin is not None and value.partial is None
    if names is not None and not direct:  # a reference is followed as written; a text, by the name it holds
        named = view.named_location(value, names, line)
        if named is not None:
            _add_followed(loc, named, role)
            return None
    if isinstance(value, Unknown) and value.origin is not None:
        origin_loc = view.origin_location(value.origin, line)
        if origin_loc is not None:
            _add_followed(loc, origin_loc, role)
            return None
    if kind == "arn" and isinstance(value, str):
        parts = value.split(":")
        if len(parts) >= 6 and parts[0] == "arn":
            if parts[3]:
                hops = value.hops if isinstance(value, TStr) else ()
                return TStr(parts[3], hops)
            return Unknown(_("the ARN {arn} names no region (S3 bucket ARNs never do); hdslint needs a reference "
                             "to the resource to place it", arn=value))
    return value


def _add_followed(loc: Location, followed: Location, role: str) -> None:
    """The primary places of the resource holding the copy, as places of that role."""
    loc.places.extend(Place(p.region, role, p.hops, p.file, p.line) for p in followed.places if p.role == "primary")
    loc.undetermined.extend(Undetermined(u.reason, u.hops, u.file, u.line, role)
                            for u in followed.undetermined if u.role == "primary")


def add_value(loc: Location, catalog: str, value: Any, role: str, file: str, line: int, setting: str = "") -> None:
    if isinstance(value, Unknown):
        loc.undetermined.append(Undetermined(value.reason, value.hops, file, line, role))
    elif isinstance(value, list):
        for item in value:
            add_value(loc, catalog, item, role, file, line, setting)
    elif isinstance(value, str):
        hops = value.hops if isinstance(value, TStr) else ()
        region = region_tables()[catalog].lookup(value) if catalog in region_tables() else None
        if region is None:
            name = region_tables()[catalog].name if catalog in region_tables() else catalog
            loc.undetermined.append(Undetermined(
                _("'{value}' is not a {provider} location hdslint knows", value=value, provider=name), hops, file, line,
                role))
        else:
            loc.places.append(Place(region, role, hops, file, line, setting=setting))
    elif value is not None:
        loc.undetermined.append(Undetermined(_("a location is not a string ({value!r})", value=value), (), file, line,
                                             role))


def either(words: Iterable[str]) -> Msg:
    """'AWS_REGION or AWS_DEFAULT_REGION', in the reader's language."""
    return join(words, _(" or "))


def in_regions(res: Resource, allowed: list[str]) -> bool | None:
    """Every primary place is one of the allowed regions, or a zone of one; None if unplaced."""
    places = [p for p in res.location.places if p.role == "primary"]
    if not places:
        return None
    wanted = set()
    for code in allowed:
        region = lookup_region(res.catalog, code)
        wanted.add(region.code if region else code)
    return all({p.region.code, p.region.parent} & wanted for p in places)
