"""Terraform plan JSON (`terraform show -json plan.out`), recognised by its content.

Resource values come from planned_values (child modules included); values still unknown
at plan time are listed in resource_changes[].change.after_unknown and become Unknown,
not absent. Provider regions come from configuration.provider_config: a constant, or a
reference to a variable resolved through the plan's own `variables`. The state JSON from
`terraform show -json` (a `values` key instead of `planned_values`) is read the same way.
"""
from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from hdslint.analysis.location import either, locate
from hdslint.formats.terraform.project import UnknownProvider
from hdslint.i18n import _, join
from hdslint.knowledge.terraform import UTILITY_PROVIDERS, ProviderFacts, provider_facts
from hdslint.model import Location, Place, Problem, Resource, Undetermined, Value, strip_index
from hdslint.model.values import Hop, TStr, Unknown
from hdslint.syntax import text as fileio
from hdslint.syntax.jsonpos import JArray, JObject, JSONError, loads


@dataclass
class PlanResult:
    file: str
    resources: list[Resource] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unknown_providers: dict[str, UnknownProvider] = field(default_factory=dict)


def read_plan(abspath: str, rel: str, max_bytes: int) -> PlanResult:
    result = PlanResult(rel)
    try:
        doc = loads(fileio.read_text(abspath, max_bytes))
    except fileio.Unreadable as e:
        result.problems.append(Problem(rel, e.line, join((rel, e.message), " ")))
        return result
    except JSONError as e:
        result.problems.append(Problem(rel, e.line, _("syntax error: {message}", message=e.message)))
        return result
    if not isinstance(doc, dict):
        result.problems.append(Problem(rel, 1, _("not a Terraform plan: the document is not a JSON object")))
        return result
    version = str(doc.get("format_version", ""))
    if not version.startswith(("0.", "1.")):
        result.problems.append(Problem(rel, doc.key_lines.get("format_version", 1) if isinstance(doc, JObject) else 1,
                                       _("unsupported plan format_version {version!r} (hdslint reads 0.x and 1.x)",
                                         version=version)))
        return result
    values = doc.get("planned_values") or doc.get("values")
    if not isinstance(values, dict):
        result.problems.append(Problem(rel, 1, _("a plan without planned_values: nothing to check")))
        return result
    _Plan(doc, rel, result).read(values)
    return result


