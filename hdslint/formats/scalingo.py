"""scalingo.json (or app.json where a directory has no scalingo.json): Scalingo's app manifest,
read when Scalingo creates a review app or a one-click app.

It is validated against policies/schemas/scalingo-manifest.schema.json: what Scalingo's reference
and the app.json format (which Scalingo says its manifest is compatible with) document. A value of
the wrong type for a documented key is an error; a key neither documents, or a value Scalingo's
documentation does not describe (a Heroku stack, a dyno size, a malformed app.json-only key), is a
note; a scalingo.json none of whose keys is documented is no manifest at all (an app.json like
that is another tool's file, e.g. Expo's, and is left alone). Each is reported with its JSON path
and line.

Its entries become resources so that the facts and catalog conditions of the Scalingo Terraform
resources apply to them: `addons[0]` (scalingo_manifest_addon, its plan split into provider_id
and plan; a bare add-on name leaves the plan to Scalingo, so it is unknown),
`formation.web` (scalingo_manifest_formation; app.json's `quantity` read for `amount` when it
decides the check either way), and the manifest itself. Bare `env` values (app.json) are read like
`value`. The manifest names no region: every Scalingo region is in Paris, France.
"""
from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hdslint.i18n import Text, _, join
from hdslint.knowledge import endpoints
from hdslint.knowledge.regions import lookup_region
from hdslint.knowledge.secrets import looks_secret
from hdslint.knowledge.store import POLICIES_DIR
from hdslint.knowledge.terraform import provider_facts
from hdslint.model import Location, Place, Problem, Resource, Undetermined, Value
from hdslint.model.values import Hop, Unknown
from hdslint.syntax import text as fileio
from hdslint.syntax.jsonpos import JArray, JObject, JSONError
from hdslint.syntax.jsonpos import loads as json_loads

if TYPE_CHECKING:
    from jsonschema.validators import Draft202012Validator

NAMES = ("scalingo.json", "app.json")


@dataclass(frozen=True)
class SchemaProblem:
    """One departure from the manifest's documentation. kind: error (a documented key with a value
    of the wrong type), undocumented (a key nobody documents), stack or size (a value outside
    Scalingo's), app.json (a malformed key only app.json documents), not_manifest (no documented
    key at all: detail lists the keys). detail: jsonschema's English text for error and app.json,
    the value as JSON for stack and size."""

    file: str
    line: int
    path: str
    kind: str
    detail: str = ""


@dataclass
class ManifestResult:
    resources: list[Resource] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # unreadable or invalid JSON
    schema_errors: list[SchemaProblem] = field(default_factory=list)
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


def _schema() -> dict[str, Any]:
    return dict(json.loads((POLICIES_DIR / "schemas" / "scalingo-manifest.schema.json").read_text(encoding="utf-8")))


