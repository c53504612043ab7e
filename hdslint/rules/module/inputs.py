"""HDS-MOD-001 unvalidated-module-input: a reusable module's input admits non-compliant values.

Why: a reusable module (a directory with required variables, no provider configuration, no
backend, called by nothing in the scan) is not a deployment: its caller gives the values of its
required variables. Whether its data stays in the EEA, is encrypted or meets a provider's
condition then depends on what those inputs admit, and the module's author can settle it in
one place only: the variable's `validation` blocks. hdslint reads them as Terraform would
(`contains([...], var.x)`, `can(regex(...))`, `alltrue([for ...])`, comparisons), tries every
value that can matter to a fact (hdslint.formats.terraform.modules) and evaluates the module
again with each value the validations admit, then judges its resources with the same rules as
a deployment. When every admitted value is compliant, the property is ok and nothing is
reported; otherwise the "cannot tell" findings on the module's resources become one finding
per input variable, low, naming the resources it decides, a value that breaks them and the
validation to add (the ledger says ok, or names this rule). Never a pass on a guess: an input
hdslint cannot enumerate (a map, a list of objects), a validation that rejects every value
tried, or a module that takes too long to judge "cannot be judged", and a "cannot tell" that no
input's value alone settles (a computed attribute) stays as it was. A root module that
configures a provider (an empty `provider` block too) or a backend is a deployment and keeps
its "cannot tell" findings on unresolved values; a module called by a root of the scan is
judged through that call; a value the module fixes itself is judged as anywhere else.

Passing example:   variable "region" {
                     type = string
                     validation { condition = contains(["GRA", "SBG"], var.region) }
                   }
Failing example:   variable "region" { type = string }   # any region, outside the EEA too
"""
from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hdslint.formats.terraform.modules import OTHER_STRINGS, ReusableModule, is_region, likely_bad
from hdslint.i18n import Msg, Text, _, join
from hdslint.model import Finding, Resource, Rule
from hdslint.model.inputs import Input, open_inputs
from hdslint.model.rule import RuleModule
from hdslint.model.values import TfValue
from hdslint.rules.context import ScanContext

if TYPE_CHECKING:
    from hdslint.config import Config

RULE = Rule(
    id="HDS-MOD-001",
    name="unvalidated-module-input",
    family="module",
    severity="low",
    title="A reusable module's input admits non-compliant values",
    basis="HDS hosting requirements (location in the EEA, encryption, backup, the provider's conditions), "
          "decided by what the module's caller may give",
    remediation="Add a validation block to the variable that admits only compliant values.",
    phase="review",
)

MAX_VARIANTS = 400  # module evaluations per reusable module
MAX_SECONDS = 20.0  # spent judging one reusable module; what is left is "cannot be judged"
MAX_SCAN_SECONDS = 60.0  # spent judging all the reusable modules of a scan
MAX_SHOWN = 8  # values named in a suggested validation


def review(ctx: ScanContext, findings: list[Finding]) -> list[Finding]:
    """The findings of the check phase, where those on a reusable module's resources that only
    its open inputs decide become one finding per input variable (or nothing, when every value
    the validations admit is compliant)."""
    modules: dict[str, ReusableModule] = ctx.terraform.reusable
    if not modules:
        return findings
    rules = _per_resource_rules(ctx.config)
    kept: list[Finding] = []
    questions: dict[str, list[tuple[Finding, list[str]]]] = {}
    for f in findings:
        module = modules.get(_root_of(ctx, f)) if f.resource else None
        paths = [p for p in open_inputs(f.message) if module is not None and p in module.inputs]
        if module is None or not paths or f.rule_id not in rules:
            kept.append(f)
            continue
        questions.setdefault(module.dir, []).append((f, paths))
    deadline = time.monotonic() + MAX_SCAN_SECONDS
    for d, asked in questions.items():
        kept += list(Judge(ctx, modules[d], rules, deadline).findings(asked))
    return kept


def _root_of(ctx: ScanContext, f: Finding) -> str:
    if f.root:
        return f.root
    roots = ctx.terraform.roots
    return roots[0] if len(roots) == 1 else ""


def _per_resource_rules(config: Config) -> dict[str, RuleModule]:
    from hdslint.rules import all_rules

    return {m.RULE.id: m for m in all_rules()
            if m.RULE.phase == "check" and m.RULE.looks_at != "scan" and config.rule_enabled(m.RULE.id)
            and (not m.RULE.profile or config.has_profile(m.RULE.profile))}


@dataclass(frozen=True)
class Question:
    """What a "cannot tell" finding asked: a resource, the rules judging what its rule judges
    (a location unknown here may be outside the EEA with some value), and its attribute (the
    replicas' location, encryption at rest...), empty for any."""

    address: str
    rules: tuple[RuleModule, ...]
    attribute: str


