"""Terraform as Terraform sees it: module directories, root modules, module instances and
their resources, turned into the neutral resource model with a location for each.

Root modules are the scanned directories that no other scanned directory calls as a local
module; a called directory is evaluated through its caller, with the caller's arguments.
Local modules outside the scanned paths are read too (Terraform would); remote modules
are never downloaded.
"""
from __future__ import annotations

import functools
import os
import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hdslint.analysis.location import either, locate
from hdslint.formats.discover import TERRAFORM_SUFFIXES, outside_link
from hdslint.formats.terraform import policydocs
from hdslint.formats.terraform.config import ModuleConfig, is_override, json_to_file, reference_key
from hdslint.formats.terraform.evaluator import Scope, evaluate
from hdslint.formats.terraform.instances import (
    MAX_MODULE_DEPTH,
    Instance,
    ModuleInstance,
    body_to_value,
    dynamic_contents,
    hop_for,
    instance_suffix,
    join_module_dir,
    local_source,
)
from hdslint.formats.terraform.modules import ReusableModule, reusable_module
from hdslint.i18n import Text, _, join
from hdslint.knowledge.regions import lookup_region
from hdslint.knowledge.terraform import UTILITY_PROVIDERS, ProviderFacts, provider_facts
from hdslint.model import InternalError, Location, Place, Problem, Resource, Undetermined, Value, strip_index
from hdslint.model.values import Elements, Hop, TfValue, TStr, Unknown, shape, shape_of, shape_text, with_hop
from hdslint.syntax import budget
from hdslint.syntax import text as fileio
from hdslint.syntax.hcl import parser as hcl
from hdslint.syntax.hcl.ast import Body, File, Literal, Node, Traversal, file_of
from hdslint.syntax.hcl.unparse import unparse
from hdslint.syntax.jsonpos import JObject, JSONError
from hdslint.syntax.jsonpos import loads as json_loads

if TYPE_CHECKING:
    from hdslint.formats.terraform.config import Decl
    from hdslint.formats.terraform.instances import ProviderInstance

CONFIG_SUFFIXES = TERRAFORM_SUFFIXES
Segment = tuple[str, "int | str | None"]  # one step of an attribute path: (name, index or "*" or None)
# a resource a value may name: its module instance, declaration, instance, address, and the shapes of
# the values that name it (hdslint.model.values.shape)
Named = tuple["ModuleInstance", "Decl", "Instance", str, frozenset]


@dataclass
class RemoteModule:
    """A module call from a registry or a repository that `terraform init` has not installed
    in the scanned tree (.terraform/modules): not analysed."""

    address: str
    source: str
    file: str
    line: int


@dataclass
class UnknownProvider:
    name: str
    module_dir: str
    resources: list[str] = field(default_factory=list)
    file: str = ""
    line: int = 0
    # (argument, value, file, line) of the provider block's string arguments: a SaaS provider's
    # api_url or domain says where its account lives (the map of transfers)
    settings: list[tuple[str, TfValue, str, int]] = field(default_factory=list)


@dataclass
class TerraformResult:
    resources: list[Resource] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # unreadable or invalid files
    remote_modules: list[RemoteModule] = field(default_factory=list)
    installed_modules: list[str] = field(default_factory=list)  # addresses read from .terraform/modules
    missing_modules: list[Problem] = field(default_factory=list)
    unknown_providers: dict[str, UnknownProvider] = field(default_factory=dict)  # name -> UnknownProvider
    comments: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # file -> [(line, text)]
    analysed_files: set[str] = field(default_factory=set)
    roots: list[str] = field(default_factory=list)
    reusable: dict[str, ReusableModule] = field(default_factory=dict)  # root dir -> a reusable module's inputs
    internal_errors: list[InternalError] = field(default_factory=list)