class _Plan:
    def __init__(self, doc: dict[str, Any], rel: str, result: PlanResult) -> None:
        self.doc, self.rel, self.result = doc, rel, result
        self.variables: dict[str, Any] = doc["variables"] if isinstance(doc.get("variables"), dict) else {}
        config: dict[str, Any] = doc["configuration"] if isinstance(doc.get("configuration"), dict) else {}
        self.provider_config: dict[str, Any] = (config["provider_config"] if isinstance(config.get("provider_config"),
                                                                                       dict) else {})
        self.config_resources: dict[str, Any] = {}  # address without instance key -> configuration resource
        self._index_configuration(config.get("root_module"), "")
        self.after_unknown: dict[str, Any] = {}
        for change in doc.get("resource_changes") or []:
            if isinstance(change, dict) and isinstance(change.get("change"), dict):
                self.after_unknown[str(change.get("address"))] = change["change"].get("after_unknown") or {}
        self.by_address: dict[str, Resource] = {}
        self.facts: dict[str, ProviderFacts] = {}  # resource address -> its provider's facts

    def _index_configuration(self, module: Any, prefix: str, depth: int = 0) -> None:
        if not isinstance(module, dict) or depth > 32:
            return
        for res in module.get("resources") or []:
            if isinstance(res, dict) and "address" in res:
                self.config_resources[f"{prefix}{res['address']}"] = res
        for name, call in (module.get("module_calls") or {}).items():
            if isinstance(call, dict):
                self._index_configuration(call.get("module"), f"{prefix}module.{name}.", depth + 1)

    def read(self, values: dict[str, Any]) -> None:
        modules = [values.get("root_module")]
        depth = 0
        while modules and depth < 64:
            nxt: list[Any] = []
            for module in modules:
                if not isinstance(module, dict):
                    continue
                for res in module.get("resources") or []:
                    if isinstance(res, dict):
                        self._resource(res)
                nxt.extend(module.get("child_modules") or [])
            modules = nxt
            depth += 1
        for res in self.result.resources:
            self.by_address[res.address] = res
        for res in self.result.resources:
            res.locator = functools.partial(self._locate, res, frozenset())

    def _resource(self, res: dict[str, Any]) -> None:
        if res.get("mode", "managed") != "managed":
            return
        address, rtype = str(res.get("address", "")), str(res.get("type", ""))
        provider_name = str(res.get("provider_name", ""))
        local = provider_name.rsplit("/", 1)[-1] if provider_name else rtype.split("_")[0]
        facts = provider_facts(local, provider_name) or provider_facts(rtype.split("_")[0])
        line = getattr(res, "line", 1)
        if facts is None:
            if local not in UTILITY_PROVIDERS and rtype.split("_")[0] not in UTILITY_PROVIDERS:
                up = self.result.unknown_providers.setdefault(local, UnknownProvider(local, "", file=self.rel,
                                                                                     line=line))
                up.resources.append(address)
            return
        values: dict[str, Any] = res["values"] if isinstance(res.get("values"), dict) else {}
        unknown = self.after_unknown.get(address) or {}
        module = address.rsplit(".", 2)[0] if address.startswith("module.") else ""
        cfg_key = strip_index(address)
        model = Resource(
            address=address, type=rtype, name=str(res.get("name", "")), file=self.rel, line=line,
            end_line=line, source_format="terraform-plan", provider=facts.name,
            provider_address=self._provider_address(cfg_key, module), catalog=facts.catalog,
            module=module, root=self.rel, facts=facts.resource(rtype), data_role=facts.data_role(rtype),
        )
        model.values = functools.partial(_values, values, unknown, file=self.rel, line=line)
        model.references = functools.partial(self._references, cfg_key, module)
        self.facts[address] = facts
        self.result.resources.append(model)

    def _references(self, cfg_key: str, module: str, path: str) -> set[str]:
        """Resources an attribute refers to, from configuration expressions (references)."""
        cfg = self.config_resources.get(cfg_key) or {}
        expr = (cfg.get("expressions") or {}).get(path.split("[")[0].split(".")[0])
        out: set[str] = set()
        stack: list[Any] = [expr]
        while stack:
            e = stack.pop()
            if isinstance(e, dict):
                for r in e.get("references") or []:
                    parts = str(r).split(".")
                    if len(parts) >= 2 and parts[0] not in ("var", "local", "module", "data", "each", "count", "path"):
                        out.add(f"{module}.{parts[0]}.{parts[1]}" if module else f"{parts[0]}.{parts[1]}")
                stack.extend(v for k, v in e.items() if k != "references" and isinstance(v, (dict, list)))
            elif isinstance(e, list):
                stack.extend(e)
        return {strip_index(a) for a in out}

    def _provider_address(self, cfg_key: str, module: str) -> str:
        cfg = self.config_resources.get(cfg_key) or {}
        key = str(cfg.get("provider_config_key", ""))
        name = key.split(":")[-1] if key else ""
        if not name:
            return ""
        return f"{module}.provider.{name}" if ":" in key else f"provider.{name}"

    def _locate(self, res: Resource, seen: frozenset[str]) -> Location:
        if res.address in seen:
            return Location(undetermined=[Undetermined(_("location depends on itself"), (), res.file, res.line)])
        return locate(res.type, self.facts[res.address], _PlanView(self, res, seen | {res.address}))

    def provider_location(self, res: Resource, attributes: list[str]) -> list[tuple[Any, str, int]] | None:
        cfg = self.config_resources.get(strip_index(res.address)) or {}
        key = str(cfg.get("provider_config_key", ""))
        pc = self.provider_config.get(key) if key else None
        if pc is None and key and ":" not in key:
            pc = self.provider_config.get(key)
        if pc is None:
            # a plan without configuration, or a provider without a block
            local = res.provider
            pc = self.provider_config.get(local)
        where = f"provider.{key.split(':')[-1] or res.provider}"
        if isinstance(pc, dict):
            expressions = pc.get("expressions") or {}
            for name in attributes:
                expr = expressions.get(name)
                if not isinstance(expr, dict):
                    continue
                line = getattr(expr, "line", 1)
                hop = Hop(f"{where} {name} (configuration.provider_config)", self.rel, line)
                if "constant_value" in expr:
                    v = expr["constant_value"]
                    if v is None:
                        continue
                    return [(TStr(str(v), (hop,)), self.rel, line)]
                refs = [r for r in expr.get("references") or [] if isinstance(r, str)]
                var = next((r[4:] for r in refs if r.startswith("var.") and "." not in r[4:]), None)
                if var is not None and not pc.get("module_address"):
                    entry = self.variables.get(var)
                    if isinstance(entry, dict) and isinstance(entry.get("value"), str):
                        vline = getattr(entry, "line", 1)
                        return [(TStr(entry["value"], (Hop(f"{where} {name} = var.{var}", self.rel, line),
                                                       Hop(_("var.{name} = \"{value}\" (plan variables)", name=var,
                                                             value=entry["value"]),
                                                           self.rel, vline))), self.rel, line)]
                what = ", ".join(refs) or _("an expression")
                return [(Unknown(_("{where} {name} refers to {what}, which the plan does not resolve", where=where,
                                   name=name, what=what), (hop,)), self.rel, line)]
        return None


