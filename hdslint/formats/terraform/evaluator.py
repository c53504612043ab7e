"""Static evaluation of Terraform expressions, the way Terraform would before any apply.

Names resolve through a Scope: the module instance (variables, locals, resources, module
outputs), the iteration of the resource being read (each.*, count.index), the variables of
enclosing for-expressions, and the file being read (for resolution chains).
Anything that needs the cloud (computed attributes, data sources) is an Unknown with its
reason, never a guess.
"""
from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any, Protocol

from hdslint.formats.terraform import functions
from hdslint.i18n import Joined, Msg, _
from hdslint.model.values import (
    Document,
    Elements,
    Hop,
    TemplateText,
    TfValue,
    TStr,
    Unknown,
    contains_unknown,
    hops_of,
    type_name,
    with_hop,
    with_partial,
)
from hdslint.syntax.hcl.ast import (
    BinaryOp,
    Call,
    Conditional,
    ForExpr,
    Literal,
    ObjectExpr,
    Template,
    TemplateFor,
    TemplateIf,
    TemplatePart,
    Traversal,
    TupleExpr,
    UnaryOp,
)

if TYPE_CHECKING:
    from hdslint.syntax.hcl.ast import Node


class Names(Protocol):
    """What an expression's names resolve through: a module instance (instances.ModuleInstance)."""

    def var(self, name: str) -> TfValue: ...
    def local(self, name: str) -> TfValue: ...
    def path(self, which: str) -> TStr: ...
    def definition_hop(self, kind: str, name: str) -> Hop | None: ...
    def module_ref(self, name: str, steps: list[tuple[str, Any]], scope: Scope) -> TfValue: ...
    def resource_ref(self, mode: str, rtype: str, name: str, steps: list[tuple[str, Any]],
                     scope: Scope) -> TfValue: ...

MAX_ITEMS = 10_000  # elements produced by one for-expression


class Scope:
    __slots__ = ("module", "file", "each", "count", "names")

    def __init__(self, module: Names, file: str, each: tuple[TfValue, TfValue] | None = None,
                 count: TfValue = None, names: dict[str, TfValue] | None = None) -> None:
        self.module = module  # a ModuleInstance (see instances.py)
        self.file = file
        self.each = each  # (key, value) or None
        self.count = count  # int, Unknown or None
        self.names = names or {}  # for-expression variables

    def with_names(self, names: dict[str, TfValue]) -> Scope:
        return Scope(self.module, self.file, self.each, self.count, {**self.names, **names})


def evaluate(node: Node, scope: Scope) -> TfValue:
    if isinstance(node, Literal):
        v = node.value
        if isinstance(v, str):
            return TStr(v, (Hop(json.dumps(v, ensure_ascii=False), scope.file, node.line),))
        return v
    if isinstance(node, Traversal):
        return _traversal(node, scope)
    if isinstance(node, Template):
        return _template(node.parts, scope, node.line)
    if isinstance(node, TupleExpr):
        return [evaluate(i, scope) for i in node.items]
    if isinstance(node, ObjectExpr):
        out: dict[str, TfValue] = {}
        for k, v in node.items:
            key = evaluate(k, scope)
            if isinstance(key, Unknown):
                return Unknown(_("an object key is not known: {reason}", reason=key.reason), key.hops)
            if key is None or isinstance(key, (list, dict)):  # Terraform: a key is a string
                return Unknown(_("null value where a string is required") if key is None else
                               _("cannot convert {type} to string", type=type_name(key)))
            out[_key(key)] = evaluate(v, scope)
        return out
    if isinstance(node, Conditional):
        cond = evaluate(node.cond, scope)
        if isinstance(cond, Unknown):
            then, other = evaluate(node.then, scope), evaluate(node.otherwise, scope)
            if not isinstance(then, Unknown) and then == other:
                return then
            return Unknown(_("depends on a condition that is not known: {reason}", reason=cond.reason), cond.hops)
        if not isinstance(cond, bool):
            return Unknown(_("a condition is not a boolean"))
        return evaluate(node.then if cond else node.otherwise, scope)
    if isinstance(node, BinaryOp):
        return _binary(node, scope)
    if isinstance(node, UnaryOp):
        v = evaluate(node.operand, scope)
        if isinstance(v, Unknown):
            return v
        if node.op == "!":
            return (not v) if isinstance(v, bool) else Unknown(_("'!' applied to a non-boolean"))
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return -v
        return Unknown(_("'-' applied to a non-number"))
    if isinstance(node, Call):
        return _call(node, scope)
    if isinstance(node, ForExpr):
        return _for(node, scope)
    return Unknown(_("expression not evaluated"))


