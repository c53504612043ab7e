"""Reads one Terraform module directory (.tf and .tf.json files) into declarations.

Nothing is evaluated here: variables, locals, providers, resources, module calls and
outputs are collected with their files and lines; the evaluator gives them values.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from hdslint.i18n import _
from hdslint.model.problems import Problem
from hdslint.syntax.hcl import parser as hcl
from hdslint.syntax.hcl.ast import Attribute, Block, Body, File, Literal, Node, ObjectExpr, Traversal, TupleExpr
from hdslint.syntax.jsonpos import JArray, JObject


@dataclass
class Decl:
    """A declaration block: resource, data, provider, module call, variable."""

    kind: str
    labels: list[str]
    body: Body
    file: str
    line: int
    end_line: int

    @property
    def name(self) -> str:
        return self.labels[-1] if self.labels else ""

    def attr(self, name: str) -> Attribute | None:
        return self.body.attributes.get(name)


@dataclass
class ModuleConfig:
    dir: str  # relative to the scan root, posix, "." for the root itself
    files: list[str] = field(default_factory=list)
    variables: dict[str, Decl] = field(default_factory=dict)
    locals: dict[str, tuple[Attribute, str]] = field(default_factory=dict)  # name -> (Attribute, file)
    providers: dict[str, Decl] = field(default_factory=dict)  # "aws" / "aws.dr" -> Decl
    resources: dict[str, Decl] = field(default_factory=dict)  # "aws_s3_bucket.b" / "data.aws_region.r" -> Decl
    module_calls: dict[str, Decl] = field(default_factory=dict)  # name -> Decl
    outputs: dict[str, tuple[Attribute, str]] = field(default_factory=dict)  # name -> (Attribute, file)
    required_providers: dict[str, str | None] = field(default_factory=dict)  # local name -> source address
    backend: bool = False  # a terraform block holds a backend or cloud block: a deployment's state
    comments: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # file -> [(line, text)]
    problems: list[Problem] = field(default_factory=list)

    def add_file(self, relpath: str, parsed: File) -> None:
        self.files.append(relpath)
        self.comments[relpath] = parsed.comments
        override = is_override(relpath)
        for block in parsed.body.blocks:
            if override:
                self._override_block(relpath, block)
            else:
                self._add_block(relpath, block)
        for name, attr in parsed.body.attributes.items():
            self.problems.append(Problem(relpath, attr.line, _("unexpected top-level argument '{name}'", name=name)))

    def _add_block(self, file: str, b: Block) -> None:
        kind, labels = b.type, b.labels
        decl = Decl(kind, labels, b.body, file, b.line, b.end_line)
        if kind in ("resource", "data", "ephemeral"):
            if len(labels) != 2:
                self.problems.append(Problem(file, b.line, _("a {kind} block needs two labels", kind=kind)))
                return
            key = f"{labels[0]}.{labels[1]}" if kind == "resource" else f"{kind}.{labels[0]}.{labels[1]}"
            self.resources.setdefault(key, decl)
        elif kind == "provider" and len(labels) == 1:
            alias = b.body.attributes.get("alias")
            alias_name = alias.expr.value if alias and isinstance(alias.expr, Literal) else None
            key = f"{labels[0]}.{alias_name}" if alias_name else labels[0]
            self.providers.setdefault(key, decl)
        elif kind == "variable" and len(labels) == 1:
            self.variables.setdefault(labels[0], decl)
        elif kind == "locals":
            for name, attr in b.body.attributes.items():
                self.locals.setdefault(name, (attr, file))
        elif kind == "module" and len(labels) == 1:
            self.module_calls.setdefault(labels[0], decl)
        elif kind == "output" and len(labels) == 1:
            value = b.body.attributes.get("value")
            if value is not None:
                self.outputs.setdefault(labels[0], (value, file))
        elif kind == "terraform":
            self.backend = self.backend or bool(b.body.blocks_of("backend") or b.body.blocks_of("cloud"))
            for rp in b.body.blocks_of("required_providers"):
                for local, attr in rp.body.attributes.items():
                    self.required_providers[local] = _provider_source(attr)


    def _override_block(self, file: str, b: Block) -> None:
        """override.tf semantics: arguments replace the original's one by one, nested blocks
        replace all the original's blocks of that type; a block with no original is ignored
        by Terraform (it is an error), so it is reported."""
        kind, labels = b.type, b.labels
        if kind == "locals":
            for name, attr in b.body.attributes.items():
                self.locals[name] = (attr, file)
            return
        if kind in ("resource", "data"):
            key = f"{labels[0]}.{labels[1]}" if kind == "resource" else f"data.{labels[0]}.{labels[1]}"
            target = self.resources.get(key) if len(labels) == 2 else None
        elif kind == "provider" and labels:
            alias = b.body.attributes.get("alias")
            alias_name = alias.expr.value if alias and isinstance(alias.expr, Literal) else None
            target = self.providers.get(f"{labels[0]}.{alias_name}" if alias_name else labels[0])
        elif kind in ("variable", "module") and labels:
            target = (self.variables if kind == "variable" else self.module_calls).get(labels[0])
        elif kind == "output" and labels:
            value = b.body.attributes.get("value")
            if value is not None and labels[0] in self.outputs:
                self.outputs[labels[0]] = (value, file)
            return
        else:
            return
        if target is None:
            self.problems.append(Problem(file, b.line, _("override block {kind} {labels} has no original", kind=kind,
                                                         labels=" ".join(labels))))
            return
        _mark_file(b.body, file)
        merged = Body()
        merged.attributes = {**target.body.attributes, **b.body.attributes}
        replaced = {blk.type for blk in b.body.blocks}
        merged.blocks = [blk for blk in target.body.blocks if blk.type not in replaced] + b.body.blocks
        target.body = merged


def _mark_file(body: Body, file: str) -> None:
    stack = [body]
    while stack:
        current = stack.pop()
        for attr in current.attributes.values():
            attr.file = file
        stack.extend(blk.body for blk in current.blocks)


def is_override(relpath: str) -> bool:
    name = relpath.rsplit("/", 1)[-1]
    for suffix in (".tf.json", ".tofu.json", ".tf", ".tofu"):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return stem == "override" or stem.endswith("_override")
    return False


def _provider_source(attr: Attribute) -> str | None:
    expr = attr.expr
    if isinstance(expr, Literal) and isinstance(expr.value, str):  # legacy: aws = "~> 5.0"
        return None
    if isinstance(expr, ObjectExpr):
        for k, v in expr.items:
            if isinstance(k, Literal) and k.value == "source" and isinstance(v, Literal):
                return str(v.value)
    return None


# ---- .tf.json -------------------------------------------------------------------------------------

_REFERENCE_ATTRS = {"provider", "depends_on"}  # JSON strings that are expressions, not templates


def json_to_file(doc: Any, relpath: str) -> File:
    """Convert a Terraform JSON configuration into the same syntax tree as HCL."""
    body = Body()
    if not isinstance(doc, dict):
        raise hcl.HCLError(_("a .tf.json file must hold a JSON object"), getattr(doc, "line", 1))
    comments: list[tuple[int, str]] = []  # JSON has none
    for kind, content in doc.items():
        line = _key_line(doc, kind)
        if kind == "//":
            continue
        depth = {"resource": 2, "data": 2, "ephemeral": 2, "provider": 1, "variable": 1,
                 "output": 1, "module": 1, "locals": 0, "terraform": 0}.get(kind)
        if depth is None:
            raise hcl.HCLError(_("unknown top-level key '{key}'", key=kind), line)
        for labels, obj, obj_line in _labelled(content, depth, line):
            block_body = _json_body(obj, kind, obj_line)
            body.blocks.append(Block(kind, labels, block_body, obj_line, _end_line(obj, obj_line)))
    return File(body, comments, 0)


def _key_line(obj: Any, key: str) -> int:
    return obj.key_lines.get(key, obj.line) if isinstance(obj, JObject) else 1


def _labelled(content: Any, depth: int, line: int) -> Iterator[tuple[list[str], dict[str, Any], int]]:
    """Yield (labels, body object, line) for `depth` levels of label keys."""
    if depth == 0:
        for item in content if isinstance(content, list) else [content]:
            if not isinstance(item, dict):
                raise hcl.HCLError(_("expected a JSON object"), getattr(item, "line", line))
            yield [], item, getattr(item, "line", line)
        return
    if not isinstance(content, dict):
        raise hcl.HCLError(_("expected a JSON object of labels"), getattr(content, "line", line))
    for label, inner in content.items():
        if label == "//":
            continue
        inner_line = _key_line(content, label)
        for labels, obj, obj_line in _labelled(inner, depth - 1, inner_line):
            yield [label, *labels], obj, obj_line


def _end_line(obj: Any, line: int) -> int:
    end = line
    stack: list[Any] = [obj]
    while stack:
        o = stack.pop()
        if isinstance(o, JObject):
            if o.key_lines:
                end = max(end, max(o.key_lines.values()))
            stack.extend(v for v in o.values() if isinstance(v, (JObject, JArray)))
        elif isinstance(o, JArray):
            stack.extend(v for v in o if isinstance(v, (JObject, JArray)))
    return end + 1 if end > line else end


def _json_body(obj: dict[str, Any], kind: str, line: int) -> Body:
    body = Body()
    for key, value in obj.items():
        if key == "//":
            continue
        kline = _key_line(obj, key)
        expr: Node
        if kind in ("resource", "data") and key in _REFERENCE_ATTRS and isinstance(value, str):
            expr = hcl.parse_expression(value, kline)
        elif kind == "module" and key == "providers" and isinstance(value, dict):
            expr = ObjectExpr(
                [(Literal(k, kline), hcl.parse_expression(v, kline)) for k, v in value.items()
                 if isinstance(v, str)], kline)
        elif kind == "variable" and key == "type" and isinstance(value, str):
            expr = Literal(value, kline)
        else:
            expr = json_value_to_expr(value, kline)
        body.attributes[key] = Attribute(key, expr, kline, kline)
    return body


def json_value_to_expr(value: Any, line: int) -> Node:
    """A JSON value as an HCL expression: strings are templates (they may hold ${...})."""

    def convert(v: Any, ln: int) -> Node:
        if isinstance(v, str):
            if "${" in v or "%{" in v:
                return hcl.parse_template(v, ln)
            return Literal(v, ln)
        if isinstance(v, list):
            ln = getattr(v, "line", ln)
            return TupleExpr([convert(x, ln) for x in v], ln)
        if isinstance(v, dict):
            ln = getattr(v, "line", ln)
            return ObjectExpr([(Literal(k, _key_line(v, k)), convert(x, _key_line(v, k))) for k, x in v.items()
                               if k != "//"], ln)
        return Literal(v, ln)

    return convert(value, line)


def reference_key(expr: Node | None) -> str | None:
    """'aws.dr' for `provider = aws.dr`, 'google-beta' for `provider = google-beta`."""
    if isinstance(expr, Traversal) and isinstance(expr.root, str):
        parts = [expr.root]
        for kind, step in expr.steps:
            if kind != "attr":
                return None
            parts.append(step)
        return ".".join(parts)
    if isinstance(expr, Literal) and isinstance(expr.value, str):
        return expr.value
    return None
