"""Module instances: a module configuration with its inputs, providers and iteration.

The root module takes its variables from TF_VAR_* environment variables, terraform.tfvars,
*.auto.tfvars and the --var-file / --var options, in Terraform's order of precedence. A child
module takes them from the arguments of its module block, evaluated in the caller.
Every value read is cached per instance; cycles and runaway depth give an Unknown.
"""
from __future__ import annotations

import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from hdslint.formats.terraform.config import Decl, ModuleConfig, reference_key
from hdslint.formats.terraform.evaluator import Scope, apply_steps, evaluate
from hdslint.i18n import Text, _, join
from hdslint.model.values import Hop, TfValue, TStr, Unknown, with_hop
from hdslint.syntax.hcl.ast import Block, Body, Call, Literal, ObjectExpr, TupleExpr, file_of
from hdslint.syntax.hcl.unparse import unparse

if TYPE_CHECKING:
    from hdslint.syntax.hcl.ast import Attribute, Node


class Project(Protocol):
    """What a module instance asks of the project that reads it (project.TerraformProject): the
    root module's variable values, and the attributes only the provider computes."""

    def root_variable(self, inst: ModuleInstance, name: str) -> TfValue: ...
    def root_variable_hop(self, inst: ModuleInstance, name: str) -> Hop | None: ...
    def computed_attribute(self, inst: ModuleInstance, decl: Decl, instance: Instance, name: str, mode: str,
                           address: str) -> TfValue: ...
    def read_sets(self, inst: ModuleInstance, decl: Decl, name: str) -> bool: ...

# One instance of a block: (key, each, count) -- key for the address, each = (key, value) for
# for_each, count index for count; (None, None, None) for a block without either.
Instance = tuple[Any, Any, Any]


@dataclass
class RootValues:
    """The values a root module's variables take (environment, tfvars, command line), and where
    each was assigned; in a reusable module, `open` gives the value of a variable left to the
    module's caller (hdslint.formats.terraform.modules). Held by the root instance: values read
    after the scan moved on to another root still come from this one."""

    values: dict[str, TfValue] = field(default_factory=dict)
    hops: dict[str, Hop] = field(default_factory=dict)
    open: Callable[[str], TfValue] | None = None


MAX_INSTANCES = 1000  # count / for_each expansion of one block
MAX_MODULE_DEPTH = 16
_PENDING = object()


def hop_for(label: Text, expr: Node, file: str, line: int) -> Hop:
    """'local.region' for a literal (the literal's own hop follows), 'local.region = var.x' otherwise."""
    return Hop(label if isinstance(expr, Literal) else join((label, " = ", unparse(expr)), ""), file, line)


def instance_suffix(key: object) -> str:
    if key is None:
        return ""
    if isinstance(key, int):
        return f"[{key}]"
    return "[" + json.dumps(str(key), ensure_ascii=False) + "]"


class ProviderInstance:
    """A provider configuration as seen by resources of a module instance."""

    def __init__(self, key: str, decl: Decl | None, module: ModuleInstance) -> None:
        self.key = key  # "aws" or "aws.dr"
        self.local_name = key.split(".")[0]
        self.decl = decl  # None: no provider block, Terraform uses an empty configuration
        self.module = module  # where the block is written (evaluation scope)
        prefix = f"{module.address}." if module.address and decl is not None else ""
        self.address = f"{prefix}provider.{key}"

    def attribute(self, name: str) -> tuple[TfValue, Attribute] | None:
        """(value, attribute) of a provider argument or nested argument (api[0].region),
        or None when the block does not set it."""
        if self.decl is None:
            return None
        body = self.decl.body
        *blocks, last = name.split(".")
        for part in blocks:
            block_type, _sep, index = part.partition("[")
            found = body.blocks_of(block_type)
            i = int(index.rstrip("]")) if index.rstrip("]").isdigit() else 0
            if len(found) <= i:
                return None
            body = found[i].body
        attr = body.attributes.get(last)
        if attr is None:
            return None
        file = file_of(attr, self.decl.file)
        value = evaluate(attr.expr, Scope(self.module, file))
        hop = hop_for(f"{self.address} {name.replace('[0]', '')}", attr.expr, file, attr.line)
        return with_hop(value, hop), attr