@functools.cache
def _validator() -> Draft202012Validator:
    """Draft 2020-12 with hdslint's keywords: x-undocumented (always an error, placed where a
    key nobody documents lands) and x-note (a subschema whose errors are notes)."""
    import jsonschema
    from jsonschema.validators import extend

    def undocumented(validator: Any, value: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if value:
            yield jsonschema.ValidationError("undocumented key")

    def note(validator: Any, subschema: Any, instance: Any, schema: Any) -> Iterator[Any]:
        yield from validator.descend(instance, subschema)

    cls = extend(jsonschema.Draft202012Validator, {"x-undocumented": undocumented, "x-note": note})
    return cls(_schema())


@functools.cache
def documented_keys() -> frozenset[str]:
    """The top-level keys Scalingo or app.json documents."""
    return frozenset(_schema()["properties"])


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
        if not isinstance(doc, JObject) or (doc and not documented_keys() & set(doc)):
            if os.path.basename(rel) == "scalingo.json":
                keys = ", ".join(list(doc)[:8]) + (", ..." if len(doc) > 8 else "") if isinstance(doc, JObject) else ""
                result.schema_errors.append(SchemaProblem(rel, getattr(doc, "line", 1), "(top level)", "not_manifest",
                                                          keys))
            continue  # an app.json of another tool (Expo's, say): not Scalingo's
        result.schema_errors.extend(_schema_problems(doc, rel))
        result.resources.extend(_resources(doc, rel))
        result.secrets.extend(_secrets(doc, rel))
    return result


def _schema_problems(doc: JObject, rel: str) -> list[SchemaProblem]:
    out = []
    for error in sorted(_validator().iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path]):
        path = list(error.absolute_path)
        where = list(error.absolute_schema_path)
        if "x-undocumented" in where:
            kind, detail = "undocumented", ""
        elif "x-note" in where:
            kind = str((error.schema or {}).get("x-kind", "app.json")) if isinstance(error.schema, dict) else "app.json"
            detail = error.message if kind == "app.json" else json.dumps(error.instance, ensure_ascii=False)[:80]
        else:
            kind, detail = "error", error.message
        out.append(SchemaProblem(rel, _line_at(doc, path), _pointer(path), kind, detail))
    wrong = {p.path for p in out if p.kind == "error"}  # one value, one finding: a note adds nothing to an error
    return [p for p in out if p.kind == "error" or p.path not in wrong]


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
    egress = [(name, value, line) for name, value, line in _env_values(doc) if isinstance(value, str)]
    manifest = _resource(rel, rel.rsplit("/", 1)[-1], "scalingo_manifest", "manifest", doc.line, end, top, egress)
    manifest.manifest = doc  # the env variables, for the map of transfers
    out.append(manifest)
    addons: list[Any] = doc["addons"] if isinstance(doc.get("addons"), list) else []
    for i, addon in enumerate(addons):
        spec = addon.get("plan") if isinstance(addon, dict) else addon
        line = addons.item_lines[i] if isinstance(addons, JArray) else doc.key_lines.get("addons", doc.line)
        if not isinstance(spec, str) or not spec.strip(":"):
            continue
        provider_id, _sep, plan = spec.partition(":")
        chosen: Any = plan or Unknown(_("addons[{index}] names the add-on {addon} without a plan: Scalingo chooses "
                                         "it, and its documentation does not say which", index=i, addon=provider_id))
        out.append(_resource(rel, f"addons[{i}]", "scalingo_manifest_addon", provider_id, line, line,
                             {"provider_id": (provider_id, line), "plan": (chosen, line)}))
    formation: dict[str, Any] = doc["formation"] if isinstance(doc.get("formation"), dict) else {}
    for name, entry in formation.items():
        if not isinstance(entry, dict):
            continue
        line = formation.key_lines.get(name, doc.line) if isinstance(formation, JObject) else doc.line
        fields: dict[str, tuple[Any, int]] = {"name": (name, line)}
        for key in ("amount", "size", "quantity"):
            if key in entry:
                fields[key] = (entry[key], entry.key_lines.get(key, line) if isinstance(entry, JObject) else line)
        if "amount" not in fields and "quantity" in fields:
            fields["amount"] = _amount_of_quantity(name, *fields["quantity"])
        out.append(_resource(rel, f"formation.{name}", "scalingo_manifest_formation", name, line, line, fields))
    return out


def _amount_of_quantity(name: str, quantity: Any, line: int) -> tuple[Any, int]:
    """app.json's `quantity` where Scalingo documents `amount`. Whether Scalingo reads it is not
    documented: below 2 the process runs on fewer than 2 containers whether it is read or not (the
    value itself, or the default of 1); 2 or more cannot be relied upon."""
    if isinstance(quantity, int) and not isinstance(quantity, bool) and quantity < 2:
        return quantity, line
    return Unknown(_("formation.{name} sets quantity = {value} (the app.json key), and Scalingo documents amount: "
                     "its documentation does not say whether it reads quantity", name=name,
                     value=json.dumps(quantity)[:40])), line


def _env_values(doc: JObject) -> Iterator[tuple[str, Any, int]]:
    """(name, value as written, line) of each env variable set to a value: {"value": ...} or a
    bare scalar (app.json); generated variables (generator) have none."""
    env: dict[str, Any] = doc["env"] if isinstance(doc.get("env"), dict) else {}
    for name, spec in env.items():
        line = env.key_lines.get(name, doc.line) if isinstance(env, JObject) else doc.line
        if isinstance(spec, dict):
            if spec.get("generator") or "value" not in spec:
                continue
            yield name, spec["value"], spec.key_lines.get("value", line) if isinstance(spec, JObject) else line
        elif isinstance(spec, (str, int, float)):
            yield name, spec, line


def _secrets(doc: JObject, rel: str) -> list[tuple[str, int, str, Text]]:
    out = []
    for name, value, line in _env_values(doc):
        kind = looks_secret(name, value)
        if kind:
            out.append((rel, line, name, kind))
    return out