def _key(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _template(parts: list[TemplatePart], scope: Scope, line: int) -> TfValue:
    if len(parts) == 1 and not isinstance(parts[0], (str, TemplateIf, TemplateFor)):
        return evaluate(parts[0], scope)  # "${x}" is x itself, not its string form
    out: list[str] = []
    hops: tuple = ()
    pieces: list[Any] = []  # the parts as read, unknown ones included, while every unknown is pending
    pending: Unknown | None = None
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            pieces.append(part)
            continue
        if isinstance(part, TemplateIf):
            cond = evaluate(part.cond, scope)
            if isinstance(cond, Unknown):
                return cond
            branch = part.then if cond else part.otherwise
            v = _template(branch, scope, line) if branch else ""
        elif isinstance(part, TemplateFor):
            coll = evaluate(part.collection, scope)
            if isinstance(coll, Unknown):
                return coll
            pieces = []
            for k, item in _items(coll):
                names = {part.value_var: item}
                if part.key_var:
                    names[part.key_var] = k
                piece = _template(part.body, scope.with_names(names), line)
                if isinstance(piece, Unknown):
                    return piece
                pieces.append(str(piece))
            v = "".join(pieces)
        else:
            v = evaluate(part, scope)
            if isinstance(v, Unknown) and v.pending:  # known after apply: kept as a piece ("${b.arn}/*")
                pending = pending or v
                pieces.append(v)
                continue
        if isinstance(v, Unknown):
            return v
        if isinstance(v, (dict, list)):
            return Unknown(_("a template interpolates a list or object"))
        if v is None:
            return Unknown(_("a template interpolates null"))
        hops = hops or hops_of(v)
        out.append(_key(v))
        pieces.append(_key(v))
    if pending is not None:
        return with_partial(pending, TemplateText(tuple(pieces)))
    text = "".join(out)
    return TStr(text, hops) if hops else TStr(text, (Hop(json.dumps(text, ensure_ascii=False), scope.file, line),))


def _items(coll: Any) -> list[Any]:
    if isinstance(coll, dict):
        return [(k, coll[k]) for k in sorted(coll)][:MAX_ITEMS]
    if isinstance(coll, list):
        return list(enumerate(coll))[:MAX_ITEMS]
    return []


_COMPARE = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}


def _binary(node: BinaryOp, scope: Scope) -> Any:
    op = node.op
    left = evaluate(node.left, scope)
    if op in ("&&", "||"):
        if left is (op == "||"):  # short circuit: true || x, false && x
            return left
        right = evaluate(node.right, scope)
        if isinstance(left, Unknown):
            return right if right is (op == "||") else left
        if isinstance(right, Unknown):
            return right
        if not (isinstance(left, bool) and isinstance(right, bool)):
            return Unknown(_("'{op}' applied to non-booleans", op=op))
        return (left and right) if op == "&&" else (left or right)
    right = evaluate(node.right, scope)
    for v in (left, right):
        if isinstance(v, Unknown):
            return v
    if op == "==":
        return functions._equal(left, right)  # no conversion: true == 1 is false, "1" == 1 too
    if op == "!=":
        return not functions._equal(left, right)
    try:  # numeric strings convert ("5" + 1 is 6); bools, null and collections don't
        left, right = functions.to_number(left), functions.to_number(right)
    except functions.FunctionError:
        return Unknown(_("'{op}' applied to non-numbers", op=op))
    if op in _COMPARE:
        return _COMPARE[op](left, right)
    try:
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        if op == "*":
            return left * right
        if op == "/":
            return left / right
        if op == "%":  # the sign of the dividend, as in Terraform (Go's truncated remainder)
            return math.fmod(left, right) if isinstance(left, float) or isinstance(right, float) else \
                (abs(left) % abs(right)) * (-1 if left < 0 else 1)
    except (ZeroDivisionError, OverflowError, ValueError):
        return Unknown(_("'{op}' failed (division by zero or overflow)", op=op))
    return Unknown(_("operator {op} not evaluated", op=op))