class ModuleInstance:
    def __init__(self, project: Project, config: ModuleConfig, address: str,
                 parent: ModuleInstance | None = None, call: Decl | None = None, call_scope: Scope | None = None,
                 depth: int = 0) -> None:
        self.project = project
        self.config = config
        self.address = address  # "" for a root module, module.db, module.db["a"].module.x
        self.parent = parent
        self.call = call
        self.call_scope = call_scope  # the caller's scope, with each/count of this instance
        self.depth = depth
        # the call names from the root, as Terraform keys modules.json: "db", "db.db_instance"
        self.key: str = ".".join(k for k in (parent.key if parent else "", call.name if call else "") if k)
        self._vars: dict[str, Any] = {}
        self._locals: dict[str, Any] = {}
        self._outputs: dict[str, Any] = {}
        self._expansions: dict[tuple[str, ...], list[Instance]] = {}
        # call name -> [(key, ModuleInstance)] or an Unknown
        self.children: dict[str, list[tuple[Any, ModuleInstance]] | Unknown] = {}
        self.providers: dict[str, ProviderInstance] = {}
        self.locations: dict[tuple[str, str, Any], Any] = {}  # resource locations, computed once (project.locate)
        self.root_values: RootValues = RootValues() if parent is None else parent.root_values
        self.validating = False  # evaluating a variable's validation: can() of a failed call is false

    # ---- naming ------------------------------------------------------------------------------------
    def qualify(self, address: str) -> str:
        return f"{self.address}.{address}" if self.address else address

    def path(self, which: str) -> TStr:
        if which == "module":
            return TStr(self.config.dir, ())
        root = self
        while root.parent is not None:
            root = root.parent
        return TStr(root.config.dir, ())

    # ---- variables and locals ----------------------------------------------------------------------
    def var(self, name: str) -> Any:
        cached = self._vars.get(name)
        if cached is _PENDING:
            return Unknown(_("var.{name} depends on itself", name=name))
        if cached is not None:
            return cached
        self._vars[name] = _PENDING
        value = self._var_value(name)
        self._vars[name] = value
        return value

    def _var_value(self, name: str) -> Any:
        value = self._raw_var_value(name)
        decl = self.config.variables.get(name)
        type_attr = decl.attr("type") if decl is not None else None
        if type_attr is not None and decl is not None and isinstance(value, (dict, list)):
            value = apply_type(value, type_attr.expr, Scope(self, decl.file))
        return value

    def _raw_var_value(self, name: str) -> Any:
        decl = self.config.variables.get(name)
        if self.parent is None:
            assigned = self.project.root_variable(self, name)
            if assigned is not None:
                return assigned
        elif self.call is not None and self.call_scope is not None and name in self.call.body.attributes:
            attr = self.call.body.attributes[name]
            value = evaluate(attr.expr, self.call_scope)
            return with_hop(value, hop_for(f"{self.address} {name}", attr.expr, self.call.file, attr.line))
        if decl is None:
            return Unknown(_("var.{name} is not declared in {dir}", name=name, dir=self.config.dir))
        default = decl.attr("default")
        if default is not None:
            file = file_of(default, decl.file)
            value = evaluate(default.expr, Scope(self, file))
            return with_hop(value, hop_for(_("var.{name} default", name=name), default.expr, file, default.line))
        if self.parent is None:
            why = _("var.{name} has no default and no value in TF_VAR_*, terraform.tfvars, *.auto.tfvars or --var-file",
                    name=name)
        else:
            why = _("var.{name} has no default and no argument in the call {address}", name=name, address=self.address)
        return Unknown(why, (Hop(f"var.{name}", decl.file, decl.line),), pending=True)

    def local(self, name: str) -> Any:
        cached = self._locals.get(name)
        if cached is _PENDING:
            return Unknown(_("local.{name} depends on itself", name=name))
        if cached is not None:
            return cached
        found = self.config.locals.get(name)
        if found is None:
            return Unknown(_("local.{name} is not defined in {dir}", name=name, dir=self.config.dir))
        attr, file = found
        self._locals[name] = _PENDING
        value = with_hop(evaluate(attr.expr, Scope(self, file)), hop_for(f"local.{name}", attr.expr, file, attr.line))
        self._locals[name] = value
        return value

    def definition_hop(self, kind: str, name: str) -> Hop | None:
        """Where a variable or local holding a map or list got its value, for chains through it."""
        if kind == "local":
            found = self.config.locals.get(name)
            if found:
                attr, file = found
                return Hop(f"local.{name}", file, attr.line)
            return None
        if self.parent is None:
            return self.project.root_variable_hop(self, name)
        if self.call is not None and name in self.call.body.attributes:
            attr = self.call.body.attributes[name]
            return Hop(f"{self.address} {name} = {unparse(attr.expr)}", self.call.file, attr.line)
        decl = self.config.variables.get(name)
        default = decl.attr("default") if decl else None
        return Hop(_("var.{name} default", name=name), decl.file, default.line) if decl and default else None

    # ---- iteration ------------------------------------------------------------------------------------
    def expand(self, decl: Decl, scope_file: str | None = None) -> list[Instance]:
        """[(key, each, count)] for a block with count or for_each; [(None, None, None)] otherwise."""
        key = (decl.kind, *decl.labels)
        if key in self._expansions:
            return self._expansions[key]
        self._expansions[key] = [(None, None, None)]  # guards self-referencing count
        result = self._expand(decl, scope_file or decl.file)
        self._expansions[key] = result
        return result

    def _expand(self, decl: Decl, file: str) -> list[Instance]:
        scope = Scope(self, file)
        count = decl.attr("count")
        if count is not None:
            n = evaluate(count.expr, scope)
            if isinstance(n, Unknown):
                return [(None, None, Unknown(_("count is not known: {reason}", reason=n.reason)))]
            if isinstance(n, bool) or not isinstance(n, (int, float)):
                return [(None, None, Unknown(_("count is not a number")))]
            return [(i, None, i) for i in range(min(int(n), MAX_INSTANCES))]
        for_each = decl.attr("for_each")
        if for_each is not None:
            coll = evaluate(for_each.expr, scope)
            if isinstance(coll, Unknown):
                return [(None, Unknown(_("for_each is not known: {reason}", reason=coll.reason)), None)]
            if isinstance(coll, dict):
                return [(k, (TStr(k, ()), coll[k]), None) for k in sorted(coll)][:MAX_INSTANCES]
            if isinstance(coll, list):
                items = []
                for item in coll:
                    if isinstance(item, Unknown):
                        return [(None, Unknown(_("for_each is not known: {reason}", reason=item.reason)), None)]
                    items.append(item)
                keys = sorted({str(i) for i in items if isinstance(i, (str, int, float))})
                return [(k, (TStr(k, ()), next(i for i in items if str(i) == k)), None) for k in keys][:MAX_INSTANCES]
            return [(None, Unknown(_("for_each is neither a map nor a set")), None)]
        return [(None, None, None)]

    # ---- references to resources, data sources and modules ----------------------------------------------
    def resource_ref(self, mode: str, rtype: str, name: str, steps: list[tuple[str, Any]], scope: Scope) -> TfValue:
        key = f"{rtype}.{name}" if mode == "managed" else f"data.{rtype}.{name}"
        decl = self.config.resources.get(key)
        if decl is None:
            return Unknown(_("{reference} is not declared in {dir}", reference=key, dir=self.config.dir))
        instances = self.expand(decl)
        chosen = None
        if steps and steps[0][0] == "index" and (decl.attr("count") or decl.attr("for_each")):
            k = evaluate(steps[0][1], scope)
            if isinstance(k, Unknown):
                return k
            for inst in instances:
                if inst[0] is not None and str(inst[0]) == str(k):
                    chosen = inst
            if chosen is None:
                if len(instances) == 1 and instances[0][0] is None:
                    chosen = instances[0]  # count/for_each unknown: one representative
                else:
                    return Unknown(_("{reference}{key} is not an instance of {reference}", reference=key,
                                     key=instance_suffix(k)))
            steps = steps[1:]
        elif steps and steps[0][0] == "splat" and (decl.attr("count") or decl.attr("for_each")):
            return [self.resource_ref(mode, rtype, name, [("index", Literal(i[0], 0))] + list(steps[1:]), scope)
                    for i in instances if i[0] is not None]
        else:
            chosen = instances[0] if instances else (None, None, None)
        if not steps:
            return Unknown(_("{reference} is used as a whole object", reference=key))
        if steps[0][0] != "attr":
            return Unknown(_("{reference} is indexed but has no count or for_each", reference=key))
        attr_name = steps[0][1]
        value = self.resource_attribute(decl, chosen, attr_name, mode)
        return apply_steps(value, steps[1:], scope)

    def resource_attribute(self, decl: Decl, instance: Instance, name: str, mode: str) -> TfValue:
        _key, each, count = instance
        scope = Scope(self, decl.file, each=each, count=count)
        attr = decl.attr(name)
        address = self.qualify(("data." if mode == "data" else "") + f"{decl.labels[0]}.{decl.labels[1]}")
        if attr is not None and not (mode == "data" and self.project.read_sets(self, decl, name)):
            file = file_of(attr, decl.file)
            value = evaluate(attr.expr, Scope(self, file, each=each, count=count))
            return with_hop(value, hop_for(f"{address} {name}", attr.expr, file, attr.line))
        blocks = decl.body.blocks_of(name)
        if blocks:
            return [body_to_value(b.body, scope) for b in blocks]
        return self.project.computed_attribute(self, decl, instance, name, mode, address)

    def module_ref(self, name: str, steps: list[tuple[str, Any]], scope: Scope) -> TfValue:
        children = self.children.get(name)
        if children is None:
            if name not in self.config.module_calls:
                return Unknown(_("module.{name} is not declared in {dir}", name=name, dir=self.config.dir))
            return Unknown(_("module.{name} was not scanned (remote or missing source)", name=name))
        if isinstance(children, Unknown):
            return children
        if steps and steps[0][0] == "index":
            k = evaluate(steps[0][1], scope)
            if isinstance(k, Unknown):
                return k
            match = [c for key, c in children if key is not None and str(key) == str(k)]
            if not match:
                return Unknown(_("module.{name}{key} does not exist", name=name, key=instance_suffix(k)))
            child, steps = match[0], steps[1:]
        elif len(children) == 1:
            child = children[0][1]
        else:
            return Unknown(_("module.{name} has several instances", name=name))
        if not steps or steps[0][0] != "attr":
            return Unknown(_("module.{name} is used as a whole object", name=name))
        return apply_steps(child.output(steps[0][1]), steps[1:], scope)

    def output(self, name: str) -> TfValue:
        cached = self._outputs.get(name)
        if cached is _PENDING:
            return Unknown(_("output {name} depends on itself", name=name))
        if cached is not None:
            return cached
        found = self.config.outputs.get(name)
        if found is None:
            return Unknown(_("{address} has no output '{name}'", address=self.address, name=name))
        attr, file = found
        self._outputs[name] = _PENDING
        value = with_hop(evaluate(attr.expr, Scope(self, file)),
                         hop_for(f"{self.address} output {name}", attr.expr, file, attr.line))
        self._outputs[name] = value
        return value

    # ---- providers ---------------------------------------------------------------------------------------
    def setup_providers(self) -> None:
        """Provider configurations visible here: passed by the caller, inherited, or declared."""
        if self.parent is not None:
            passed = self.call.attr("providers") if self.call else None
            if passed is not None and isinstance(passed.expr, ObjectExpr):
                for k, v in passed.expr.items:
                    child_key = reference_key(k) if not isinstance(k, Literal) else str(k.value)
                    parent_key = reference_key(v)
                    if child_key and parent_key:
                        self.providers[child_key] = self.parent.provider(parent_key)
            else:
                for key, inst in self.parent.providers.items():
                    if "." not in key:
                        self.providers[key] = inst
        for key, decl in self.config.providers.items():
            self.providers[key] = ProviderInstance(key, decl, self)

    def provider(self, key: str) -> ProviderInstance:
        inst = self.providers.get(key)
        if inst is None:
            if self.parent is not None and "." not in key:
                inst = self.parent.provider(key)
            else:
                inst = ProviderInstance(key, None, self)
            self.providers[key] = inst
        return inst