@dataclass
class Blame:
    """What one input variable decides: per input path, a value that breaks a rule."""

    inp: Input
    paths: dict[str, tuple[TfValue, str]] = field(default_factory=dict)  # path -> (value, rule id)
    resources: dict[str, None] = field(default_factory=dict)
    properties: dict[str, None] = field(default_factory=dict)


Broken = tuple[dict[str, TfValue], str]  # the inputs given, and the rule that reports (or "?": cannot tell)


class Judge:
    """The module evaluated again with its inputs given, judged by the rules that asked."""

    def __init__(self, ctx: ScanContext, module: ReusableModule, rules: dict[str, RuleModule],
                 deadline: float = float("inf")) -> None:
        self.ctx, self.module, self.rules = ctx, module, rules
        self.evaluations = 0
        self.deadline = min(deadline, time.monotonic() + MAX_SECONDS)
        self._judged: dict[tuple[Any, ...], list[Finding] | None] = {}
        self._asked: dict[str, list[Question]] = {}  # input -> the questions it decides
        self._partners: dict[str, set[str]] = {}  # input -> the other inputs given when it broke a question

    def findings(self, asked: list[tuple[Finding, list[str]]]) -> Iterator[Finding]:
        """One finding per input variable some admitted value of which breaks a finding's
        question; the finding kept as it was when no input alone decides it."""
        blamed: dict[str, Blame] = {}
        for f, paths in asked:
            judges = set(self.rules[f.rule_id].RULE.judges)
            q = Question(f.resource, tuple(m for rid, m in self.rules.items()
                                           if rid == f.rule_id or judges & set(m.RULE.judges)), f.attribute)
            found: dict[str, tuple[TfValue, str]] = {}
            fallback: dict[str, tuple[TfValue, str]] = {}
            for path in paths:
                self._asked.setdefault(path, []).append(q)
                broken = self.breaks(q, path)
                if broken is None:
                    continue
                value, rule, culprit, assigned = broken
                (found if culprit else fallback)[path] = (value, rule)
                self._partners.setdefault(path, set()).update(p for p in assigned if p != path)
                for other in assigned:  # an input the verdict needed too (the replicas' region)
                    if other not in paths and other not in found and rule != "?" \
                            and self._culprit(q, assigned, other):
                        self._asked.setdefault(other, []).append(q)
                        found[other] = (assigned[other], rule)
                        self._partners.setdefault(other, set()).update(p for p in assigned if p != other)
            if fallback and not found:
                yield f  # no input's value alone decides: the module leaves it open whatever its caller gives
                continue
            verdicts = self.ctx.input_verdicts.setdefault((f.root, f.resource), {})
            for prop in _properties(f, self.rules[f.rule_id].RULE):
                if found:
                    names = join([f"var.{p}" for p in sorted(found)])
                    verdicts[prop] = ("finding", _("{inputs} admit values that are not compliant", inputs=names),
                                      RULE.id)
                elif prop != "coverage":  # the coverage matrix says the rest (perimeters, certificates)
                    names = join([f"var.{p}" for p in paths])
                    verdicts.setdefault(prop, ("ok", _("every value the validations of {inputs} admit is compliant",
                                                       inputs=names), None))
            for path, (value, rule) in found.items():
                inp = self.module.inputs[path]
                blame = blamed.setdefault(inp.variable, Blame(inp))
                blame.paths.setdefault(path, (value, rule))
                blame.resources[f.resource] = None
                for prop in _properties(f, self.rules[f.rule_id].RULE):
                    blame.properties[prop] = None
        for variable in sorted(blamed):
            yield self._finding(variable, blamed[variable])

    # ---- the search ------------------------------------------------------------------------------------------
    def breaks(self, q: Question, path: str) -> tuple[TfValue, str, bool, dict[str, TfValue]] | None:
        """(value, rule id, culprit): a value of the input its validations admit (the likeliest
        to break first) with which some admitted values of the other inputs the verdict needs
        make a related rule report the resource, and whether that value is the culprit (another
        value of the input alone would do); None when no admitted value breaks. An input
        hdslint cannot enumerate, or a search too long, breaks ("?"): never a pass on a guess."""
        first: tuple[TfValue, str, bool, dict[str, TfValue]] | None = None
        for value in self._values(path, q):
            broken = self._search(q, {path: value}, 0)
            if broken is None:
                continue
            assigned, rule = broken
            if rule == "?" or self._culprit(q, assigned, path):
                return value, rule, True, assigned
            first = first or (value, rule, False, assigned)
        return first

    def _culprit(self, q: Question, assigned: dict[str, TfValue], path: str) -> bool:
        """Another value of the input, the others kept, makes the resource pass."""
        for value in self._likely_good(path)[:24]:
            if repr(value) != repr(assigned[path]) and self._judge(q, {**assigned, path: value}) == []:
                return True
        return False

    def _values(self, path: str, q: Question) -> list[TfValue]:
        """The values its validations admit, the likeliest to break the question first: region
        codes last unless the question is where data lives."""
        admitted = self.module.admitted(path)
        if not admitted.values:  # no type hdslint enumerates, or a validation rejecting every value tried
            return [_ANY]
        if any("location" in m.RULE.judges for m in q.rules):
            return list(admitted.values)
        return sorted(admitted.values, key=lambda v: is_region(v[0] if isinstance(v, list) and v else v))

    def _search(self, q: Question, assigned: dict[str, TfValue], depth: int) -> Broken | None:
        if any(v is _ANY for v in assigned.values()) or depth > 6 or self.evaluations >= MAX_VARIANTS \
                or time.monotonic() > self.deadline:
            return assigned, "?"
        found = self._judge(q, assigned)
        if found is None:
            return assigned, "?"
        if not found:
            return None
        inputs = self.module.inputs
        settled = [f for f in found if not [p for p in open_inputs(f.message) if p in inputs]]
        if settled:
            return assigned, settled[0].rule_id
        more = [p for f in found for p in open_inputs(f.message) if p in inputs and p not in assigned]
        if not more:
            return assigned, found[0].rule_id
        nxt = more[0]
        for value in self._values(nxt, q):
            broken = self._search(q, {**assigned, nxt: value}, depth + 1)
            if broken is not None:
                return broken
        return None

    def _judge(self, q: Question, assigned: dict[str, TfValue]) -> list[Finding] | None:
        """The related rules' findings on the resource (on the question's attribute) of the
        module evaluated with the assigned inputs; None when it cannot be evaluated."""
        key = (q, tuple(sorted((p, repr(v)) for p, v in assigned.items())))
        if key in self._judged:
            return self._judged[key]
        self.evaluations += 1
        resources = self.module.variant(assigned)
        out: list[Finding] | None = None
        if resources is not None:
            vctx = ScanContext(root=self.ctx.root, config=self.ctx.config, today=self.ctx.today,
                               resources=list(resources))
            out = []
            try:
                for res in resources:
                    if res.address == q.address:
                        out += [f for f in _check(vctx, res, q.rules) if not q.attribute or f.attribute == q.attribute]
            except Exception:  # noqa: BLE001 - a rule failing on a variant: the value is not shown compliant
                out = None
        self._judged[key] = out
        return out

    # ---- the finding --------------------------------------------------------------------------------------------
    def _finding(self, variable: str, blame: Blame) -> Finding:
        inp = blame.inp
        examples = [_("var.{path} = {value} gives {rule}", path=path, value=_shown(value), rule=rule)
                    if rule != "?" else _("var.{path} = {value} cannot be judged", path=path, value=_shown(value))
                    for path, (value, rule) in sorted(blame.paths.items())]
        validations = self.module.config.variables[variable].body.blocks_of("validation")
        said = (_("its validations admit values that are not compliant") if validations
                else _("it has no validation"))
        message = _("Input var.{variable} of the reusable module {module} decides {properties} of {resources}, and "
                    "{said}: {examples}.", variable=variable, module=self._name(),
                    properties=join([_property(p) for p in blame.properties]), resources=join(list(blame.resources)),
                    said=said, examples=join(examples, "; "))
        suggested = {path: self._suggest(path) for path in sorted(blame.paths)}
        conditions = [c for path, c in suggested.items() if c and not self._switch(path, suggested)]
        if conditions:
            remediation: Text = _("Add a validation to variable \"{variable}\" that admits only compliant values, "
                                  "e.g. {conditions}.", variable=variable, conditions=join(conditions, "; "))
        else:
            remediation = _("Add a validation to variable \"{variable}\" that admits only compliant values of "
                            "{paths}.", variable=variable, paths=join([f"var.{p}" for p in sorted(blame.paths)]))
        return RULE.finding(self.ctx, file=inp.file, line=inp.line, message=message, remediation=remediation,
                            attribute=f"var.{variable}")

    def _switch(self, path: str, suggested: dict[str, str]) -> bool:
        """A bool that breaks only with another input whose validation is suggested (replication
        on, towards any region): validating that input is the fix, not turning the feature off."""
        return self.module.inputs[path].kind == "bool" and any(
            suggested.get(p) and self.module.inputs[p].kind != "bool" for p in self._partners.get(path, ()))

    def _name(self) -> str:
        return self.module.dir if self.module.dir != "." else os.path.basename(os.path.abspath(self.ctx.root))

    def _suggest(self, path: str) -> str:
        """A validation condition admitting only the values of the input found compliant."""
        kind = self.module.inputs[path].kind
        element = kind.split(":", 1)[1] if kind.startswith("list:") else kind
        if element not in ("bool", "number", "string"):
            return ""
        location = any("location" in m.RULE.judges for q in self._asked.get(path, []) for m in q.rules)
        scalars: list[TfValue] = []
        seen: set[str] = set()
        for v in self._likely_good(path):
            x = v[0] if isinstance(v, list) and v else v
            if isinstance(x, str):
                if x in OTHER_STRINGS or is_region(x) != location or (location and not is_region(x, exact=True)) \
                        or x.lower() in seen:
                    continue
                seen.add(x.lower())
            if v != []:
                scalars.append(x)
        if location:  # the provider's own codes, the shortest first: GRA, SBG before the local zones
            scalars.sort(key=lambda x: (len(str(x)), str(x)))
        good: list[TfValue] = []
        bad: list[TfValue] = []
        for value in scalars[:60]:
            given = [value] if kind.startswith("list:") else value
            broken = any(self._broken_by(q, path, given) for q in self._asked.get(path, []))
            (bad if broken else good).append(value)
            if element == "string" and len(good) >= MAX_SHOWN:
                break
        good.sort(key=lambda v: (str(type(v)), v))
        ref = "v" if kind.startswith("list:") else f"var.{path}"
        if not good:
            return ""
        anything = self._any_string_passes(path, kind) if element == "string" else False
        if element == "string" and anything and bad:
            shown = sorted({str(v).lower() for v in bad})[:MAX_SHOWN]
            condition = f"!contains([{', '.join(_code(v) for v in shown)}], lower({ref}))"
        elif element == "bool":
            condition = ref if good == [True] else f"!{ref}" if good == [False] else ""
        elif element == "number" and bad and all(b < min(good) for b in bad):
            condition = f"{ref} >= {_code(min(good))}"
        else:
            condition = f"contains([{', '.join(_code(v) for v in good[:MAX_SHOWN])}], {ref})"
        if condition and kind.startswith("list:"):
            return f"alltrue([for v in var.{path} : {condition}])"
        return condition

    def _any_string_passes(self, path: str, kind: str) -> bool:
        """A string no fact names is compliant: the input needs some values kept out, not a list."""
        other = OTHER_STRINGS[1]
        return not any(self._broken_by(q, path, [other] if kind.startswith("list:") else other)
                       for q in self._asked.get(path, []))

    def _likely_good(self, path: str) -> list[TfValue]:
        return sorted(self.module.candidates(path), key=lambda v: (-likely_bad(v)[0], likely_bad(v)[1]))

    def _broken_by(self, q: Question, path: str, value: TfValue) -> bool:
        broken = self._search(q, {path: value}, 0)
        return broken is not None and (broken[1] == "?" or self._culprit(q, broken[0], path))