def _call(node: Call, scope: Scope) -> Any:
    name = node.name
    if name in ("try", "can"):
        # An Unknown may be an error Terraform would catch or a value known after apply:
        # try() moves on to its fallback (the common pattern), can() stays unknown.
        last = Unknown(_("{name}() without arguments", name=name))
        for arg in node.args:
            v = evaluate(arg, scope)
            failed = _error_inside(v)  # [x["rule"]] fails as a whole when x has no "rule"
            if failed is None:
                return (True if not isinstance(v, Unknown) else v) if name == "can" else v
            last = failed
            if name == "can":
                if getattr(scope.module, "validating", False) and _failed_call(failed):
                    return False  # a variable's validation: the call fails for this value
                break
        return last
    args = [evaluate(a, scope) for a in node.args]
    if name == "element" and len(args) == 2 and isinstance(args[0], Unknown) \
            and isinstance(args[0].partial, Elements) and not node.expand:
        index = args[1]  # element() wraps around: any index, even one known later, is one of the elements
        if not isinstance(index, Unknown):
            try:
                functions._whole(index)
            except functions.FunctionError:
                return Unknown(_("index {key!r} out of range", key=functions.Shown(index)))
        return args[0].partial.value
    if name == "jsonencode" and len(args) == 1 and not isinstance(args[0], Unknown):
        inside = contains_unknown(args[0])
        if inside is not None and _error_inside(args[0]) is None:  # known after apply: keep the structure
            return with_partial(inside, Document(args[0]))
    if node.expand and args:
        last = args.pop()
        if isinstance(last, Unknown):
            return last
        if not isinstance(last, list):
            return Unknown(_("'...' expands a non-list"))
        args.extend(last)
    return functions.call(name, args)


def _error_inside(value: Any, depth: int = 0) -> Unknown | None:
    """An unknown inside a value that is an error Terraform would raise (a missing key, a
    failed call), not a value known only after apply."""
    if isinstance(value, Unknown):
        return None if value.pending else value
    if depth > 50:
        return None
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        found = _error_inside(item, depth + 1)
        if found is not None:
            return found
    return None


def _failed_call(v: Unknown) -> bool:
    """An error Terraform's can() catches: a function that fails on known values (not one
    hdslint does not evaluate, nor a value it does not know)."""
    reason = v.reason
    if v.pending or not isinstance(reason, Msg):
        return False
    if isinstance(reason, Joined):  # functions.call: "<name>(): " and the function's own error
        return bool(reason.parts) and isinstance(reason.parts[0], str) and reason.parts[0].endswith("(): ")
    return reason.template == "{name}() could not be evaluated: {error}"


def _for(node: ForExpr, scope: Scope) -> Any:
    coll = evaluate(node.collection, scope)
    if isinstance(coll, Unknown):
        return coll
    if not isinstance(coll, (list, dict)):
        return Unknown(_("a for expression iterates over a non-collection"))
    out_list: list = []
    out_map: dict = {}
    for k, v in _items(coll):
        names = {node.value_var: v}
        if node.key_var:
            names[node.key_var] = k
        inner = scope.with_names(names)
        if node.cond is not None:
            c = evaluate(node.cond, inner)
            if isinstance(c, Unknown):
                return c
            if not c:
                continue
        value = evaluate(node.value, inner)
        if node.key is None:
            out_list.append(value)
        else:
            key = evaluate(node.key, inner)
            if isinstance(key, Unknown):
                return key
            key = _key(key)
            if node.grouping:
                out_map.setdefault(key, []).append(value)
            else:
                out_map[key] = value
    return out_list if node.key is None else out_map


