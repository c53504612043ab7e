"""Reusable modules: a scanned root that is no deployment, and what its inputs allow.

A root directory is a reusable module when it declares required variables (no default), no
provider configuration (a block holding only `alias` is a proxy, not a configuration), no
backend and no variables file Terraform loads by itself (terraform.tfvars, *.auto.tfvars):
nothing in the scan calls it, and it can only be used by a caller that gives those values.

Its required variables stay open: their value is an Unknown whose reason is an
hdslint.model.inputs.OpenInput naming the input (an object variable is opened attribute by
attribute: var.s3.region, var.s3.enable_encryption). What a caller may give is what the
variable's `validation` blocks admit: hdslint does not reason about the conditions, it
evaluates them, with each candidate value in turn, as Terraform would (`contains`, `regex`,
`can`, `alltrue`, comparisons, any function hdslint evaluates). The candidates are the values
that can matter: the literals written in the validation, every location of the providers'
region tables, the values the facts test (policies/terraform and the catalog's conditions),
true and false, numbers around every bound, and two strings no fact names. A validation hdslint
cannot decide for a candidate (it reads another input) keeps the candidate: never a pass on a
guess. `variant` evaluates the module again with some inputs given, for the review rule
(hdslint.rules.module.inputs) to judge what each admitted value makes of a resource.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

from hdslint.formats.terraform.evaluator import Scope, evaluate
from hdslint.formats.terraform.instances import ModuleInstance, RootValues
from hdslint.knowledge.catalog import catalog
from hdslint.knowledge.regions import region_tables
from hdslint.model.inputs import Admitted, Input, OpenInput
from hdslint.model.values import Hop, TfValue, TStr, Unknown
from hdslint.syntax.hcl.ast import Call, Literal, Node, ObjectExpr, Traversal, TupleExpr, children

if TYPE_CHECKING:
    from hdslint.formats.terraform.config import Decl, ModuleConfig
    from hdslint.formats.terraform.instances import Project
    from hdslint.model import Resource

VARIABLE_FILES = ("terraform.tfvars", "terraform.tfvars.json")
AUTO_SUFFIXES = (".auto.tfvars", ".auto.tfvars.json")
# Strings no fact or validation names: a validation that admits them admits any string.
OTHER_STRINGS = ("", "hdslint-any-other-value")
MAX_OBJECT_DEPTH = 4


class Evaluates(Protocol):
    """What a reusable module asks of the project that reads it (project.TerraformProject)."""

    root: str
    result: Any

    def evaluate_root(self, d: str, installed: dict[str, str], module: ReusableModule | None = None,
                      assigned: dict[str, TfValue] | None = None) -> list[Resource]: ...


def reusable_module(project: Evaluates, d: str, config: ModuleConfig, installed: dict[str, str]
                    ) -> ReusableModule | None:
    """The reusable module a root directory is, or None when it is a deployment."""
    if config.backend or any(_configures(p) for p in config.providers.values()):
        return None
    if not any(decl.attr("default") is None for decl in config.variables.values()):
        return None
    try:
        names = os.listdir(os.path.join(project.root, d))
    except OSError:
        names = []
    if any(n in VARIABLE_FILES or n.endswith(AUTO_SUFFIXES) for n in names):
        return None
    return ReusableModule(project, d, config, installed)


def _configures(provider: Decl) -> bool:
    """A provider block that configures a provider (an empty one too: the provider's defaults
    and environment); `provider "aws" { alias = "dr" }` is a proxy."""
    return bool(provider.body.blocks) or set(provider.body.attributes) != {"alias"}


class ReusableModule:
    """A root directory that is a reusable module: its open inputs, what their validations
    admit, and the module evaluated again with some of them given."""

    def __init__(self, project: Evaluates, d: str, config: ModuleConfig, installed: dict[str, str]) -> None:
        self.project = project
        self.dir = d
        self.config = config
        self.installed = installed
        self.bound = RootValues()  # what the scan assigns (TF_VAR_*, --var-file, --var), set by the first evaluation
        self.inputs: dict[str, Input] = {}
        self._types: dict[str, Node | None] = {}
        for name in sorted(config.variables):
            decl = config.variables[name]
            if decl.attr("default") is None:
                type_attr = decl.attr("type")
                for path, leaf in _leaves(name, type_attr.expr if type_attr else None, 0):
                    self.inputs[path] = Input(path, name, decl.file, decl.line, _kind(leaf),
                                              tuple((decl.file, b.line) for b in decl.body.blocks_of("validation")))
                    self._types[path] = leaf
        self._variants: dict[tuple[tuple[str, str], ...], list[Resource] | None] = {}
        self._admitted: dict[str, Admitted] = {}
        self._pool: list[TfValue] | None = None

    # ---- the values of open inputs ------------------------------------------------------------------
    def opener(self, assigned: dict[str, TfValue]) -> Callable[[str], TfValue]:
        """The value of a variable left to the caller, with the `assigned` inputs given."""
        def open_value(name: str) -> TfValue:
            decl = self.config.variables.get(name)
            if decl is None or decl.attr("default") is not None or name in self.bound.values:
                return None
            type_attr = decl.attr("type")
            return _open(name, type_attr.expr if type_attr else None, decl, assigned, 0)
        return open_value

    def variant(self, assigned: dict[str, TfValue]) -> list[Resource] | None:
        """The module's resources with the `assigned` inputs given; None when it cannot be
        evaluated (an internal error of the scan's own evaluation says why)."""
        key = tuple(sorted((p, repr(v)) for p, v in assigned.items()))
        if key in self._variants:
            return self._variants[key]
        project = self.project
        saved = project.result
        project.result = type(saved)()
        try:
            resources = project.evaluate_root(self.dir, self.installed, self, assigned)
            failed = bool(project.result.internal_errors)
        finally:
            project.result = saved
        self._variants[key] = None if failed else resources
        return self._variants[key]

    # ---- validations --------------------------------------------------------------------------------------
    def admitted(self, path: str) -> Admitted:
        """The candidate values of an input its validations admit, the likeliest to break a fact first."""
        if path in self._admitted:
            return self._admitted[path]
        inp = self.inputs[path]
        decl = self.config.variables[inp.variable]
        validations = [(b.body.attributes["condition"].expr, b.line) for b in decl.body.blocks_of("validation")
                       if "condition" in b.body.attributes]
        literals = [v for cond, _line in validations for v in _literals(cond, 0)]
        literals += [w for v in literals if isinstance(v, str) for w in _pattern_words(v)]  # can(regex("^(a|b)$", ...))
        values, rejected = [], False
        for candidate in self.candidates(path, literals):
            if self._admits(decl, validations, path, candidate):
                values.append(candidate)
            else:
                rejected = True
        out = Admitted(tuple(sorted(values, key=likely_bad)), rejected, inp.validations)
        self._admitted[path] = out
        return out

    def _admits(self, decl: Decl, validations: list[tuple[Node, int]], path: str, candidate: TfValue) -> bool:
        """False when a validation rejects the candidate; True when all admit it or cannot tell."""
        if not validations:
            return True
        inst = ModuleInstance(self._instances(), self.config, "")
        inst.root_values = RootValues(self.bound.values, self.bound.hops, self.opener({path: candidate}))
        inst.validating = True
        for cond, _line in validations:
            try:
                verdict = evaluate(cond, Scope(inst, decl.file))
            except RecursionError:
                verdict = None
            if verdict is False:
                return False
        return True

    def _instances(self) -> Project:
        return self.project  # type: ignore[return-value]  # TerraformProject is both

    # ---- candidates -------------------------------------------------------------------------------------------
    def candidates(self, path: str, literals: list[TfValue] | None = None) -> list[TfValue]:
        """The values of an input worth trying, by its type: the validation's literals, and the
        values that can matter to a fact."""
        kind = self.inputs[path].kind
        element = kind.split(":", 1)[1] if kind.startswith("list:") else kind
        scalars = self._scalars(element, literals or [])
        if kind.startswith("list:"):
            return [[]] + [[v] for v in scalars]
        return scalars

    def _scalars(self, kind: str, literals: list[TfValue]) -> list[TfValue]:
        pool = self._facts_pool() + literals
        out: list[TfValue] = []
        if kind in ("bool", "any"):
            out += [False, True]
        if kind in ("number", "any"):
            numbers = {0.0, 1.0}
            for v in pool:
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    numbers |= {float(v) - 1, float(v), float(v) + 1}
            out += [int(n) if n.is_integer() else n for n in sorted(numbers)]
        if kind in ("string", "any"):
            strings: dict[str, None] = dict.fromkeys(OTHER_STRINGS)
            for v in pool:
                if isinstance(v, str):
                    for s in (v, v.lower(), v.upper()):
                        strings[s] = None
            out += [TStr(s, (Hop(f'"{s}"', self.inputs_file(), 0),)) for s in strings]
        return out

    def inputs_file(self) -> str:
        return next(iter(self.inputs.values())).file if self.inputs else self.dir

    def _facts_pool(self) -> list[TfValue]:
        """Region codes of the providers of the module's resources, and the values their facts test."""
        if self._pool is not None:
            return self._pool
        tables = region_tables()
        entries = catalog()
        pool: list[TfValue] = []
        seen_catalogs: set[str] = set()
        seen_types: set[str] = set()
        for res in self.project.result.resources:
            if res.root != self.dir:
                continue
            if res.catalog and res.catalog not in seen_catalogs:
                seen_catalogs.add(res.catalog)
                table = tables.get(res.catalog)
                if table is not None:
                    pool += sorted({r.code for r in table.by_code.values()} | set(table.by_code))
                pool += list(_fact_values(entries.get(res.catalog, {}).get("conditions", []), 0))
            if res.type not in seen_types:
                seen_types.add(res.type)
                pool += list(_fact_values(res.facts or {}, 0))
        self._pool = pool
        return pool


def _leaves(path: str, type_expr: Node | None, depth: int) -> Iterator[tuple[str, Node | None]]:
    """(path, type) of each input a variable opens: an object attribute by attribute (its
    optional attributes take their defaults, as when a caller leaves them out)."""
    fields = _object_fields(type_expr) if depth < MAX_OBJECT_DEPTH else None
    if fields is None:
        yield path, type_expr
        return
    for key, attr_type in fields:
        if not (isinstance(attr_type, Call) and attr_type.name == "optional"):
            yield from _leaves(f"{path}.{key}", attr_type, depth + 1)


def _object_fields(type_expr: Node | None) -> list[tuple[str, Node]] | None:
    if not (isinstance(type_expr, Call) and type_expr.name == "object" and type_expr.args
            and isinstance(type_expr.args[0], ObjectExpr)):
        return None
    out = []
    for key, attr_type in type_expr.args[0].items:
        name = key.value if isinstance(key, Literal) else key.root if isinstance(key, Traversal) else None
        if isinstance(name, str):
            out.append((name, attr_type))
    return out


def _open(path: str, type_expr: Node | None, decl: Decl, assigned: dict[str, TfValue], depth: int) -> TfValue:
    if path in assigned:
        return assigned[path]
    fields = _object_fields(type_expr) if depth < MAX_OBJECT_DEPTH else None
    if fields is not None:
        return {key: _open(f"{path}.{key}", attr_type, decl, assigned, depth + 1) for key, attr_type in fields
                if not (isinstance(attr_type, Call) and attr_type.name == "optional")}
    return Unknown(OpenInput(path), (Hop(f"var.{path}", decl.file, decl.line),), pending=True)


def _kind(type_expr: Node | None) -> str:
    """bool, number, string, list:<element>, any (no type), or other (maps, objects in lists...)."""
    if type_expr is None:
        return "any"
    if isinstance(type_expr, Traversal) and isinstance(type_expr.root, str) and not type_expr.steps:
        return type_expr.root if type_expr.root in ("bool", "number", "string", "any") else "other"
    if isinstance(type_expr, Literal) and isinstance(type_expr.value, str):  # .tf.json: "string"
        return type_expr.value if type_expr.value in ("bool", "number", "string", "any") else "other"
    if isinstance(type_expr, Call) and type_expr.name in ("list", "set") and type_expr.args:
        element = _kind(type_expr.args[0])
        return f"list:{element}" if element in ("bool", "number", "string") else "other"
    return "other"


def _literals(node: Node | None, depth: int) -> Iterator[TfValue]:
    """The literal strings and numbers of a validation's condition."""
    if node is None or depth > 64:
        return
    if isinstance(node, Literal):
        if isinstance(node.value, (str, int, float)) and not isinstance(node.value, bool):
            yield node.value
        return
    if isinstance(node, TupleExpr):
        for item in node.items:
            yield from _literals(item, depth + 1)
        return
    for c in children(node):
        if isinstance(c, str):  # a template's literal text
            yield c
        else:
            yield from _literals(c, depth + 1)


def _fact_values(facts: object, depth: int) -> Iterator[TfValue]:
    """The values the tests of policies/ compare with (equals, one_of, min, max)."""
    if depth > 12:
        return
    if isinstance(facts, dict):
        for key, value in facts.items():
            if key in ("equals", "min", "max") and isinstance(value, (str, int, float)) and not isinstance(value, bool):
                yield value
            elif key in ("matches", "not_matches") and isinstance(value, str):
                yield from _pattern_words(value)
            elif key == "one_of" and isinstance(value, list):
                yield from (v for v in value if isinstance(v, (str, int, float)) and not isinstance(v, bool))
            else:
                yield from _fact_values(value, depth + 1)
    elif isinstance(facts, list):
        for item in facts:
            yield from _fact_values(item, depth + 1)


def _pattern_words(pattern: str) -> Iterator[str]:
    """The words a simple pattern names: '(?i)^(essential|discovery)$' -> essential, discovery."""
    bare = re.sub(r"^\(\?[a-z]+\)", "", pattern).strip("^$")
    if bare.startswith("(") and bare.endswith(")"):
        bare = bare[1:-1]
    for word in bare.split("|"):
        if re.fullmatch(r"[A-Za-z0-9_.:/-]+", word):
            yield word


def is_region(value: TfValue, exact: bool = False) -> bool:
    """A string some provider's region table names (`exact`: as the table writes it)."""
    return isinstance(value, str) and any(
        (value in table.by_code) if exact else table.by_code.get(table.normalize(value)) is not None
        for table in region_tables().values())


def likely_bad(value: TfValue) -> tuple[int, str]:
    """Candidates the likeliest to break a fact first: a location outside the EEA, a string
    no fact names, false, the smallest numbers."""
    if isinstance(value, list):
        return likely_bad(value[0]) if value else (5, "")
    if isinstance(value, bool):
        return (2 if not value else 6, "")
    if isinstance(value, (int, float)):
        return (3, f"{value:020.6f}")
    if isinstance(value, str):
        for table in region_tables().values():
            region = table.by_code.get(table.normalize(value))
            if region is not None and not region.eea:
                return (0, ("0" if value in table.by_code else "1") + value)  # as the provider writes it first
        if value in OTHER_STRINGS:
            return (1, value)
        return (4, value)
    return (7, "")