class TerraformProject:
    def __init__(self, root: str, var_files: Iterable[str] = (), cli_vars: Iterable[tuple[str, str]] = (),
                 env: dict[str, str] | None = None, max_bytes: int = fileio.DEFAULT_MAX_BYTES,
                 parse_cache: Any = None, time_budget: float | None = budget.DEFAULT_SECONDS) -> None:
        self.root = os.path.abspath(root)
        self.var_files = list(var_files)
        self.cli_vars = list(cli_vars)  # [(name, text)]
        self.env = dict(os.environ if env is None else env)
        self.max_bytes = max_bytes
        self.parse_cache = parse_cache
        self.time_budget = time_budget
        self.modules: dict[str, ModuleConfig] = {}
        self.result = TerraformResult()
        self._root_values: dict[str, TfValue] = {}
        self._root_hops: dict[str, Hop] = {}  # name -> Hop of the assignment that won
        self._root_dir = "."
        self._installed: dict[str, str] = {}
        self._rels: dict[str, str] = {}
        # (root instance, types, attribute, arn) -> the resources a value may name (named_resources)
        self._named: dict[tuple[int, tuple[str, ...], str, str], tuple[ModuleInstance, list[Named]]] = {}

    # ---- reading ------------------------------------------------------------------------------------
    def rel(self, abspath: str) -> str:
        # memoised: every file is named several times while modules are loaded
        found = self._rels.get(abspath)
        if found is None:
            found = self._rels[abspath] = fileio.relative(abspath, self.root).replace(os.sep, "/")
        return found

    def parse_file(self, abspath: str) -> Problem | File:
        """The syntax tree of one .tf / .tf.json / .tfvars file, or a Problem."""
        rel = self.rel(abspath)
        try:
            text = fileio.read_text(abspath, self.max_bytes)
        except fileio.Unreadable as e:
            return Problem(rel, e.line, join((rel, e.message), " "))
        if self.parse_cache is not None:
            cached = self.parse_cache.get(text, rel)
            if cached is not None:
                return cached
        try:
            with budget.limit(self.time_budget):
                parsed = json_to_file(json_loads(text), rel) if abspath.endswith(".json") else hcl.parse(text)
        except (hcl.HCLError, JSONError) as e:
            return Problem(rel, e.line, _("syntax error: {message}", message=e.message))
        except RecursionError:
            return Problem(rel, 1, _("nesting too deep to analyse"))
        except budget.BudgetExceeded:
            return Problem(rel, 1, _("took more than {seconds:g} s to parse: not analysed (file_time_budget)",
                                     seconds=self.time_budget))
        if self.parse_cache is not None:
            self.parse_cache.put(text, rel, parsed)
        return parsed

    def check_syntax(self, rel: str) -> None:
        """A variables file Terraform does not load by itself (prod.tfvars): checked for syntax,
        so that it is analysed or reported, never skipped in silence."""
        if rel in self.result.analysed_files:
            return
        parsed = self.parse_file(os.path.join(self.root, rel))
        if isinstance(parsed, Problem):
            if parsed not in self.result.problems:
                self.result.problems.append(parsed)
        else:
            self.result.analysed_files.add(rel)
            self.result.comments.setdefault(rel, parsed.comments)

    def load_module(self, reldir: str) -> ModuleConfig | None:
        if reldir in self.modules:
            return self.modules[reldir]
        absdir = os.path.normpath(os.path.join(self.root, reldir))
        if not os.path.isdir(absdir):
            return None
        config = ModuleConfig(reldir)
        try:
            names = sorted(os.listdir(absdir))
        except OSError:
            names = []
        names.sort(key=is_override)  # Terraform reads override files last, in lexical order
        shadowed = _shadowed_by_tofu(names)
        for name in names:
            if not name.endswith(CONFIG_SUFFIXES):
                continue
            if name in shadowed:  # OpenTofu loads x.tofu and ignores x.tf: so does hdslint
                self.result.analysed_files.add(self.rel(os.path.join(absdir, name)))
                continue
            path = os.path.join(absdir, name)
            if os.path.islink(path) and not _inside(os.path.realpath(path), self.root):
                config.problems.append(outside_link(self.rel(path)))
                continue
            if os.path.isdir(path):
                continue  # a directory named x.tf; dangling links and pipes are reported by parse_file
            parsed = self.parse_file(path)
            if isinstance(parsed, Problem):
                config.problems.append(parsed)
            else:
                config.add_file(self.rel(path), parsed)
                self.result.analysed_files.add(self.rel(path))
        self.modules[reldir] = config
        self.result.problems.extend(config.problems)
        self.result.comments.update(config.comments)
        return config

    # ---- roots ------------------------------------------------------------------------------------------
    def run(self, module_dirs: list[str]) -> TerraformResult:
        for d in module_dirs:
            self.load_module(d)
        called = set()
        for d in module_dirs:
            for call in self.modules[d].module_calls.values():
                src = local_source(call)
                if src is not None:
                    called.add(join_module_dir(d, src))
        roots = [d for d in module_dirs if d not in called and (self.modules[d].files or self.modules[d].problems)]
        self.result.roots = roots
        for d in roots:
            installed = self._modules_json(d)
            module = reusable_module(self, d, self.modules[d], installed)
            if module is not None:
                self.result.reusable[d] = module
            self.evaluate_root(d, installed, module)
        return self.result

    def evaluate_root(self, d: str, installed: dict[str, str], module: ReusableModule | None = None,
                      assigned: dict[str, TfValue] | None = None) -> list[Resource]:
        """Evaluate one root module into self.result: its resources, or none when it fails (an
        internal error says why). A reusable module's variables left to its caller take their
        `assigned` values (hdslint.formats.terraform.modules), the others stay open."""
        self._root_dir = d
        self._installed = installed
        before = len(self.result.resources)
        try:
            with budget.limit(self.module_budget):
                instance = ModuleInstance(self, self.modules[d], "")
                self._root_values, self._root_hops = instance.root_values.values, instance.root_values.hops
                self._load_root_values(instance)
                if module is not None:
                    instance.root_values.open = module.opener(assigned or {})
                    if not assigned:
                        module.bound = instance.root_values
                self._instantiate(instance, chain=(d,))
        except budget.BudgetExceeded:
            del self.result.resources[before:]
            self._internal(d, _("evaluating it took more than {seconds:g} s", seconds=self.module_budget))
        except RecursionError:
            del self.result.resources[before:]
            self._internal(d, _("expressions nested or chained too deeply to evaluate"))
        except Exception as e:  # noqa: BLE001 - one module's failure must not stop the scan
            del self.result.resources[before:]
            self._internal(d, f"{type(e).__name__}: {e}")
        return self.result.resources[before:]

    def _modules_json(self, root_dir: str) -> dict[str, str]:
        """Module call key -> directory (relative to the scan root) of the modules `terraform init`
        installed for a root, from its .terraform/modules/modules.json. Read only: nothing is
        ever downloaded. A directory outside the root's .terraform/modules (a hand-edited file)
        or a broken file is a parse finding, and those modules stay unanalysed."""
        rel = posixpath.join(root_dir, ".terraform", "modules", "modules.json") if root_dir != "." \
            else ".terraform/modules/modules.json"
        path = os.path.join(self.root, rel)
        if not os.path.isfile(path):
            return {}
        try:
            doc = json_loads(fileio.read_text(path, self.max_bytes))
        except fileio.Unreadable as e:
            self.result.problems.append(Problem(rel, e.line, join((rel, e.message), " ")))
            return {}
        except JSONError as e:
            self.result.problems.append(Problem(rel, e.line, _("syntax error: {message}", message=e.message)))
            return {}
        entries = doc.get("Modules") if isinstance(doc, dict) else None
        if not isinstance(entries, list):
            self.result.problems.append(Problem(rel, 1, _("not a Terraform modules.json: no \"Modules\" list")))
            return {}
        self.result.analysed_files.add(rel)
        installed = posixpath.normpath(posixpath.join(root_dir, ".terraform", "modules"))
        out: dict[str, str] = {}
        for entry in entries:
            if not isinstance(entry, dict) or not entry.get("Key") or not isinstance(entry.get("Dir"), str):
                continue
            line = getattr(entry, "line", 1)
            target = posixpath.normpath(posixpath.join(root_dir, entry["Dir"]))
            real = os.path.realpath(os.path.join(self.root, target))
            if not (target == installed or target.startswith(installed + "/")) or not _inside(real, self.root):
                self.result.problems.append(Problem(rel, line, _(
                    "module {key}: directory {dir} is outside {installed}: not read", key=entry["Key"],
                    dir=entry["Dir"], installed=installed)))
                continue
            out[str(entry["Key"])] = target
        return out

    @property
    def module_budget(self) -> float | None:
        """A module may take six times longer than one file to evaluate."""
        return self.time_budget * 6 if self.time_budget else None

    def _internal(self, module_dir: str, error: Text) -> None:
        files = self.modules[module_dir].files
        self.result.internal_errors.append((files[0] if files else module_dir, 1,
                                            _("the Terraform module {dir}", dir=module_dir), error))

    def _instantiate(self, inst: ModuleInstance, chain: tuple[str, ...], collect: bool = True) -> None:
        inst.setup_providers()
        config = inst.config
        for name in sorted(config.module_calls):
            call = config.module_calls[name]
            address = inst.qualify(f"module.{name}")
            src = local_source(call)
            key = f"{inst.key}.{name}" if inst.key else name
            if src is None and key in self._installed:  # installed by terraform init
                src = self._installed[key]
                child_dir = src
                self.result.installed_modules.append(address)
            elif src is None:
                source_attr = call.attr("source")
                source = source_attr.expr.value if source_attr and isinstance(source_attr.expr, Literal) else "?"
                self.result.remote_modules.append(RemoteModule(address, str(source), call.file, call.line))
                continue
            else:
                child_dir = join_module_dir(config.dir, src)
            if child_dir in chain or inst.depth >= MAX_MODULE_DEPTH:
                self.result.missing_modules.append(Problem(
                    call.file, call.line, _("{address} calls itself (module cycle): not expanded", address=address)))
                continue
            child_config = self.load_module(child_dir)
            if child_config is None and key in self._installed:
                self.result.missing_modules.append(Problem(call.file, call.line, _(
                    "{address}: {dir}, listed in .terraform/modules/modules.json, is missing: run terraform init "
                    "again", address=address, dir=child_dir)))
                continue
            if child_config is None:
                self.result.missing_modules.append(Problem(
                    call.file, call.line, _("{address}: local module source \"{source}\" does not exist",
                                            address=address, source=src)))
                continue
            children: list[tuple[Any, ModuleInstance]] = []
            for key, each, count in inst.expand(call):
                scope = Scope(inst, call.file, each=each, count=count)
                child = ModuleInstance(self, child_config, address + instance_suffix(key), inst, call, scope,
                                       inst.depth + 1)
                children.append((key, child))
            inst.children[name] = children
        for expanded in inst.children.values():
            for _key, child in expanded if isinstance(expanded, list) else []:
                self._instantiate(child, chain + (child.config.dir,), collect=False)
        if collect:  # every module instance of the root exists before any resource is placed
            self._collect_all(inst)

    def _collect_all(self, inst: ModuleInstance) -> None:
        """The resources of a module instance and of the modules it calls, callees first."""
        for expanded in inst.children.values():
            for _key, child in expanded if isinstance(expanded, list) else []:
                self._collect_all(child)
        self._collect_resources(inst)

    # ---- root variables -----------------------------------------------------------------------------------
    def _load_root_values(self, inst: ModuleInstance) -> None:
        """Terraform's precedence, lowest first: env, terraform.tfvars(.json), *.auto.tfvars(.json)
        in lexical order, then -var-file and -var in the order given."""
        values = self._root_values
        config = inst.config
        for name in config.variables:
            text = self.env.get(f"TF_VAR_{name}")
            if text is not None:
                hop = Hop(_("TF_VAR_{name} (environment)", name=name), "<env>", 0)
                values[name] = self._cli_value(inst, name, text, hop)
        absdir = os.path.normpath(os.path.join(self.root, config.dir))
        try:
            names = sorted(os.listdir(absdir))
        except OSError:
            names = []
        auto: list[str] = [n for n in ("terraform.tfvars", "terraform.tfvars.json") if n in names]
        auto += [n for n in names if n.endswith((".auto.tfvars", ".auto.tfvars.json"))]
        for n in auto:
            self._load_tfvars(inst, os.path.join(absdir, n))
        for path in self.var_files:
            self._load_tfvars(inst, os.path.abspath(path))
        for name, text in self.cli_vars:
            values[name] = self._cli_value(inst, name, text, Hop(f"--var {name}", "<command line>", 0))

    def _load_tfvars(self, inst: ModuleInstance, path: str) -> None:
        parsed = self.parse_file(path) if not path.endswith(".json") else self._tfvars_json(path)
        if isinstance(parsed, Problem):
            if parsed not in self.result.problems:
                self.result.problems.append(parsed)
            return
        rel = self.rel(path)
        self.result.analysed_files.add(rel)
        self.result.comments[rel] = parsed.comments
        for name, attr in parsed.body.attributes.items():
            value = evaluate(attr.expr, Scope(inst, rel))
            self._root_values[name] = with_hop(value, hop_for(f"var.{name}", attr.expr, rel, attr.line))
            self._root_hops[name] = Hop(f"var.{name}", rel, attr.line)

    def _tfvars_json(self, path: str) -> File | Problem:
        rel = self.rel(path)
        try:
            doc = json_loads(fileio.read_text(path, self.max_bytes))
        except fileio.Unreadable as e:
            return Problem(rel, e.line, join((rel, e.message), " "))
        except JSONError as e:
            return Problem(rel, e.line, _("syntax error: {message}", message=e.message))
        from hdslint.formats.terraform.config import json_value_to_expr
        from hdslint.syntax.hcl.ast import Attribute, Body, File

        body = Body()
        if isinstance(doc, dict):
            for k, v in doc.items():
                line = doc.key_lines.get(k, 1) if isinstance(doc, JObject) else 1
                try:
                    body.attributes[k] = Attribute(k, json_value_to_expr(v, line), line, line)
                except hcl.HCLError as e:
                    return Problem(rel, e.line, _("syntax error: {message}", message=e.message))
        return File(body, [], 0)

    def _cli_value(self, inst: ModuleInstance, name: str, text: str, hop: Hop) -> TfValue:
        decl = inst.config.variables.get(name)
        type_attr = decl.attr("type") if decl else None
        simple = type_attr is not None and (isinstance(type_attr.expr, Literal)
                                            or getattr(type_attr.expr, "root", None) in ("string", "number", "bool"))
        complex_type = type_attr is not None and not simple
        if complex_type or text.strip().startswith(("[", "{")):
            try:
                return with_hop(evaluate(hcl.parse_expression(text), Scope(inst, hop.file)), hop)
            except hcl.HCLError:
                pass
        return TStr(text, (hop, Hop(f'"{text}"', hop.file, hop.line)))

    def root_variable(self, inst: ModuleInstance, name: str) -> TfValue:
        bound = inst.root_values
        value = bound.values.get(name)
        if value is None and bound.open is not None:
            return bound.open(name)
        return value

    def root_variable_hop(self, inst: ModuleInstance, name: str) -> Hop | None:
        return inst.root_values.hops.get(name)

    # ---- resources named by a value --------------------------------------------------------------------------
    def named_resources(self, inst: ModuleInstance, names: dict[str, Any]) -> list[Named]:
        """Every instance of names['types'] in the root of `inst` (in any module instance), with the
        shapes of the values that name it: the ARN written from its names['attribute']
        (names['arn'], "arn:aws:s3:::{name}"), and its arn, or its id or name inside that ARN,
        when known only after apply."""
        root = inst
        while root.parent is not None:
            root = root.parent
        types = tuple(names["types"])
        before, _name, after = names.get("arn", "{name}").partition("{name}")
        key = (id(root), types, names["attribute"], names.get("arn", ""))
        cached = self._named.get(key)
        if cached is not None and cached[0] is root:
            return cached[1]
        out: list[Named] = []
        for here in _instances(root):
            for rkey in sorted(here.config.resources):
                decl = here.config.resources[rkey]
                if decl.kind != "resource" or decl.labels[0] not in types:
                    continue
                base = here.qualify(rkey)
                for chosen in here.expand(decl):
                    marker = repr(chosen[0])
                    shapes = {shape_of(before, (("after apply", f"{base}.{attr}", marker),), after)
                              for attr in ("id", names["attribute"])}
                    shapes.add((("after apply", f"{base}.arn", marker),))
                    written = shape(here.resource_attribute(decl, chosen, names["attribute"], "managed"))
                    if written:
                        shapes.add(shape_of(before, written, after))
                    out.append((here, decl, chosen, base + instance_suffix(chosen[0]), frozenset(shapes)))
        self._named[key] = (root, out)
        return out

    # ---- computed attributes -----------------------------------------------------------------------------------
    def computed_attribute(self, inst: ModuleInstance, decl: Decl, instance: Instance, name: str, mode: str,
                           address: str) -> TfValue:
        rtype = decl.labels[0]
        facts = self._facts_for(inst, decl)
        if mode == "data":
            ds = facts.data_sources.get(rtype) if facts else None
            if facts and ds and name in ds.get("provider_location", []):
                provider = inst.provider(self._provider_key(decl))
                view = _ResourceView(self, inst, decl, instance, provider, facts, address)
                values = view.provider_values(facts.block.get("location", []))
                if isinstance(values, Undetermined):
                    return Unknown(values.reason, values.hops)
                value = values[0][0]
                return with_hop(value, Hop(_("{address}.{name} is the region of {provider}", address=address, name=name,
                                             provider=provider.address), decl.file, decl.line))
            argument = (ds or {}).get("same_as", {}).get(name)
            attr = decl.attr(argument) if argument else None
            if attr is not None:
                _key, each, count = instance
                file = file_of(attr, decl.file)
                value = evaluate(attr.expr, Scope(inst, file, each=each, count=count))
                hop = Hop(_("{address}.{name} is set to its {argument}", address=address, name=name,
                            argument=argument), decl.file, decl.line)
                return with_hop(with_hop(value, hop_for(f"{address} {argument}", attr.expr, file, attr.line)), hop)
            if facts and ds and name in (ds.get("zones_of_region") or {}).get("attributes", []):
                return self._zones_of_region(inst, decl, instance, facts, ds["zones_of_region"], name, address)
            if rtype in policydocs.DOCUMENT_TYPES and name in policydocs.EXPORTS:
                _key, each, count = instance
                body = body_to_value(decl.body, Scope(inst, decl.file, each=each, count=count))
                return policydocs.document(body, address, decl.file, decl.line)
            return Unknown(_("{address}.{name} is read from the cloud at plan time", address=address, name=name),
                           pending=True)
        if facts is not None:
            rf = facts.resource(rtype) or {}
            location_attrs = [p.split("[")[0].split(".")[0] for p in rf.get("location", facts.resource_location)]
            if name in location_attrs or name in ("region", "location"):
                loc = self.locate(inst, decl, instance, facts, address)
                primary = [p for p in loc.places if p.role == "primary"]
                if primary:
                    p = primary[0]
                    return TStr(p.region.code, (Hop(_("{address}.{name} is where {address} is created",
                                                      address=address, name=name), decl.file, decl.line),) + p.hops)
                if loc.undetermined:
                    u = loc.undetermined[0]
                    return Unknown(u.reason, u.hops)
        return Unknown(_("{address}.{name} is known only after apply", address=address, name=name),
                       origin=(inst, decl, instance, address), ref=f"{address}.{name}")

    def read_sets(self, inst: ModuleInstance, decl: Decl, name: str) -> bool:
        """A data source's read sets this attribute, whatever its block says: it is another argument's
        value (facts `same_as`: ovh_order_cart_product_options_plan.plan_code is options_plan_code)."""
        facts = self._facts_for(inst, decl)
        ds = facts.data_sources.get(decl.labels[0]) if facts else None
        return bool(ds and name in ds.get("same_as", {}))

    def _zones_of_region(self, inst: ModuleInstance, decl: Decl, instance: Instance, facts: ProviderFacts,
                         spec: dict[str, Any], name: str, address: str) -> TfValue:
        """A list of the zones of one region (data.google_compute_zones.x.names), read from the cloud: its
        length and order stay unknown, but every element lies in the region of the block's argument, or
        else of the provider (evaluator.apply_steps reads an element by index as that region)."""
        cloud = _("{address}.{name} is read from the cloud at plan time", address=address, name=name)
        argument = spec["argument"]
        attr = decl.attr(argument)
        if attr is not None:
            _key, each, count = instance
            file = file_of(attr, decl.file)
            value = with_hop(evaluate(attr.expr, Scope(inst, file, each=each, count=count)),
                             hop_for(f"{address} {argument}", attr.expr, file, attr.line))
            hop = Hop(_("{address}.{name} lists the zones of its {argument}", address=address, name=name,
                        argument=argument), decl.file, decl.line)
        else:
            provider = inst.provider(self._provider_key(decl))
            view = _ResourceView(self, inst, decl, instance, provider, facts, address)
            provided = view.provider_values(facts.block.get("location", []))
            if isinstance(provided, Undetermined):
                return Unknown(provided.reason, provided.hops)
            value = provided[0][0]
            hop = Hop(_("{address}.{name} lists the zones of the region of {provider}", address=address, name=name,
                        provider=provider.address), decl.file, decl.line)
        if isinstance(value, Unknown):
            return Unknown(value.reason, (hop,) + value.hops)
        if not isinstance(value, str):
            return Unknown(cloud, pending=True)
        region = lookup_region(facts.catalog, value)
        code = region.parent if region is not None and region.kind == "zone" and region.parent else str(value)
        hops = value.hops if isinstance(value, TStr) else ()
        return Unknown(cloud, pending=True, partial=Elements(TStr(code, (hop,) + hops)))

    # ---- resources -----------------------------------------------------------------------------------------------
    def _provider_key(self, decl: Decl) -> str:
        attr = decl.attr("provider")
        if attr is not None:
            key = reference_key(attr.expr)
            if key:
                return key
        return decl.labels[0].split("_")[0]

    def _facts_for(self, inst: ModuleInstance, decl: Decl) -> ProviderFacts | None:
        key = self._provider_key(decl)
        local = key.split(".")[0]
        return provider_facts(local, self._required_source(inst, local)) or provider_facts(decl.labels[0].split("_")[0])

    def _required_source(self, inst: ModuleInstance, local: str) -> str | None:
        here: ModuleInstance | None = inst
        while here is not None:
            src = here.config.required_providers.get(local)
            if src:
                return src
            here = here.parent
        return None

    def locate(self, inst: ModuleInstance, decl: Decl, instance: Instance, facts: ProviderFacts,
               address: str) -> Location:
        cache = inst.locations
        key = (decl.labels[0], decl.labels[1], instance[0])
        if key in cache:
            loc = cache[key]
            return loc if loc is not None else Location(undetermined=[Undetermined(
                _("the location of {address} depends on itself", address=address), (), decl.file, decl.line)])
        cache[key] = None
        provider = inst.provider(self._provider_key(decl))
        view = _ResourceView(self, inst, decl, instance, provider, facts, address)
        loc = locate(decl.labels[0], facts, view)
        cache[key] = loc
        return loc

    def _collect_resources(self, inst: ModuleInstance) -> None:
        for key in sorted(inst.config.resources):
            decl = inst.config.resources[key]
            if decl.kind != "resource":
                continue
            rtype = decl.labels[0]
            prefix = rtype.split("_")[0]
            facts = self._facts_for(inst, decl)
            if facts is None:
                local = self._provider_key(decl).split(".")[0]
                if prefix in UTILITY_PROVIDERS or local in UTILITY_PROVIDERS:
                    continue
                unknown = self.result.unknown_providers.get(local)
                if unknown is None:
                    unknown = UnknownProvider(local, inst.config.dir, file=decl.file, line=decl.line,
                                              settings=_provider_settings(inst.provider(self._provider_key(decl))))
                    self.result.unknown_providers[local] = unknown
                unknown.resources.append(inst.qualify(key))
                continue
            provider = inst.provider(self._provider_key(decl))
            for instance in inst.expand(decl):
                address = inst.qualify(key) + instance_suffix(instance[0])
                role = facts.data_role(rtype)
                res = Resource(
                    address=address, type=rtype, name=decl.labels[1], file=decl.file, line=decl.line,
                    end_line=decl.end_line, source_format="terraform", provider=provider.local_name,
                    provider_address=provider.address, catalog=facts.catalog, module=inst.address,
                    root=self._root_dir,
                    facts=facts.resource(rtype), data_role=role,
                )
                view = _ResourceView(self, inst, decl, instance, provider, facts, address)
                res.values = view.values
                res.references = view.references
                res.expression = view.expression
                res.locator = (lambda i=inst, d=decl, n=instance, f=facts, a=address: self.locate(i, d, n, f, a))
                if role != "none":
                    _ = res.location  # placed now, while the module instances are at hand
                self.result.resources.append(res)


