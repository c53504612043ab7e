"""scalingo.json (or app.json where a directory has no scalingo.json): Scalingo's app manifest,
read when Scalingo creates a review app or a one-click app.

It is validated against policies/schemas/scalingo-manifest.schema.json (Scalingo's schema,
relaxed where its documentation allows more); each problem is a finding with its JSON path and
line. Its entries become resources so that the facts and catalog conditions of the Scalingo
Terraform resources apply to them: `addons[0]` (scalingo_manifest_addon, its plan split into
provider_id and plan), `formation.web` (scalingo_manifest_formation), and the manifest itself.
The manifest names no region: every Scalingo region is in Paris, France.
"""
from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hdslint.i18n import Text, _, join
from hdslint.knowledge import endpoints
from hdslint.knowledge.regions import lookup_region
from hdslint.knowledge.secrets import looks_secret
from hdslint.knowledge.store import POLICIES_DIR
from hdslint.knowledge.terraform import provider_facts
from hdslint.model import Location, Place, Problem, Resource, Undetermined, Value
from hdslint.model.values import Hop
from hdslint.syntax import text as fileio
from hdslint.syntax.jsonpos import JArray, JObject, JSONError
from hdslint.syntax.jsonpos import loads as json_loads

if TYPE_CHECKING:
    from jsonschema.validators import Draft202012Validator

NAMES = ("scalingo.json", "app.json")


@dataclass
class ManifestResult:
    resources: list[Resource] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # unreadable or invalid JSON
    schema_errors: list[tuple[str, int, str, str]] = field(default_factory=list)  # (file, line, path, message)
    secrets: list[tuple[str, int, str, Text]] = field(default_factory=list)  # (file, line, variable, kind)
    analysed_files: set[str] = field(default_factory=set)


def select(paths: list[str]) -> list[str]:
    """scalingo.json files, and app.json files of directories without a scalingo.json."""
    chosen = []
    dirs_with_scalingo = {os.path.dirname(p) for p in paths if os.path.basename(p) == "scalingo.json"}
    for p in paths:
        name = os.path.basename(p)
        if name == "scalingo.json" or (name == "app.json" and os.path.dirname(p) not in dirs_with_scalingo):
            chosen.append(p)
    return chosen