_ANY = object()  # an input hdslint cannot enumerate: any value


def _check(ctx: ScanContext, res: Resource, related: tuple[RuleModule, ...]) -> list[Finding]:
    out: list[Finding] = []
    for mod in related:
        rule = mod.RULE
        if rule.types and res.type not in rule.types:
            continue
        if res not in ctx.subjects(rule.looks_at):
            continue
        out += [f for f in mod.check(ctx, res) if rule.outcome != "not_assessed"]
    return out


_ATTRIBUTE_PROPERTY = {"location": "location", "encryption:at_rest": "encryption_at_rest",
                       "encryption:in_transit": "encryption_in_transit", "backup": "backup", "condition": "coverage"}


def _properties(f: Finding, rule: Rule) -> tuple[str, ...]:
    """The property a finding is about: its attribute says (encryption:at_rest, location:replica),
    else its rule's."""
    for prefix, prop in _ATTRIBUTE_PROPERTY.items():
        if f.attribute == prefix or f.attribute.startswith(prefix + ":"):
            return (prop,)
    return rule.judges or (rule.id,)


def _property(name: str) -> Msg:
    return {
        "location": _("where it keeps data"), "encryption_at_rest": _("encryption at rest"),
        "encryption_in_transit": _("encryption in transit"), "backup": _("backups"),
        "coverage": _("the provider's HDS conditions"),
    }.get(name, _("what {rule} checks", rule=name))


def _shown(value: TfValue) -> Text:
    if value is _ANY:
        return _("any value")
    if isinstance(value, str) and value in OTHER_STRINGS:
        return _("an empty string") if value == "" else _("any other string")
    return _code(value)


def _code(value: TfValue) -> str:
    """A value as Terraform code writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_code(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return json.dumps(str(value), ensure_ascii=False)
    return str(value)