def _provider_settings(provider: ProviderInstance) -> list[tuple[str, TfValue, str, int]]:
    """The string arguments of a provider block, evaluated, with where they are written."""
    if provider.decl is None:
        return []
    out = []
    for name in sorted(provider.decl.body.attributes):
        got = provider.attribute(name)
        if got is not None and isinstance(got[0], str):
            value, attr = got
            out.append((name, value, file_of(attr, provider.decl.file), attr.line))
    return out


def _shadowed_by_tofu(names: list[str]) -> set[str]:
    """The .tf / .tf.json files OpenTofu ignores because a .tofu / .tofu.json file of the same
    name sits beside them (https://opentofu.org/docs/language/files/#extension-precedence)."""
    present = set(names)
    out = set()
    for name in names:
        for tofu, tf in ((".tofu", ".tf"), (".tofu.json", ".tf.json")):
            if name.endswith(tofu) and not (tofu == ".tofu" and name.endswith(".tofu.json")):
                twin = name[: -len(tofu)] + tf
                if twin in present:
                    out.add(twin)
    return out


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class _ResourceView:
    """Reads one resource instance for the locator and for checks."""

    def __init__(self, project: TerraformProject, inst: ModuleInstance, decl: Decl, instance: Instance,
                 provider: ProviderInstance, facts: ProviderFacts, address: str) -> None:
        self.project, self.inst, self.decl, self.instance = project, inst, decl, instance
        self.provider, self.facts, self.address = provider, facts, address
        self.file, self.line = decl.file, decl.line
        each, count = instance[1], instance[2]
        self.scope = Scope(inst, decl.file, each=each, count=count)

    def values(self, path: str) -> list[Value]:
        return [Value(v, f, ln) for v, f, ln in self._walk(self.decl.body, _segments(path), self.address, self.scope)]

    def location_values(self, path: str) -> list[tuple[Any, str, int]]:
        return [(v, f, ln) for v, f, ln in self._walk(self.decl.body, _segments(path), self.address, self.scope)
                if v is not None]

    def _walk(self, body: Body, segments: tuple[Segment, ...], label: Text, scope: Scope
              ) -> Iterator[tuple[Any, str, int]]:
        name, index = segments[0]
        rest = segments[1:]
        attr = body.attributes.get(name)
        if attr is not None:
            file = file_of(attr, self.decl.file)
            if file != scope.file:
                scope = Scope(scope.module, file, scope.each, scope.count, scope.names)
            hop = hop_for(f"{label} {name}", attr.expr, file, attr.line)
            value = evaluate(attr.expr, scope)
            value = [with_hop(v, hop) for v in value] if isinstance(value, list) else with_hop(value, hop)
            yield from _navigate(value, index, rest, file, attr.line)
            return
        found = []  # (block body, scope) in order, dynamic blocks expanded
        for b in body.blocks:
            if b.type == name:
                found.append((b, scope))
            elif b.type == "dynamic" and b.labels == [name]:
                expanded = dynamic_contents(b, scope)
                if isinstance(expanded, Unknown):
                    yield expanded, self.decl.file, b.line
                    continue
                found.extend(expanded)
        if isinstance(index, int):
            found = found[index:index + 1]
        for b, inner in found:
            if rest:
                yield from self._walk(b.body, rest, f"{label} {name}", inner)
            else:
                yield {**body_to_value(b.body, inner), "__block__": True}, self.decl.file, b.line

    def expression(self, path: str) -> str | None:
        """A top-level attribute's expression as written, in its module instance, when it is not a
        literal (a literal is compared by value)."""
        attr = self.decl.body.attributes.get(_segments(path)[0][0])
        if attr is None or isinstance(attr.expr, Literal):
            return None
        return f"{self.inst.address}|{unparse(attr.expr)}"

    def references(self, path: str) -> set[str]:
        """Base addresses (no instance keys) of the resources an attribute refers to, directly
        or through module variables and outputs."""
        out = set()
        name = _segments(path)[0][0]
        attr = self.decl.body.attributes.get(name)
        exprs = [attr.expr] if attr is not None else []
        if attr is None:
            exprs = [a.expr for b in self.decl.body.blocks if b.type == name for a in b.body.attributes.values()]
        for expr in exprs:
            for node in _walk_traversals(expr):
                target = _referenced_resource(node)
                if target is not None and target[0] == "managed":
                    out.add(strip_index(self.inst.qualify(f"{target[1]}.{target[2]}")))
        for v in self.values(path):
            for u in _unknowns(v.value):
                if u.origin is not None:
                    out.add(strip_index(u.origin[3]))
        return out

    def origin_location(self, origin: Any, line: int) -> Location | None:
        inst, decl, chosen, address = origin
        facts = self.project._facts_for(inst, decl)
        if facts is None:
            return None
        hop = Hop(_("{address} copies to {target}", address=self.address, target=address), self.decl.file, line)
        return _prefixed(self.project.locate(inst, decl, chosen, facts, address), hop)

    def named_location(self, value: Any, names: dict[str, Any], line: int) -> Location | None:
        """The one resource of the root (any module instance) of names['types'] that the value
        names: an ARN written from its names['attribute'] (arn:aws:s3:::NAME, NAME resolved as far
        as it goes, its unknown parts the same), or its arn, id or name known after apply. None
        when no resource, or more than one, matches."""
        wanted = shape(value)
        if not wanted:
            return None
        matches = [c for c in self.project.named_resources(self.inst, names) if wanted in c[4]]
        if len(matches) != 1:
            return None
        inst, decl, chosen, address, _shapes = matches[0]
        facts = self.project._facts_for(inst, decl)
        if facts is None:
            return None
        hop = Hop(_("{address} copies to {target}, the only {type} of the root that {value} names",
                    address=self.address, target=address, type=decl.labels[0], value=f'"{shape_text(wanted)}"'),
                  self.decl.file, line)
        return _prefixed(self.project.locate(inst, decl, chosen, facts, address), hop)

    def reference_location(self, path: str) -> Undetermined | Location | None:
        name = _segments(path)[0][0]
        attr = self.decl.body.attributes.get(name)
        if attr is None:
            return None
        target = _referenced_resource(attr.expr)
        if target is None:
            value = evaluate(attr.expr, self.scope)
            if value is None:
                return None
            if isinstance(value, Unknown) and value.origin is not None:
                inst, decl, chosen, address = value.origin
                facts = self.project._facts_for(inst, decl)
                if facts is not None:
                    hop = Hop(_("{address} {name} = {expression} (from {origin}, inherits its location)",
                                address=self.address, name=name, expression=unparse(attr.expr), origin=address),
                              self.decl.file, attr.line)
                    return _prefixed(self.project.locate(inst, decl, chosen, facts, address), hop)
            reason = value.reason if isinstance(value, Unknown) else _("{name} is not a reference to a resource",
                                                                          name=name)
            return Undetermined(_("{address} takes its location from {name}, which hdslint cannot follow: {reason}",
                                  address=self.address, name=name, reason=reason), (), self.decl.file, attr.line)
        mode, rtype, rname, key_expr = target
        rkey = f"{rtype}.{rname}" if mode == "managed" else f"data.{rtype}.{rname}"
        if mode == "data":
            return Undetermined(_("{name} refers to {data}, whose location is read from the cloud", name=name,
                                  data=rkey),
                                (Hop(f"{self.address} {name} = data.{rtype}.{rname}", self.decl.file, attr.line),),
                                self.decl.file, attr.line)
        decl = self.inst.config.resources.get(rkey)
        if decl is None:
            return Undetermined(_("{name} refers to {reference}, which is not declared", name=name, reference=rkey), (),
                                self.decl.file, attr.line)
        instances = self.inst.expand(decl)
        chosen = instances[0]
        if key_expr is not None:
            k = evaluate(key_expr, self.scope)
            for inst in instances:
                if inst[0] is not None and str(inst[0]) == str(k):
                    chosen = inst
        facts = self.project._facts_for(self.inst, decl)
        if facts is None:
            return Undetermined(_("{name} refers to {reference}, of a provider hdslint does not know", name=name,
                                  reference=rkey), (), self.decl.file, attr.line)
        address = self.inst.qualify(rkey) + instance_suffix(chosen[0])
        loc = self.project.locate(self.inst, decl, chosen, facts, address)
        hop = Hop(_("{address} {name} = {target} (inherits its location)", address=self.address, name=name,
                    target=address), self.decl.file, attr.line)
        return _prefixed(loc, hop)

    def provider_values(self, attributes: list[str]) -> list[tuple[Any, str, int]] | Undetermined:
        provider = self.provider
        for name in attributes:
            got = provider.attribute(name)
            if got is not None and got[0] is not None:
                value, attr = got
                return [(value, file_of(attr, provider.decl.file if provider.decl else self.file), attr.line)]
        block = self.facts.block
        default = block.get("default")
        where = (f"{provider.address} ({provider.decl.file}:{provider.decl.line})" if provider.decl
                 else _("{provider} (no provider block)", provider=provider.address))
        if default:
            hop = Hop(_("{where} sets no {attribute}: the provider's default {default}", where=where,
                        attribute=attributes[0], default=default), self.file, self.line)
            return [(TStr(default, (hop,)), self.file, self.line)]
        env = block.get("env") or []
        from_env = _("; Terraform takes it from {variables} at apply time", variables=either(env)) if env else ""
        names = either(a.replace('[0]', '') for a in attributes)
        return Undetermined(_("{where} sets no {names}", where=where, names=names) + from_env, (), self.file, self.line)


