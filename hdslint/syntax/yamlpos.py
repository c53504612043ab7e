"""YAML with line numbers, loaded safely: every mapping remembers the line of each key.

PyYAML composes the node graph (no Python object is ever constructed from a tag), then we
build plain values ourselves: standard scalars only, custom tags refused, aliases followed
with a budget so that an alias bomb stops early, nesting bounded.
"""
from __future__ import annotations

import re
from typing import Any

import yaml

from hdslint.i18n import Text, _
from hdslint.syntax.jsonpos import JArray, JObject

MAX_NODES = 200_000  # values built per document, aliases included
MAX_DEPTH = 100

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")
_STANDARD = "tag:yaml.org,2002:"


class YAMLError(Exception):
    def __init__(self, message: Text, line: int) -> None:
        super().__init__(f"{message} (line {line})")
        self.message, self.line = message, line


def load_all(text: str) -> list[tuple[Any, int]]:
    """[(document value, first line)] of every document; raises YAMLError."""
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        raise YAMLError(e.problem or e.context or _("invalid YAML"), line) from None
    except yaml.YAMLError as e:
        raise YAMLError(str(e).splitlines()[0], 1) from None
    except RecursionError:
        raise YAMLError(_("nesting deeper than {depth} levels", depth=MAX_DEPTH), 1) from None
    docs = []
    for node in nodes:
        if node is None:
            continue
        builder = _Builder()
        docs.append((builder.build(node), node.start_mark.line + 1))
    return docs


class _Builder:
    """Builds values depth-first; the node budget bounds alias expansion, MAX_DEPTH recursion."""

    def __init__(self) -> None:
        self.count = 0

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        self.count += 1
        line = node.start_mark.line + 1
        if self.count > MAX_NODES:
            raise YAMLError(_("more than {count:,} values once aliases are expanded (an alias bomb?)",
                              count=MAX_NODES), line)
        if depth > MAX_DEPTH:
            raise YAMLError(_("nesting deeper than {depth} levels", depth=MAX_DEPTH), line)
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if isinstance(node, yaml.SequenceNode):
            _check_tag(node)
            items = JArray(self.build(item, depth + 1) for item in node.value)
            items.line = line
            items.item_lines = [item.start_mark.line + 1 for item in node.value]
            return items
        if isinstance(node, yaml.MappingNode):
            _check_tag(node)
            value = JObject()
            value.line = line
            value.key_lines = {}
            for k, v in _merged(node):
                if not isinstance(k, yaml.ScalarNode):
                    raise YAMLError(_("a mapping key is not a plain value"), k.start_mark.line + 1)
                name = str(_scalar(k))
                value.key_lines[name] = k.start_mark.line + 1
                value[name] = self.build(v, depth + 1)
            return value
        raise YAMLError(_("unsupported YAML node"), line)


def _merged(node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
    """Mapping pairs with YAML merge keys (<<) resolved."""
    pairs = []
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.tag == _STANDARD + "merge":
            sources = v.value if isinstance(v, yaml.SequenceNode) else [v]
            for src in sources:
                if isinstance(src, yaml.MappingNode):
                    pairs.extend(_merged(src))
            continue
        pairs.append((k, v))
    return pairs


_SCALAR_TAGS = {"null", "bool", "int", "float", "str", "timestamp", "binary", "merge", "value"}
_COLLECTION_TAGS = {"seq", "map", "omap", "set", "pairs"}


def _check_tag(node: yaml.Node) -> None:
    if not node.tag.startswith(_STANDARD) or node.tag[len(_STANDARD):] not in _COLLECTION_TAGS:
        raise YAMLError(_("custom tag {tag} is not allowed (hdslint loads YAML safely)", tag=node.tag),
                        node.start_mark.line + 1)


def _scalar(node: yaml.ScalarNode) -> Any:
    tag, text = node.tag, node.value
    kind = tag[len(_STANDARD):] if tag.startswith(_STANDARD) else None
    if kind not in _SCALAR_TAGS:
        raise YAMLError(_("custom tag {tag} is not allowed (hdslint loads YAML safely)", tag=tag),
                        node.start_mark.line + 1)
    if kind == "null":
        return None
    if kind == "bool":
        return text.lower() in ("true", "yes", "on", "y")
    if kind == "int":
        t = text.replace("_", "")
        try:
            if _HEX.match(t):
                return int(t, 16)
            if _OCT.match(t):
                return int(t[2:], 8)
            return int(t)
        except ValueError:
            return text
    if kind == "float":
        t = text.lower().replace("_", "")
        if t in (".inf", "+.inf"):
            return float("inf")
        if t == "-.inf":
            return float("-inf")
        if t == ".nan":
            return float("nan")
        try:
            return float(t)
        except ValueError:
            return text
    return text  # str, timestamp and binary stay text
