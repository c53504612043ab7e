"""Short source text of an expression, for messages and resolution chains."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

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
    Traversal,
    TupleExpr,
    UnaryOp,
)

if TYPE_CHECKING:
    from hdslint.syntax.hcl.ast import Node

MAX = 80


def unparse(node: Node, limit: int = MAX) -> str:
    text = _unparse(node, 0)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unparse(node: Node, depth: int) -> str:
    if depth > 20:
        return "…"
    d = depth + 1
    if isinstance(node, Literal):
        v = node.value
        if v is None:
            return "null"
        if isinstance(v, bool):
            return "true" if v else "false"
        return json.dumps(v, ensure_ascii=False) if isinstance(v, str) else str(v)
    if isinstance(node, Traversal):
        root = node.root if isinstance(node.root, str) else f"({_unparse(node.root, d)})"
        out = [root]
        for kind, step in node.steps:
            if kind == "attr":
                out.append("." + step)
            elif kind == "index":
                out.append(f"[{_unparse(step, d)}]")
            else:
                out.append("[*]")
        return "".join(out)
    if isinstance(node, Template):
        parts = []
        for p in node.parts:
            if isinstance(p, str):
                parts.append(p.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n"))
            elif isinstance(p, (TemplateIf, TemplateFor)):
                parts.append("%{…}")
            else:
                parts.append("${" + _unparse(p, d) + "}")
        return '"' + "".join(parts) + '"'
    if isinstance(node, Call):
        args = ", ".join(_unparse(a, d) for a in node.args)
        return f"{node.name}({args}{'...' if node.expand else ''})"
    if isinstance(node, Conditional):
        return f"{_unparse(node.cond, d)} ? {_unparse(node.then, d)} : {_unparse(node.otherwise, d)}"
    if isinstance(node, BinaryOp):
        return f"{_unparse(node.left, d)} {node.op} {_unparse(node.right, d)}"
    if isinstance(node, UnaryOp):
        return f"{node.op}{_unparse(node.operand, d)}"
    if isinstance(node, TupleExpr):
        return "[" + ", ".join(_unparse(i, d) for i in node.items) + "]"
    if isinstance(node, ObjectExpr):
        return "{" + ", ".join(f"{_unparse(k, d)} = {_unparse(v, d)}" for k, v in node.items) + "}"
    if isinstance(node, ForExpr):
        return "[for …]" if node.key is None else "{for …}"
    return "…"