@functools.cache
def _validator() -> Draft202012Validator:
    import jsonschema

    schema = json.loads((POLICIES_DIR / "schemas" / "scalingo-manifest.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def read(paths: list[str], root: str, max_bytes: int) -> ManifestResult:
    result = ManifestResult()
    for rel in paths:
        try:
            doc = json_loads(fileio.read_text(os.path.join(root, rel), max_bytes))
        except fileio.Unreadable as e:
            result.problems.append(Problem(rel, e.line, join((rel, e.message), " ")))
            continue
        except JSONError as e:
            result.problems.append(Problem(rel, e.line, _("syntax error: {message}", message=e.message)))
            continue
        result.analysed_files.add(rel)
        for error in sorted(_validator().iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path]):
            path = list(error.absolute_path)
            result.schema_errors.append((rel, _line_at(doc, path), _pointer(path), error.message))
        if isinstance(doc, JObject):
            result.resources.extend(_resources(doc, rel))
            result.secrets.extend(_secrets(doc, rel))
    return result


def _pointer(path: list[str | int]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


def _line_at(doc: Any, path: list[str | int]) -> int:
    line = getattr(doc, "line", 1)
    node = doc
    for p in path:
        if isinstance(node, JObject) and isinstance(p, str) and p in node:
            line = node.key_lines.get(p, line)
            node = node[p]
        elif isinstance(node, JArray) and isinstance(p, int) and p < len(node):
            node = node[p]
            line = getattr(node, "line", line)
        else:
            break
    return line


def _place(rel: str, line: int, egress: Iterable[tuple[str, str, int]] = ()) -> Location:
    """Scalingo's regions are all in Paris: osc-fr1 stands for them (both are in the certificate's
    scope); env values that point at a known service add where data is sent."""
    facts = provider_facts("scalingo")
    region = lookup_region("scalingo", facts.block["default"]) if facts else None
    if region is None:  # a broken installation: policies/ lacks Scalingo's region table
        return Location(undetermined=[Undetermined(_("Scalingo's region table is missing"), (), rel, line)])
    hop = Hop(_("{file} names no region: the app is created in a Scalingo region (osc-fr1 or osc-secnum-fr1), "
                "all in Paris, France", file=rel), rel, line)
    loc = Location(places=[Place(region, "primary", (hop,), rel, line)])
    for name, text, ln in egress:
        found = endpoints.region_of(text)
        if found:
            where, service = found
            hop = Hop(_("{service} endpoint {url}", service=service, url=text), rel, ln)
            loc.places.append(Place(where, "egress", (hop,), rel, ln, service, f"env.{name}"))
    return loc


def _resource(rel: str, address: str, rtype: str, name: str, line: int, end: int, values: dict[str, tuple[Any, int]],
              egress: Iterable[tuple[str, str, int]] = ()) -> Resource:
    facts = provider_facts("scalingo")
    res = Resource(address=address, type=rtype, name=name, file=rel, line=line, end_line=end,
                   source_format="scalingo", provider="scalingo", catalog="scalingo", root=rel,
                   facts=facts.resource(rtype) if facts else None,
                   data_role=facts.data_role(rtype) if facts else "processes")
    res.values = functools.partial(_values, values, rel, line)
    res.location = _place(rel, line, egress)
    return res


def _values(values: dict[str, tuple[Any, int]], rel: str, line: int, path: str) -> list[Value]:
    if path in values:
        value, ln = values[path]
        return [Value(value, rel, ln)]
    return []


def _resources(doc: JObject, rel: str) -> list[Resource]:
    out = []
    end = max([doc.line, *doc.key_lines.values()]) if doc.key_lines else doc.line
    top = {k: (doc[k], doc.key_lines.get(k, doc.line)) for k in doc if not isinstance(doc[k], (dict, list))}
    env: dict[str, Any] = doc["env"] if isinstance(doc.get("env"), dict) else {}
    egress = [(name, spec["value"], spec.key_lines.get("value", doc.line) if isinstance(spec, JObject) else doc.line)
              for name, spec in env.items() if isinstance(spec, dict) and isinstance(spec.get("value"), str)]
    manifest = _resource(rel, rel.rsplit("/", 1)[-1], "scalingo_manifest", "manifest", doc.line, end, top, egress)
    manifest.manifest = doc  # the env variables, for the map of transfers
    out.append(manifest)
    addons: list[Any] = doc["addons"] if isinstance(doc.get("addons"), list) else []
    for i, addon in enumerate(addons):
        spec = addon.get("plan") if isinstance(addon, dict) else addon
        line = addons.item_lines[i] if isinstance(addons, JArray) else doc.key_lines.get("addons", doc.line)
        if not isinstance(spec, str) or ":" not in spec:
            continue
        provider_id, plan = spec.split(":", 1)
        out.append(_resource(rel, f"addons[{i}]", "scalingo_manifest_addon", provider_id, line, line,
                             {"provider_id": (provider_id, line), "plan": (plan, line)}))
    formation: dict[str, Any] = doc["formation"] if isinstance(doc.get("formation"), dict) else {}
    for name, entry in formation.items():
        if not isinstance(entry, dict):
            continue
        line = formation.key_lines.get(name, doc.line) if isinstance(formation, JObject) else doc.line
        fields: dict[str, tuple[Any, int]] = {"name": (name, line)}
        for key in ("amount", "size"):
            if key in entry:
                fields[key] = (entry[key], entry.key_lines.get(key, line) if isinstance(entry, JObject) else line)
        out.append(_resource(rel, f"formation.{name}", "scalingo_manifest_formation", name, line, line, fields))
    return out


def _secrets(doc: JObject, rel: str) -> list[tuple[str, int, str, Text]]:
    env: dict[str, Any] = doc["env"] if isinstance(doc.get("env"), dict) else {}
    out = []
    for name, spec in env.items():
        if not isinstance(spec, dict) or spec.get("generator"):
            continue
        kind = looks_secret(name, spec.get("value"))
        if kind:
            line = spec.key_lines.get("value", spec.line) if isinstance(spec, JObject) else doc.line
            out.append((rel, line, name, kind))
    return out
