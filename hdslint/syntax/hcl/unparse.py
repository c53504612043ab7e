"""Source text of an expression: short for messages and resolution chains, or whole.

unparse(node) is at most MAX characters (messages); unparse(node, limit=None) is the whole
expression, which our parser reads back to the same tree: parentheses where the source
had them or where precedence needs them, `.*` and `[*]` as written, `$${` and `%%{` escaped
in strings, template directives and for expressions in full. tests/test_hcl_oracle.py
compares it with python-hcl2's rendering of every attribute.
"""
from __future__ import annotations

import re

from hdslint.syntax.hcl.ast import (
    BinaryOp,
    Call,
    Conditional,
    ForExpr,
    Literal,
    Node,
    ObjectExpr,
    Template,
    TemplateFor,
    TemplateIf,
    Traversal,
    TupleExpr,
    UnaryOp,
)

MAX = 80
MAX_DEPTH = 20  # messages only: deeper nesting reads as "…"

# Binding strength: what an operand needs so that reading the text back gives the same tree.
_PREC = {
    "||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4,
    "+": 5, "-": 5, "*": 6, "/": 6, "%": 6,
}
_UNARY = 7
_PRIMARY = 8


def unparse(node: Node, limit: int | None = MAX) -> str:
    text = _Unparser(limit is not None).expr(node, 0)
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def template_text(parts: list) -> str:
    """The text of a template as a heredoc holds it: literal text as is (only `${` and `%{`
    escaped), interpolations and directives in full."""
    return _Unparser(False).template(parts, 0, raw=True)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _escape_string(text: str) -> str:
    """HCL's string escapes (\\n \\r \\t \\" \\\\ \\uNNNN; JSON's \\b and \\f are not HCL)."""
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    text = text.replace("\t", "\\t")
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def quote(text: str) -> str:
    """A string literal that reads back as `text`: string escapes, then template escapes."""
    return '"' + _escape_template(_escape_string(text)) + '"'


def _escape_template(text: str) -> str:
    return text.replace("${", "$${").replace("%{", "%%{")


def _precedence(node: Node) -> int:
    if isinstance(node, Conditional):
        return 0
    if isinstance(node, BinaryOp):
        return _PREC.get(node.op, 0)
    if isinstance(node, UnaryOp):
        return _UNARY
    if isinstance(node, Literal) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool) \
            and node.value < 0:
        return _UNARY  # -1 is a folded unary minus
    return _PRIMARY


class _Unparser:
    def __init__(self, short: bool):
        self.short = short

    def expr(self, node: Node, depth: int, need: int = 0) -> str:
        """node's text; in parentheses when written so or when it binds looser than `need`."""
        if self.short and depth > MAX_DEPTH:
            return "…"
        text = self._expr(node, depth + 1)
        if getattr(node, "parens", False) or _precedence(node) < need:
            return f"({text})"
        return text

    def _expr(self, node: Node, d: int) -> str:
        if isinstance(node, Literal):
            v = node.value
            if v is None:
                return "null"
            if isinstance(v, bool):
                return "true" if v else "false"
            return quote(v) if isinstance(v, str) else repr(v)
        if isinstance(node, Traversal):
            out = [node.root if isinstance(node.root, str) else self.expr(node.root, d, _PRIMARY)]
            for kind, step in node.steps:
                if kind == "attr":
                    out.append("." + step)
                elif kind == "index":
                    out.append(f"[{self.expr(step, d)}]")
                else:
                    out.append(".*" if step == "attr" else "[*]")
            return "".join(out)
        if isinstance(node, Template):
            return '"' + self.template(node.parts, d) + '"'
        if isinstance(node, Call):
            args = ", ".join(self.expr(a, d) for a in node.args)
            return f"{node.name}({args}{'...' if node.expand else ''})"
        if isinstance(node, Conditional):
            return f"{self.expr(node.cond, d, 1)} ? {self.expr(node.then, d)} : {self.expr(node.otherwise, d)}"
        if isinstance(node, BinaryOp):
            prec = _PREC.get(node.op, 0)
            return f"{self.expr(node.left, d, prec)} {node.op} {self.expr(node.right, d, prec + 1)}"
        if isinstance(node, UnaryOp):
            return f"{node.op}{self.expr(node.operand, d, _UNARY)}"
        if isinstance(node, TupleExpr):
            return "[" + ", ".join(self.expr(i, d) for i in node.items) + "]"
        if isinstance(node, ObjectExpr):
            return "{" + ", ".join(f"{self.expr(k, d)} = {self.expr(v, d)}" for k, v in node.items) + "}"
        if isinstance(node, ForExpr):
            if self.short:
                return "[for …]" if node.key is None else "{for …}"
            names = f"{node.key_var}, {node.value_var}" if node.key_var else node.value_var
            head = f"for {names} in {self.expr(node.collection, d)} : "
            cond = f" if {self.expr(node.cond, d)}" if node.cond is not None else ""
            if node.key is None:
                return f"[{head}{self.expr(node.value, d)}{cond}]"
            group = "..." if node.grouping else ""
            return f"{{{head}{self.expr(node.key, d)} => {self.expr(node.value, d)}{group}{cond}}}"
        return "…"

    def template(self, parts: list, d: int, raw: bool = False) -> str:
        """raw: literal text as is (a heredoc's content), else escaped for a quoted string."""
        out = []
        for p in parts:
            if isinstance(p, str):
                out.append(_escape_template(p if raw else _escape_string(p)))
            elif isinstance(p, TemplateIf):
                if self.short:
                    out.append("%{…}")
                    continue
                out.append(f"%{{if {self.expr(p.cond, d)}}}{self.template(p.then, d, raw)}")
                if p.otherwise:
                    out.append(f"%{{else}}{self.template(p.otherwise, d, raw)}")
                out.append("%{endif}")
            elif isinstance(p, TemplateFor):
                if self.short:
                    out.append("%{…}")
                    continue
                names = f"{p.key_var}, {p.value_var}" if p.key_var else p.value_var
                body = self.template(p.body, d, raw)
                out.append(f"%{{for {names} in {self.expr(p.collection, d)}}}{body}%{{endfor}}")
            else:
                out.append("${" + self.expr(p, d) + "}")
        return "".join(out)