def apply_type(value: TfValue, type_expr: Node, scope: Scope, depth: int = 0) -> TfValue:
    """Terraform's type conversion where it changes values: attributes declared
    optional(...) in an object type and missing from the value become null, or the default."""
    if depth > 32 or isinstance(value, Unknown) or not isinstance(type_expr, Call):
        return value
    name, args = type_expr.name, type_expr.args
    if name == "optional" and args:
        return apply_type(value, args[0], scope, depth + 1)
    if name in ("map", "list", "set") and args:
        if isinstance(value, dict):
            return {k: apply_type(v, args[0], scope, depth + 1) for k, v in value.items()}
        if isinstance(value, list):
            return [apply_type(v, args[0], scope, depth + 1) for v in value]
        return value
    if name == "object" and args and isinstance(args[0], ObjectExpr) and isinstance(value, dict):
        out = dict(value)
        for key_node, attr_type in args[0].items:
            key = key_node.value if isinstance(key_node, Literal) else None
            if key is None:
                continue
            if key in out:
                out[key] = apply_type(out[key], attr_type, scope, depth + 1)
            elif isinstance(attr_type, Call) and attr_type.name == "optional":
                out[key] = evaluate(attr_type.args[1], scope) if len(attr_type.args) > 1 else None
                if len(attr_type.args) > 1:
                    out[key] = apply_type(out[key], attr_type.args[0], scope, depth + 1)
        return out
    if name == "tuple" and args and isinstance(args[0], TupleExpr) and isinstance(value, list):
        typed = [apply_type(v, t, scope, depth + 1) for v, t in zip(value, args[0].items, strict=False)]
        return typed + value[len(args[0].items):]
    return value


