"""The syntax tree of HCL native syntax, shared by the .tf and .tf.json readers.

Every node keeps the line it starts on: findings, suppressions and SARIF need it.
Expressions stay as trees; the Terraform evaluator decides what they resolve to.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Union

# A step of a traversal: ("attr", name), ("index", Node), ("splat", None | "attr").
Step = tuple[str, Any]
# A part of a template: literal text, or an interpolated or directive node.
TemplatePart = Union[str, "Node"]


class Node:
    """parens: the expression was written inside parentheses. It changes no value, but it
    ends a traversal, `(a[*].b)[0]` against `a[*].b[0]`, and keeps unparse faithful."""

    __slots__ = ("line", "parens")
    line: int
    parens: bool

    def __init__(self, line: int) -> None:
        self.line = line
        self.parens = False


def children(node: Node) -> Iterator[Node | str]:
    """The direct children of a node, in slot order: its sub-expressions (in lists and in the
    pairs of an object), and the literal strings of a template's `parts`. Node's own slots
    (line, parens) are not children."""
    for slot in getattr(type(node), "__slots__", ()):
        value = getattr(node, slot, None)
        for c in value if isinstance(value, list) else [value]:
            if isinstance(c, tuple):
                yield from (x for x in c if isinstance(x, Node))
            elif isinstance(c, Node) or (isinstance(c, str) and slot == "parts"):
                yield c


class Literal(Node):
    """A number, string without interpolation, bool or null."""

    __slots__ = ("value",)
    value: Any

    def __init__(self, value: Any, line: int) -> None:
        super().__init__(line)
        self.value = value

    def __repr__(self) -> str:
        return f"Literal({self.value!r})"


class Template(Node):
    """A quoted string or heredoc with interpolations: parts are str or Node."""

    __slots__ = ("parts",)
    parts: list[TemplatePart]

    def __init__(self, parts: list[TemplatePart], line: int) -> None:
        super().__init__(line)
        self.parts = parts


class TemplateIf(Node):
    __slots__ = ("cond", "then", "otherwise")
    cond: Node
    then: list[TemplatePart]
    otherwise: list[TemplatePart]

    def __init__(self, cond: Node, then: list[TemplatePart], otherwise: list[TemplatePart], line: int) -> None:
        super().__init__(line)
        self.cond, self.then, self.otherwise = cond, then, otherwise


class TemplateFor(Node):
    __slots__ = ("key_var", "value_var", "collection", "body")
    key_var: str | None
    value_var: str
    collection: Node
    body: list[TemplatePart]

    def __init__(self, key_var: str | None, value_var: str, collection: Node, body: list[TemplatePart],
                 line: int) -> None:
        super().__init__(line)
        self.key_var, self.value_var, self.collection, self.body = key_var, value_var, collection, body


class Traversal(Node):
    """`root.step[step]...`: root is a name (var, local, aws_s3_bucket...) or an expression.

    steps are ("attr", name), ("index", Node) or a splat mark that applies the rest of the
    steps to every element: ("splat", None) for the full splat `[*]`, ("splat", "attr") for
    the attribute-only splat `.*`. An attribute-only splat takes only the attribute steps
    that follow it (`.name`, legacy `.0`); the parser ends the traversal at the next index,
    which applies to the resulting list: `a.*.b[1]` is Traversal(Traversal(a, [.*, .b]), [[1]]).
    """

    __slots__ = ("root", "steps")
    root: str | Node
    steps: list[Step]

    def __init__(self, root: str | Node, steps: list[Step], line: int) -> None:
        super().__init__(line)
        self.root, self.steps = root, steps

    def __repr__(self) -> str:
        return f"Traversal({self.root!r}, {self.steps!r})"


class Call(Node):
    __slots__ = ("name", "args", "expand")
    name: str
    args: list[Node]
    expand: bool

    def __init__(self, name: str, args: list[Node], expand: bool, line: int) -> None:
        super().__init__(line)
        self.name, self.args, self.expand = name, args, expand


class Conditional(Node):
    __slots__ = ("cond", "then", "otherwise")
    cond: Node
    then: Node
    otherwise: Node

    def __init__(self, cond: Node, then: Node, otherwise: Node, line: int) -> None:
        super().__init__(line)
        self.cond, self.then, self.otherwise = cond, then, otherwise


class BinaryOp(Node):
    __slots__ = ("op", "left", "right")
    op: str
    left: Node
    right: Node

    def __init__(self, op: str, left: Node, right: Node, line: int) -> None:
        super().__init__(line)
        self.op, self.left, self.right = op, left, right


class UnaryOp(Node):
    __slots__ = ("op", "operand")
    op: str
    operand: Node

    def __init__(self, op: str, operand: Node, line: int) -> None:
        super().__init__(line)
        self.op, self.operand = op, operand


class TupleExpr(Node):
    __slots__ = ("items",)
    items: list[Node]

    def __init__(self, items: list[Node], line: int) -> None:
        super().__init__(line)
        self.items = items


class ObjectExpr(Node):
    """items: list of (key, value); a bare identifier key is a Literal string."""

    __slots__ = ("items",)
    items: list[tuple[Node, Node]]

    def __init__(self, items: list[tuple[Node, Node]], line: int) -> None:
        super().__init__(line)
        self.items = items


class ForExpr(Node):
    __slots__ = ("key_var", "value_var", "collection", "key", "value", "cond", "grouping")
    key_var: str | None
    value_var: str
    collection: Node
    key: Node | None  # set for an object for-expression
    value: Node
    cond: Node | None
    grouping: bool

    def __init__(self, key_var: str | None, value_var: str, collection: Node, key: Node | None, value: Node,
                 cond: Node | None, grouping: bool, line: int) -> None:
        super().__init__(line)
        self.key_var, self.value_var, self.collection = key_var, value_var, collection
        self.key, self.value, self.cond, self.grouping = key, value, cond, grouping


class Attribute:
    """file is set only when the attribute comes from another file than its block
    (Terraform override files); readers use file_of(attr, default)."""

    __slots__ = ("name", "expr", "line", "end_line", "file")

    def __init__(self, name: str, expr: Node, line: int, end_line: int, file: str | None = None) -> None:
        self.name, self.expr, self.line, self.end_line, self.file = name, expr, line, end_line, file


def file_of(attr: Attribute, default: str) -> str:
    return attr.file or default


class Block:
    __slots__ = ("type", "labels", "body", "line", "end_line")

    def __init__(self, type_: str, labels: list[str], body: Body, line: int, end_line: int) -> None:
        self.type, self.labels, self.body, self.line, self.end_line = type_, labels, body, line, end_line

    def __repr__(self) -> str:
        return f"Block({self.type} {self.labels} @{self.line}-{self.end_line})"


class Body:
    __slots__ = ("attributes", "blocks")

    def __init__(self) -> None:
        self.attributes: dict[str, Attribute] = {}
        self.blocks: list[Block] = []

    def blocks_of(self, type_: str) -> list[Block]:
        return [b for b in self.blocks if b.type == type_]


class File:
    """A parsed configuration file: its body and its comments (line, text) for suppressions."""

    __slots__ = ("body", "comments", "lines")

    def __init__(self, body: Body, comments: list[tuple[int, str]], lines: int) -> None:
        self.body, self.comments, self.lines = body, comments, lines