def _walk_traversals(expr: Node | None, depth: int = 0) -> Iterator[Traversal]:
    """Every Traversal inside an expression."""
    from hdslint.syntax.hcl.ast import Node, Traversal, children

    if depth > 64 or expr is None:
        return
    if isinstance(expr, Traversal):
        yield expr
        if not isinstance(expr.root, str):
            yield from _walk_traversals(expr.root, depth + 1)
        for kind, step in expr.steps:
            if kind == "index":
                yield from _walk_traversals(step, depth + 1)
        return
    if isinstance(expr, Node):
        for c in children(expr):
            if isinstance(c, Node):
                yield from _walk_traversals(c, depth + 1)


def _unknowns(value: TfValue, depth: int = 0) -> Iterator[Unknown]:
    if isinstance(value, Unknown):
        yield value
    elif depth < 8 and isinstance(value, list):
        for v in value:
            yield from _unknowns(v, depth + 1)
    elif depth < 8 and isinstance(value, dict):
        for v in value.values():
            yield from _unknowns(v, depth + 1)


def _instances(inst: ModuleInstance) -> Iterator[ModuleInstance]:
    """A module instance and every instance below it."""
    yield inst
    for expanded in inst.children.values():
        for _key, child in expanded if isinstance(expanded, list) else []:
            yield from _instances(child)


