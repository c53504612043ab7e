"""A parser for HCL native syntax (.tf, .tfvars) that keeps a line for every node.

Why our own and not python-hcl2 at scan time: python-hcl2 7.3 gives lines for blocks only
and turns expressions into strings that would have to be parsed again; 8.x drops lines
altogether; both run at about 0.3 MB/s. This recursive-descent parser follows the HCL
native syntax specification, keeps expressions as trees with lines, records comments for
suppressions and is several times faster. python-hcl2 stays in the test-suite as an
oracle: both parsers must agree on every block and its line (tests/test_hcl_oracle.py).
"""
from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Any

from hdslint.i18n import Text, _
from hdslint.syntax.hcl.ast import (
    Attribute,
    BinaryOp,
    Block,
    Body,
    Call,
    Conditional,
    File,
    ForExpr,
    Literal,
    ObjectExpr,
    Step,
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

MAX_DEPTH = 200  # nesting of blocks, brackets and templates; real configurations stay under 20


class HCLError(Exception):
    def __init__(self, message: Text, line: int, column: int = 0) -> None:
        super().__init__(f"{message} (line {line})")
        self.message, self.line, self.column = message, line, column


_WS = re.compile(r"(?:[ \t\r\f\v\ufeff]+|#[^\n]*|//[^\n]*|/\*[\s\S]*?\*/)*")
_WS_NL = re.compile(r"(?:[ \t\r\n\f\v\ufeff]+|#[^\n]*|//[^\n]*|/\*[\s\S]*?\*/)*")
_COMMENT = re.compile(r"#[^\n]*|//[^\n]*|/\*[\s\S]*?\*/")
_WS_START = frozenset(" \t\r\n\f\v\ufeff#/")  # what neither pattern can start with: nothing to skip
_IDENT = re.compile(r"[^\W\d][\w-]*")  # HCL identifiers are Unicode (ID_Start, ID_Continue, '-')
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_DIGITS = re.compile(r"[0-9]+")
_STR_RUN = re.compile(r'[^"\\$%\n]+')
_HEREDOC_RUN = re.compile(r"[^$%\n]+")
# The most common values, alone on their line (or before an object's `,` or `}`), read at once
# into the node the expression rules give: a string without escape, interpolation or directive,
# and a reference made of names (var.region, aws_s3_bucket.b.id).
_PLAIN_TEXT = r'"([^"\\$%\n]*)"'
_PLAIN_REF = r"([^\W\d][\w-]*)((?:\.[^\W\d][\w-]*)*)"
_PLAIN_VALUE = re.compile(rf"(?:{_PLAIN_TEXT}|{_PLAIN_REF})(?=[ \t\r]*(?:\n|\Z))")
_PLAIN_ITEM = re.compile(rf"(?:{_PLAIN_TEXT}|{_PLAIN_REF})(?=[ \t\r]*(?:[\n,}}]|\Z))")
_HEREDOC_OPEN = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")
_BINARY = {
    "||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4,
    "+": 5, "-": 5, "*": 6, "/": 6, "%": 6,
}
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_KEYWORDS = {"true": True, "false": False, "null": None}


def parse(text: str) -> File:
    """Parse a whole configuration file. Raises HCLError with a line on invalid input."""
    p = _Parser(text)
    body = p.body(closing=False)
    return File(body, p.sorted_comments(), p.line(len(text)))


def parse_template(text: str, line: int = 1) -> Template | Literal:
    """Parse the content of a string as a template (used for .tf.json values)."""
    p = _Parser(text, line_offset=line - 1)
    return p.template(quoted=False, limit=len(text))


def parse_expression(text: str, line: int = 1) -> Node:
    """Parse a standalone expression (used for .tf.json references and --var values)."""
    p = _Parser(text, line_offset=line - 1)
    p.skip(True)
    expr = p.expression()
    p.skip(True)
    if p.pos != len(text):
        raise p.error(_("unexpected text after expression"))
    return expr


class _Parser:
    def __init__(self, src: str, line_offset: int = 0) -> None:
        self.src = src
        self.pos = 0
        self.depth = 0
        self.nl_free = 0  # > 0 inside ( [ ${ where newlines are plain whitespace
        self.line_offset = line_offset
        self.newlines = [m.start() for m in re.finditer("\n", src)]
        self.comments: dict[int, str] = {}
        # the parser asks again and again at the same place: the line of the last position asked,
        # and where the last skips ended (nothing to skip there: after new lines too, or on the line)
        self.last_pos, self.last_line = -1, 0
        self.clean, self.clean_line = -1, -1

    # ---- positions and errors -------------------------------------------------------
    def line(self, pos: int | None = None) -> int:
        if pos is None:
            pos = self.pos
        if pos != self.last_pos:
            self.last_pos, self.last_line = pos, bisect.bisect_left(self.newlines, pos) + 1 + self.line_offset
        return self.last_line

    def error(self, message: Text, pos: int | None = None) -> HCLError:
        pos = self.pos if pos is None else pos
        line_start = self.src.rfind("\n", 0, pos) + 1
        return HCLError(message, self.line(pos), pos - line_start + 1)

    def sorted_comments(self) -> list:
        return [(self.line(pos), text) for pos, text in sorted(self.comments.items())]

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(_("nesting deeper than {depth} levels", depth=MAX_DEPTH))

    # ---- whitespace ---------------------------------------------------------------------
    def skip(self, newlines: bool | None = None) -> None:
        pos = self.pos
        if pos == self.clean or self.src[pos:pos + 1] not in _WS_START:  # a token is next, or the end
            return
        if newlines is None:
            newlines = self.nl_free > 0
        if not newlines and pos == self.clean_line:
            return
        m = (_WS_NL if newlines else _WS).match(self.src, pos)
        end = m.end() if m else pos  # both patterns match the empty string
        if end != pos:
            span = self.src[pos:end]
            if "#" in span or "/" in span:
                for c in _COMMENT.finditer(self.src, pos, end):
                    self.comments[c.start()] = c.group()
            self.pos = end
        if newlines:
            self.clean = end
        else:
            self.clean_line = end

    def peek(self, n: int = 1) -> str:
        return self.src[self.pos:self.pos + n]

    def expect(self, token: str) -> None:
        self.skip()
        if not self.src.startswith(token, self.pos):
            found = self.src[self.pos:self.pos + 10].split("\n")[0]
            raise self.error(_("expected '{token}', found {found}", token=token, found=repr(found)) if found else
                             _("expected '{token}', found a new line or the end of the file", token=token))
        self.pos += len(token)

    def ident(self) -> str | None:
        m = _IDENT.match(self.src, self.pos)
        if not m:
            return None
        self.pos = m.end()
        return m.group()

    # ---- bodies and blocks ----------------------------------------------------------------
    def body(self, closing: bool) -> Body:
        self.enter()
        saved_nl, self.nl_free = self.nl_free, 0
        body = Body()
        src = self.src
        while True:
            self.skip(True)
            if self.pos >= len(src):
                if closing:
                    raise self.error(_("missing '{token}' at end of file", token="}"))
                break
            if src[self.pos] == "}":
                if not closing:
                    raise self.error(_("unexpected '{token}'", token="}"))
                self.pos += 1
                break
            start = self.pos
            name = self.ident()
            if name is None:
                raise self.error(_("expected an attribute or block name, found {found}", found=repr(src[self.pos])))
            line = self.line(start)
            self.skip(False)
            if src.startswith("=", self.pos) and not src.startswith(("==", "=>"), self.pos):
                self.pos += 1
                self.skip(False)
                plain = _PLAIN_VALUE.match(src, self.pos) if self.depth + 2 <= MAX_DEPTH else None
                expr = self._plain(plain) if plain else self.expression()
                body.attributes[name] = Attribute(name, expr, line, self.line(self.pos))
            else:
                labels = []
                while True:
                    self.skip(False)
                    c = src[self.pos:self.pos + 1]
                    if c == '"':
                        quoted = self.template(quoted=True)
                        if not isinstance(quoted, Literal):
                            raise self.error(_("block labels cannot contain interpolations"))
                        labels.append(quoted.value)
                    else:
                        label = self.ident()
                        if label is None:
                            break  # never loop on a character no rule consumes (found by fuzzing)
                        labels.append(label)
                self.skip(True)
                if not src.startswith("{", self.pos):
                    raise self.error(_("expected '=' or '{{' after '{name}'", name=name))
                self.pos += 1
                inner = self.body(closing=True)
                body.blocks.append(Block(name, labels, inner, line, self.line(self.pos)))
            self.skip(False)
            if self.pos < len(src) and src[self.pos] not in "\n}":
                raise self.error(_("unexpected '{char}' after '{name}': one argument or block per line",
                                  char=src[self.pos], name=name))
        self.nl_free = saved_nl
        self.depth -= 1
        return body

    # ---- expressions --------------------------------------------------------------------------
    def _plain(self, m: re.Match[str]) -> Node:
        """The node of a match of _PLAIN_VALUE or _PLAIN_ITEM at self.pos, which moves past it."""
        line = self.line()
        self.pos = m.end()
        text, root, steps = m.group(1, 2, 3)
        if root is None:
            return Literal(text, line)
        if root in _KEYWORDS:
            if not steps:
                return Literal(_KEYWORDS[root], line)
            self.pos = m.start()  # true.x: a traversal of a literal, left to the expression rules
            return self.expression()
        return Traversal(root, [("attr", name) for name in steps[1:].split(".")] if steps else [], line)

    def expression(self) -> Node:
        self.enter()
        self.skip()
        line = self.line()
        cond = self.binary(0)
        self.skip()
        if self.src.startswith("?", self.pos):
            self.pos += 1
            self.skip(True)
            then = self.expression()
            self.skip(True)
            self.expect(":")
            self.skip(True)
            otherwise = self.expression()
            cond = Conditional(cond, then, otherwise, line)
        self.depth -= 1
        return cond

    def binary_op(self) -> str | None:
        s = self.src[self.pos:self.pos + 2]
        if s in _BINARY:
            return s
        c = s[:1]
        if c in _BINARY and s not in ("=>",):
            # '<<' starts a heredoc and '-' may start a negative number: both still
            # operators here because we already hold a left operand.
            return c
        return None

    def binary(self, min_prec: int) -> Node:
        left = self.unary()
        while True:
            self.skip()
            op = self.binary_op()
            if op is None or _BINARY[op] < min_prec:
                return left
            line = self.line()
            self.pos += len(op)
            self.skip(True)
            right = self.binary(_BINARY[op] + 1)
            left = BinaryOp(op, left, right, line)

    def unary(self) -> Node:
        self.skip()
        c = self.src[self.pos:self.pos + 1]
        if c in ("!", "-") and not self.src.startswith("!=", self.pos):
            line = self.line()
            self.pos += 1
            self.enter()
            operand = self.unary()
            self.depth -= 1
            if c == "-" and isinstance(operand, Literal) and isinstance(operand.value, (int, float)) \
                    and not isinstance(operand.value, bool) and not operand.parens:
                return Literal(-operand.value, line)
            return UnaryOp(c, operand, line)
        return self.postfix(self.primary())

    def postfix(self, expr: Node) -> Node:
        src = self.src
        steps = None
        attr_splat = False  # inside `.*`: only attribute steps belong to it (HCL spec, splat operators)
        while True:
            save = self.pos
            self.skip()
            c = src[self.pos:self.pos + 1]
            if c == ".":
                if src.startswith("...", self.pos):  # argument expansion, grouping mode
                    self.pos = save
                    break
                if src.startswith(".*", self.pos):
                    self.pos += 2
                    step: Step = ("splat", "attr")
                else:
                    self.pos += 1
                    name = self.ident()
                    if name is None:
                        m = _DIGITS.match(src, self.pos)
                        if not m:
                            raise self.error(_("expected an attribute name after '.'"))
                        self.pos = m.end()
                        step = ("index", Literal(int(m.group()), self.line()))
                    else:
                        step = ("attr", name)
            elif c == "[":
                self.pos += 1
                self.skip(True)
                if src.startswith("*", self.pos):
                    self.pos += 1
                    self.expect("]")
                    step = ("splat", None)
                else:
                    self.nl_free += 1
                    key = self.expression()
                    self.skip(True)
                    self.nl_free -= 1
                    self.expect("]")
                    step = ("index", key)
            else:
                self.pos = save
                break
            if attr_splat and (c == "[" or step[0] == "splat"):
                # `.*` ends here: the index applies to the list it made, `a.*.b[1]` is (a.*.b)[1]
                steps, attr_splat = None, False
                expr = Traversal(expr, [], expr.line)
                steps = expr.steps
            if steps is None:
                if isinstance(expr, Traversal) and not expr.parens:
                    steps = expr.steps
                else:  # (a[*].b)[0] indexes the list, not each element: a traversal of its own
                    expr = Traversal(expr, [], expr.line)
                    steps = expr.steps
            steps.append(step)
            if step == ("splat", "attr"):
                attr_splat = True
        return expr

    def primary(self) -> Node:
        src = self.src
        self.skip()
        pos = self.pos
        if pos >= len(src):
            raise self.error(_("expected an expression, found end of file"))
        c = src[pos]
        line = self.line()
        if c == '"':
            return self.template(quoted=True)
        if c.isdigit():
            m = _NUMBER.match(src, pos)
            if not m:  # a digit always starts a number
                raise self.error(_("expected a number"))
            self.pos = m.end()
            text = m.group()
            return Literal(float(text) if ("." in text or "e" in text or "E" in text) else int(text), line)
        if c == "(":
            self.pos += 1
            self.nl_free += 1
            self.skip(True)
            inner = self.expression()
            self.skip(True)
            self.nl_free -= 1
            self.expect(")")
            # (var.k) = v is an expression key, (a[*].b)[0] indexes the whole list
            inner.parens = True
            return inner
        if c == "[":
            return self.tuple_or_for(line)
        if c == "{":
            return self.object_or_for(line)
        if c == "<" and src.startswith("<<", pos):
            return self.heredoc(line)
        name = self.ident()
        if name is None:
            raise self.error(_("expected an expression, found {found}", found=repr(c)))
        if name in _KEYWORDS:
            return Literal(_KEYWORDS[name], line)
        if src.startswith("::", self.pos):  # provider::aws::arn_parse(...)
            parts = [name]
            while src.startswith("::", self.pos):
                self.pos += 2
                part = self.ident()
                if part is None:
                    raise self.error(_("expected a name after '::'"))
                parts.append(part)
            name = "::".join(parts)
            self.skip()
            if not src.startswith("(", self.pos):
                raise self.error(_("expected '(' after a provider function name"))
        save = self.pos
        self.skip()
        if src.startswith("(", self.pos):
            self.pos += 1
            return self.call(name, line)
        self.pos = save
        return Traversal(name, [], line)

    def call(self, name: str, line: int) -> Call:
        self.nl_free += 1
        args, expand = [], False
        self.skip(True)
        while not self.src.startswith(")", self.pos):
            args.append(self.expression())
            self.skip(True)
            if self.src.startswith("...", self.pos):
                self.pos += 3
                expand = True
                self.skip(True)
            if self.src.startswith(",", self.pos):
                self.pos += 1
                self.skip(True)
            elif not self.src.startswith(")", self.pos):
                raise self.error(_("expected ',' or ')' in the arguments of {name}()", name=name))
        self.pos += 1
        self.nl_free -= 1
        return Call(name, args, expand, line)

    def _for_intro(self) -> Any:
        """After the 'for' keyword: 'k, v in coll :' ; returns (key_var, value_var, coll)."""
        self.skip(True)
        first = self.ident()
        if first is None:
            raise self.error(_("expected a variable name after 'for'"))
        self.skip(True)
        second = None
        if self.src.startswith(",", self.pos):
            self.pos += 1
            self.skip(True)
            second = self.ident()
            if second is None:
                raise self.error(_("expected a second variable name after ','"))
            self.skip(True)
        word = _IDENT.match(self.src, self.pos)
        if not word or word.group() != "in":
            raise self.error(_("expected 'in' in a for expression"))
        self.pos += 2
        coll = self.expression()
        self.skip(True)
        return (first, second, coll) if second else (None, first, coll)

    def _is_for(self) -> bool:
        m = _IDENT.match(self.src, self.pos)
        return bool(m and m.group() == "for" and self.src[m.end():m.end() + 1] in (" ", "\t", "\n", "\r"))

    def _for_cond(self) -> Node | None:
        self.skip(True)
        m = _IDENT.match(self.src, self.pos)
        if m and m.group() == "if":
            self.pos = m.end()
            return self.expression()
        return None

    def tuple_or_for(self, line: int) -> ForExpr | TupleExpr:
        self.pos += 1
        self.enter()
        self.nl_free += 1
        self.skip(True)
        result: ForExpr | TupleExpr
        if self._is_for():
            self.pos += 3
            key_var, value_var, coll = self._for_intro()
            self.expect(":")
            value = self.expression()
            cond = self._for_cond()
            self.skip(True)
            self.expect("]")
            result = ForExpr(key_var, value_var, coll, None, value, cond, False, line)
        else:
            items = []
            while not self.src.startswith("]", self.pos):
                items.append(self.expression())
                self.skip(True)
                if self.src.startswith(",", self.pos):
                    self.pos += 1
                    self.skip(True)
                elif not self.src.startswith("]", self.pos):
                    raise self.error(_("expected ',' or ']' in a list"))
            self.pos += 1
            result = TupleExpr(items, line)
        self.nl_free -= 1
        self.depth -= 1
        return result

    def object_or_for(self, line: int) -> ForExpr | ObjectExpr:
        self.pos += 1
        self.enter()
        self.skip(True)
        if self._is_for():
            self.nl_free += 1
            self.pos += 3
            key_var, value_var, coll = self._for_intro()
            self.expect(":")
            key = self.expression()
            self.skip(True)
            self.expect("=>")
            value = self.expression()
            self.skip(True)
            grouping = False
            if self.src.startswith("...", self.pos):
                self.pos += 3
                grouping = True
            cond = self._for_cond()
            self.skip(True)
            self.expect("}")
            self.nl_free -= 1
            self.depth -= 1
            return ForExpr(key_var, value_var, coll, key, value, cond, grouping, line)
        saved_nl, self.nl_free = self.nl_free, 0
        items = []
        while True:
            self.skip(True)
            if self.src.startswith("}", self.pos):
                self.pos += 1
                break
            if self.pos >= len(self.src):
                raise self.error(_("missing '{token}' to close an object", token="}"))
            key_line = self.line()
            key = self.expression()
            if isinstance(key, Traversal) and isinstance(key.root, str) and not key.steps and not key.parens:
                key = Literal(key.root, key_line)
            self.skip(False)
            assigns = self.src.startswith("=", self.pos) and not self.src.startswith("==", self.pos)
            if assigns or self.src.startswith(":", self.pos):
                self.pos += 1
            else:
                raise self.error(_("expected '=' or ':' after an object key"))
            self.skip(True)
            plain = _PLAIN_ITEM.match(self.src, self.pos) if self.depth + 2 <= MAX_DEPTH else None
            value = self._plain(plain) if plain else self.expression()
            items.append((key, value))
            self.skip(False)
            if self.src.startswith(",", self.pos):
                self.pos += 1
            elif not self.src.startswith(("\n", "}"), self.pos):
                raise self.error(_("expected ',', a new line or '{token}' after an object item", token="}"))
        self.nl_free = saved_nl
        self.depth -= 1
        return ObjectExpr(items, line)

    # ---- templates -------------------------------------------------------------------------------
    def heredoc(self, line: int) -> Template | Literal:
        m = _HEREDOC_OPEN.match(self.src, self.pos)
        if not m:
            raise self.error(_("expected a heredoc marker such as <<EOT"))
        indent, marker = m.group(1) == "-", m.group(2)
        start = m.end()
        end_re = re.compile(r"^[ \t]*" + re.escape(marker) + r"[ \t]*\r?$", re.M)
        end = end_re.search(self.src, start)
        if not end:
            raise self.error(_("heredoc <<{marker} is never closed", marker=marker))
        self.pos = start
        content_end = end.start()
        result = self.template(quoted=False, limit=content_end)
        self.pos = end.end()
        if indent:
            result = _strip_indent(result, self.src[start:content_end])
        return result

    def template(self, quoted: bool, limit: int | None = None) -> Template | Literal:
        """A quoted string (self.pos at the opening quote) or heredoc content up to limit."""
        src = self.src
        line = self.line()
        if quoted:
            self.pos += 1
            run = _STR_RUN
        else:
            run = _HEREDOC_RUN
        self.enter()
        items: list = []
        buf: list[str] = []
        while True:
            if quoted:
                if self.pos >= len(src) or src[self.pos] == "\n":
                    raise self.error(_("unterminated string"), self.pos)
                if src[self.pos] == '"':
                    self.pos += 1
                    break
            elif limit is not None and self.pos >= limit:
                break
            m = run.match(src, self.pos)
            if m:
                end = m.end() if quoted or limit is None else min(m.end(), limit)
                buf.append(src[self.pos:end])
                self.pos = end
                continue
            c = src[self.pos]
            if c == "\n":  # heredoc only
                buf.append("\n")
                self.pos += 1
            elif c == "\\" and quoted:
                buf.append(self.escape())
            elif c in "$%":
                nxt = src[self.pos + 1:self.pos + 2]
                if nxt == c and src[self.pos + 2:self.pos + 3] == "{":
                    buf.append(c + "{")  # $${ and %%{ are literal
                    self.pos += 3
                elif nxt == "{":
                    if buf:
                        items.append("".join(buf))
                        buf = []
                    self.pos += 2
                    items.append(self.interpolation() if c == "$" else self.directive())
                else:
                    buf.append(c)
                    self.pos += 1
            else:
                buf.append(c)
                self.pos += 1
        if buf:
            items.append("".join(buf))
        self.depth -= 1
        parts = _fold_directives(items, self)
        if not parts:
            return Literal("", line)
        if len(parts) == 1 and isinstance(parts[0], str):
            return Literal(parts[0], line)
        return Template(parts, line)

    def escape(self) -> str:
        src = self.src
        c = src[self.pos + 1:self.pos + 2]
        if c in _ESCAPES:
            self.pos += 2
            return _ESCAPES[c]
        if c in ("u", "U"):
            width = 4 if c == "u" else 8
            digits = src[self.pos + 2:self.pos + 2 + width]
            if len(digits) == width and all(d in "0123456789abcdefABCDEF" for d in digits):
                self.pos += 2 + width
                try:
                    return chr(int(digits, 16))
                except ValueError:
                    raise self.error(_("invalid unicode escape")) from None
        raise self.error(_("invalid escape sequence '\\{char}'", char=c))

    def _strip_marker(self) -> bool:
        self.skip(True)
        if self.src.startswith("~", self.pos):
            self.pos += 1
            return True
        return False

    def interpolation(self) -> Any:
        self.nl_free += 1
        strip_left = self._strip_marker()
        expr = self.expression()
        return ("interp", expr, strip_left, self._close_marker())

    def directive(self) -> Any:
        self.nl_free += 1
        strip_left = self._strip_marker()
        self.skip(True)
        keyword = self.ident()
        line = self.line()
        item: tuple[Any, ...]
        if keyword == "if":
            item = ("if", self.expression())
        elif keyword == "for":
            item = ("for", *self._for_intro())
        elif keyword in ("else", "endif", "endfor"):
            item = (keyword,)
        else:
            raise self.error(_("unknown template directive '%{{{keyword}'", keyword=keyword))
        return ("directive", item, strip_left, self._close_marker(), line)

    def _close_marker(self) -> bool:
        """The closing `~}` or `}` of an interpolation or directive; True when it strips."""
        self.skip(True)
        strip_right = self.src.startswith("~", self.pos)
        if strip_right:
            self.pos += 1
        self.expect("}")
        self.nl_free -= 1
        return strip_right


def _fold_directives(items: list, parser: _Parser) -> list:
    """Turn the flat list of literals, interpolations and directives into template parts."""
    # Apply strip markers (~) to neighbouring literals first.
    for i, item in enumerate(items):
        if isinstance(item, tuple):
            if item[2] and i > 0 and isinstance(items[i - 1], str):
                items[i - 1] = items[i - 1].rstrip()
            if item[3] and i + 1 < len(items) and isinstance(items[i + 1], str):
                items[i + 1] = items[i + 1].lstrip()
    root: list[TemplatePart] = []
    stack: list[dict[str, Any]] = []  # frames: kind, args, then, else, line, parent
    current = root
    for item in items:
        if isinstance(item, str):
            if item:
                current.append(item)
        elif item[0] == "interp":
            current.append(item[1])
        else:
            directive, line = item[1], item[4]
            kind = directive[0]
            if kind in ("if", "for"):
                frame: dict[str, Any] = {"kind": kind, "args": directive[1:], "then": [], "else": None, "line": line,
                                         "parent": current}
                stack.append(frame)
                current = frame["then"]
            elif kind == "else":
                if not stack or stack[-1]["kind"] != "if" or stack[-1]["else"] is not None:
                    raise HCLError(_("'%{{{kind}}}' without a matching '%{{{want}}}'", kind="else", want="if"), line)
                else_parts: list[TemplatePart] = []
                stack[-1]["else"] = else_parts
                current = else_parts
            else:
                want = "if" if kind == "endif" else "for"
                if not stack or stack[-1]["kind"] != want:
                    raise HCLError(_("'%{{{kind}}}' without a matching '%{{{want}}}'", kind=kind, want=want), line)
                frame = stack.pop()
                node: Node
                if want == "if":
                    node = TemplateIf(frame["args"][0], frame["then"], frame["else"] or [], frame["line"])
                else:
                    key_var, value_var, coll = frame["args"]
                    node = TemplateFor(key_var, value_var, coll, frame["then"], frame["line"])
                current = frame["parent"]
                current.append(node)
    if stack:
        raise HCLError(_("'%{{{kind}}}' is never closed", kind=stack[-1]["kind"]), stack[-1]["line"])
    # Merge adjacent literal strings.
    merged: list = []
    for part in root:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return merged


def _strip_indent(node: Template | Literal, raw: str) -> Template | Literal:
    """<<- heredocs: remove the smallest indentation shared by the content lines."""
    lines = [ln for ln in raw.split("\n") if ln.strip()]
    if not lines:
        return node
    width = min(len(ln) - len(ln.lstrip(" \t")) for ln in lines)
    if width == 0:
        return node

    def strip(text: str, at_line_start: bool) -> str:
        out = []
        for i, piece in enumerate(text.split("\n")):
            if i > 0 or at_line_start:
                piece = piece[width:] if piece[:width].strip(" \t") == "" else piece.lstrip(" \t")
            out.append(piece)
        return "\n".join(out)

    if isinstance(node, Literal):
        return Literal(strip(node.value, True), node.line)
    parts: list[TemplatePart] = []
    at_start = True
    for part in node.parts:
        if isinstance(part, str):
            parts.append(strip(part, at_start))
            at_start = part.endswith("\n")
        else:
            parts.append(part)
            at_start = False
    return Template(parts, node.line)