def _traversal(node: Traversal, scope: Scope) -> Any:
    root, steps = node.root, node.steps
    if not isinstance(root, str):
        return apply_steps(evaluate(root, scope), steps, scope)
    if root in scope.names:
        return apply_steps(scope.names[root], steps, scope)
    module = scope.module
    first: str | None = steps[0][1] if steps and steps[0][0] == "attr" else None
    if root in ("var", "local") and first:
        base = module.var(first) if root == "var" else module.local(first)
        result = apply_steps(base, steps[1:], scope)
        if isinstance(base, (dict, list)) and isinstance(result, (TStr, Unknown)):
            hop = module.definition_hop(root, first)  # local.regions -> where the map is written
            if hop is not None:
                result = with_hop(result, hop)
        return result
    if root == "each":
        if scope.each is None:
            return Unknown(_("each is used outside for_each"))
        if isinstance(scope.each, Unknown):
            return scope.each
        if first == "key":
            return apply_steps(scope.each[0], steps[1:], scope)
        if first == "value":
            return apply_steps(scope.each[1], steps[1:], scope)
        return Unknown(_("each.{name} does not exist", name=first))
    if root == "count" and first == "index":
        if scope.count is None:
            return Unknown(_("count.index is used outside count"))
        return apply_steps(scope.count, steps[1:], scope)
    if root == "path" and first in ("module", "root", "cwd"):
        return apply_steps(module.path(first), steps[1:], scope)
    if root == "terraform" and first == "workspace":
        return TStr("default", (Hop(_("terraform.workspace (assumed 'default')"), scope.file, node.line),))
    if root == "module" and first:
        return module.module_ref(first, steps[1:], scope)
    if root == "data" and first and len(steps) >= 2 and steps[1][0] == "attr":
        return module.resource_ref("data", first, steps[1][1], steps[2:], scope)
    if root == "self":
        return Unknown(_("self refers to attributes known after apply"))
    if first:
        return module.resource_ref("managed", root, first, steps[1:], scope)
    return Unknown(_("'{name}' is not a known name", name=root))


def apply_steps(value: Any, steps: list[Any], scope: Scope) -> Any:
    for i, (kind, step) in enumerate(steps):
        if isinstance(value, Unknown) and kind == "index" and isinstance(value.partial, Elements):
            # any element of a list of the zones of one region is in that region, whatever the index
            key = evaluate(step, scope)
            if not isinstance(key, Unknown):
                try:
                    functions._whole(key)
                except functions.FunctionError:
                    return Unknown(_("index {key!r} out of range", key=functions.Shown(key)))
            value = value.partial.value
            continue
        if isinstance(value, Unknown):
            return value
        if kind == "splat":
            if value is None:
                return []
            items = value if isinstance(value, list) else [value]
            return [apply_steps(item, steps[i + 1:], scope) for item in items]
        if kind == "attr":
            key = step
        else:
            key = evaluate(step, scope)
            if isinstance(key, Unknown):
                return key
        if key is None:
            return Unknown(_("no key {key!r} in the object", key=functions.Shown(None)))
        if isinstance(value, dict):
            k = _key(key)
            if k not in value:
                return Unknown(_("no key {key!r} in the object", key=k))
            value = value[k]
        elif isinstance(value, list):
            if kind == "attr":
                return Unknown(_("attribute '{key}' read on a list", key=key))
            try:
                index = functions._whole(key)  # a whole number: no bool, no fraction, no negative
                if not 0 <= index < len(value):
                    raise IndexError(index)
                value = value[index]
            except (functions.FunctionError, IndexError):
                return Unknown(_("index {key!r} out of range", key=functions.Shown(key)))
        elif value is None:
            return Unknown(_("an attribute of null is read"))
        else:
            return Unknown(_("'{key}' read on a {type}", key=functions.show(key) if kind == "index" else key,
                             type=type_name(value)))
    return value