def _prefixed(loc: Location, hop: Hop) -> Location:
    out = Location()
    for p in loc.places:
        out.places.append(Place(p.region, p.role, (hop,) + p.hops, p.file, p.line))
    for u in loc.undetermined:
        out.undetermined.append(Undetermined(u.reason, (hop,) + u.hops, u.file, u.line, u.role))
    return out


@functools.lru_cache(maxsize=1024)
def _segments(path: str) -> tuple[Segment, ...]:
    """The steps of an attribute path (encryption.at_rest, rule[0].apply): the same few paths are
    read for every resource."""
    out: list[Segment] = []
    for part in path.split("."):
        if part.endswith("]") and "[" in part:
            name, idx = part[:-1].split("[", 1)
            out.append((name, "*" if idx == "*" else int(idx)))
        else:
            out.append((part, None))
    return tuple(out)


def _navigate(value: TfValue, index: int | str | None, rest: tuple[Segment, ...], file: str, line: int
              ) -> Iterator[tuple[Any, str, int]]:
    if index is not None:
        if isinstance(value, Unknown):
            yield value, file, line
            return
        if not isinstance(value, list):
            value = [value] if value is not None else []
        items = value if not isinstance(index, int) else value[index:index + 1]
    else:
        items = [value]
    for item in items:
        if not rest:
            yield item, file, line
            continue
        if isinstance(item, Unknown):
            yield item, file, line
            continue
        name, idx = rest[0]
        if isinstance(item, list):  # a list of blocks given as an object list
            for sub in item:
                if isinstance(sub, dict) and name in sub:
                    yield from _navigate(sub[name], idx, rest[1:], file, line)
            continue
        if isinstance(item, dict) and name in item:
            yield from _navigate(item[name], idx, rest[1:], file, line)


def _referenced_resource(expr: Node) -> tuple[str, str, str, Node | None] | None:
    """(mode, type, name, index expr) when expr is a plain reference to a resource attribute."""
    from hdslint.syntax.hcl.ast import Template, Traversal

    if isinstance(expr, Template) and len(expr.parts) == 1 and not isinstance(expr.parts[0], str):
        expr = expr.parts[0]
    if not isinstance(expr, Traversal) or not isinstance(expr.root, str):
        return None
    steps = list(expr.steps)
    if expr.root == "data":
        if len(steps) < 2 or steps[0][0] != "attr" or steps[1][0] != "attr":
            return None
        return ("data", steps[0][1], steps[1][1], None)
    if expr.root in ("var", "local", "module", "each", "count", "path", "terraform", "self") or not steps:
        return None
    if steps[0][0] != "attr":
        return None
    key = steps[1][1] if len(steps) > 1 and steps[1][0] == "index" else None
    return ("managed", expr.root, steps[0][1], key)


def module_dirs_of(paths: list[str], root: str) -> list[str]:
    """Relative module directories containing the given configuration files."""
    dirs = {posixpath.dirname(p) or "." for p in paths}
    return sorted(dirs)