class _PlanView:
    def __init__(self, plan: _Plan, res: Resource, seen: frozenset[str]) -> None:
        self.plan, self.res, self.seen = plan, res, seen
        self.address, self.file, self.line = res.address, res.file, res.line

    def location_values(self, path: str) -> list[tuple[Any, str, int]]:
        out = []
        cfg = self.plan.config_resources.get(strip_index(self.res.address)) or {}
        written = path.split("[")[0].split(".")[0] in (cfg.get("expressions") or {})
        for v in self.res.values(path):
            if v.value is None:
                continue
            if isinstance(v.value, Unknown) and not written:
                continue  # computed by the provider (aws_s3_bucket.region): not set in the code
            value = v.value
            if isinstance(value, str) and not isinstance(value, TStr):
                value = TStr(value, (Hop(_("{address} {path} = \"{value}\" (planned value)", address=self.res.address,
                                           path=path, value=value), v.file, v.line or self.res.line),))
            out.append((value, v.file, v.line or self.res.line))
        return out

    def origin_location(self, origin: Any, line: int) -> Location | None:
        return None

    def named_location(self, value: Any, names: dict[str, Any], line: int) -> Location | None:
        return None

    def reference_location(self, path: str) -> Location | Undetermined | None:
        cfg = self.plan.config_resources.get(strip_index(self.res.address)) or {}
        expr = (cfg.get("expressions") or {}).get(path.split("[")[0].split(".")[0])
        if not isinstance(expr, dict):
            return None
        refs = [r for r in expr.get("references") or [] if isinstance(r, str)]
        module = self.res.module + "." if self.res.module else ""
        for ref in refs:
            parts = ref.split(".")
            if len(parts) >= 2 and not ref.startswith(("var.", "local.", "module.", "data.", "each.", "count.")):
                target = self.plan.by_address.get(f"{module}{parts[0]}.{parts[1]}") or next(
                    (r for a, r in self.plan.by_address.items() if strip_index(a) == f"{module}{parts[0]}.{parts[1]}"),
                    None)
                if target is not None and target.address in self.plan.facts:
                    loc = self.plan._locate(target, self.seen)
                    hop = Hop(_("{address} {name} = {target} (inherits its location)", address=self.res.address,
                                name=path, target=target.address),
                              self.res.file, self.res.line)
                    out = Location()
                    out.places = [Place(p.region, p.role, (hop,) + p.hops, p.file, p.line) for p in loc.places]
                    out.undetermined = [Undetermined(u.reason, (hop,) + u.hops, u.file, u.line, u.role)
                                        for u in loc.undetermined]
                    return out
        if refs:
            return Undetermined(_("{path} refers to {references}, which hdslint cannot follow in the plan", path=path,
                                  references=", ".join(refs)), (),
                                self.res.file, self.res.line)
        return None

    def provider_values(self, attributes: list[str]) -> list[tuple[Any, str, int]] | Undetermined:
        found = self.plan.provider_location(self.res, attributes)
        if found:
            return found
        facts = self.plan.facts[self.res.address]
        default = facts.block.get("default")
        if default:
            hop = Hop(_("{where} sets no {attribute}: the provider's default {default}",
                        where=f"provider.{self.res.provider}", attribute=attributes[0], default=default),
                      self.res.file, self.res.line)
            return [(TStr(default, (hop,)), self.res.file, self.res.line)]
        env = facts.block.get("env") or []
        from_env = _("; Terraform took it from {variables}", variables=either(env)) if env else ""
        why = _("the plan does not record the provider's {names}", names=either(attributes)) + from_env
        return Undetermined(why, (), self.res.file, self.res.line)


def _values(values: dict[str, Any], unknown: dict[str, Any], path: str, file: str, line: int) -> list[Value]:
    out = []
    for v, u, ln in _walk(values, unknown, path.split("."), line):
        out.append(Value(Unknown(_("{path} is known only after apply", path=path)) if u is True else v, file, ln))
    return out


def _walk(value: Any, unknown: Any, parts: list[str], line: int) -> Iterator[tuple[Any, Any, int]]:
    if not parts:
        yield value, unknown, line
        return
    part = parts[0]
    name = part
    index_: int | str | None = None
    if part.endswith("]") and "[" in part:
        name, idx = part[:-1].split("[", 1)
        index_ = "*" if idx == "*" else int(idx)
    if not isinstance(value, dict):
        return
    ln = value.key_lines.get(name, line) if isinstance(value, JObject) else line
    sub_u = unknown.get(name) if isinstance(unknown, dict) else None
    if name not in value:
        if sub_u is True:
            yield None, True, ln
        return
    sub = value[name]
    if index_ is None and isinstance(sub, list) and parts[1:]:
        index_ = "*"  # nested blocks are lists in plan JSON
    if index_ is not None and isinstance(sub, (list, JArray)):
        items = (list(enumerate(sub)) if not isinstance(index_, int)
                 else [(index_, sub[index_])] if index_ < len(sub) else [])
        for i, item in items:
            iu = sub_u[i] if isinstance(sub_u, list) and i < len(sub_u) else None
            yield from _walk(item, iu, parts[1:], getattr(item, "line", ln)) if parts[1:] else iter([(item, iu, ln)])
        return
    yield from _walk(sub, sub_u, parts[1:], ln)