def body_to_value(body: Body, scope: Scope, depth: int = 0) -> dict[str, TfValue]:
    out = {name: evaluate(a.expr, scope) for name, a in body.attributes.items()}
    if depth > 32:
        return out
    for block in body.blocks:
        if block.type == "dynamic" and block.labels:
            expanded = dynamic_contents(block, scope)
            if isinstance(expanded, Unknown):
                out[block.labels[0]] = expanded
                continue
            for content, inner in expanded:
                out.setdefault(block.labels[0], []).append(body_to_value(content.body, inner, depth + 1))
        else:
            out.setdefault(block.type, []).append(body_to_value(block.body, scope, depth + 1))
    return out


def local_source(call: Decl) -> str | None:
    """The module source when it is a local path, else None."""
    src = call.attr("source")
    if src is None or not isinstance(src.expr, Literal) or not isinstance(src.expr.value, str):
        return None
    value = src.expr.value
    return value if value.startswith(("./", "../")) or value in (".", "..") else None


def join_module_dir(parent_dir: str, source: str) -> str:
    return posixpath.normpath(posixpath.join(parent_dir, source))


def dynamic_contents(block: Block, scope: Scope) -> list[tuple[Block, Scope]] | Unknown:
    """[(content block, scope with the iterator)] of a dynamic block, or an Unknown."""
    for_each = block.body.attributes.get("for_each")
    if for_each is None:
        return Unknown(_('dynamic "{label}" block without for_each', label=block.labels[0]))
    iterator = block.body.attributes.get("iterator")
    name = (reference_key(iterator.expr) if iterator is not None else None) or block.labels[0]
    coll = evaluate(for_each.expr, scope)
    if isinstance(coll, Unknown):
        return Unknown(_('dynamic "{label}" block: for_each is not known ({reason})', label=block.labels[0],
                         reason=coll.reason), coll.hops, pending=coll.pending)
    if isinstance(coll, dict):
        items = [(k, coll[k]) for k in sorted(coll)]
    elif isinstance(coll, list):
        items = list(enumerate(coll))
    else:
        return Unknown(_('dynamic "{label}" block: for_each is neither a map nor a list', label=block.labels[0]))
    contents = block.body.blocks_of("content")
    return [(c, scope.with_names({name: {"key": k, "value": v}})) for k, v in items for c in contents]
