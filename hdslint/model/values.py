"""Values produced by static evaluation of Terraform expressions.

Values are plain Python (str, int, float, bool, None, list, dict) so functions stay simple.
Two additions:
- TStr: a string that remembers how it was produced (its hops), so a region can be
  explained: provider.aws region = var.region (providers.tf:3) <- var.region = "us-east-1"
  (terraform.tfvars:1).
- Unknown: a value hdslint cannot know statically (computed attribute, missing variable,
  data source), with the reason. Unknown propagates through every operation.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hdslint.i18n import Joined, Msg, Text

# A value produced by static evaluation: str (often a TStr), int, float, bool, None, list, dict,
# or an Unknown, possibly nested. Typed Any on purpose: Terraform values are dynamic.
TfValue = Any


@dataclass(frozen=True)
class Hop:
    """One step of a resolution chain: what was read, and where."""

    text: Text
    file: str
    line: int

    def as_dict(self) -> dict[str, object]:
        return {"step": str(self.text), "file": self.file, "line": self.line}


class TStr(str):
    """A string with its resolution chain (outermost hop first)."""

    __slots__ = ("hops",)

    hops: tuple[Hop, ...]

    def __new__(cls: type[TStr], value: str, hops: tuple[Hop, ...] = ()) -> TStr:
        s = super().__new__(cls, value)
        s.hops = hops
        return s

    def __reduce__(self) -> tuple[type, tuple[str, tuple[Hop, ...]]]:
        return (TStr, (str(self), self.hops))


class Unknown:
    """A value that cannot be known before apply (or at all) from the code alone.

    origin: for a computed attribute of a resource (an id, an arn), the resource it
    belongs to, so that a child resource can still inherit that resource's location
    through module variables.
    pending: the value exists but is known only later (after apply, from the cloud, from
    the environment), as opposed to an error such as a missing key; try() returns a
    pending value instead of moving on to its fallback, like Terraform.
    ref: for a computed attribute, what it is ("aws_s3_bucket.b.arn"), so that a policy
    document can tell which resource an ARN known only after apply names.
    partial: what is known of a value built from unknown parts: a TemplateText (a string with
    unknown pieces) or a Document (the structure given to jsonencode(), or an
    aws_iam_policy_document's statements); or, for a list read from the cloud, Elements (where
    every element of it lies: the zones of a region).
    """

    __slots__ = ("reason", "hops", "origin", "pending", "ref", "partial")

    def __init__(self, reason: Text, hops: tuple[Hop, ...] = (), origin: Any = None, pending: bool = False,
                 ref: str | None = None, partial: Any = None) -> None:
        self.reason, self.hops, self.origin = reason, hops, origin
        self.pending = pending or origin is not None
        self.ref, self.partial = ref, partial

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"

    def __bool__(self) -> bool:  # an unknown never takes a branch (callers test isinstance first)
        return False

    def __reduce__(self) -> tuple[type, tuple[Text, tuple[Hop, ...], None, bool, str | None, Any]]:
        # origin is a live object: not cached
        return (Unknown, (self.reason, self.hops, None, self.pending, self.ref, self.partial))


@dataclass(frozen=True)
class TemplateText:
    """A string built from known text and unknown values, in order ("${aws_s3_bucket.b.arn}/*")."""

    parts: tuple[Any, ...]  # str or Unknown


@dataclass(frozen=True)
class Document:
    """A JSON document some of whose values are known only after apply: the value given to
    jsonencode(), or the policy an aws_iam_policy_document data source builds."""

    value: Any


@dataclass(frozen=True)
class Elements:
    """What is known of every element of a list read from the cloud (data.google_compute_zones.x.names):
    each lies in one place, given by `value` (a region code, with the hops that found it). An element
    read by index is that place; the list's length and order stay unknown."""

    value: Any


def with_partial(value: Unknown, partial: Any) -> Unknown:
    """The same unknown, with what is known of it."""
    return Unknown(value.reason, value.hops, value.origin, value.pending, value.ref, partial)


Shape = tuple[Any, ...]  # str pieces and ("after apply", attribute, instance key) markers, in order


def shape(value: object) -> Shape | None:
    """What is known of a string value, to tell whether two values written differently are the
    same: its text, with every part known only after apply named by the attribute it comes from
    and the instance ("replica-${random_pet.this.id}"). None when a part is unknown for another
    reason (an unset variable, a data source) or the value is not a string."""
    if isinstance(value, str):
        return (str(value),) if value else ()
    if not isinstance(value, Unknown):
        return None
    if isinstance(value.partial, TemplateText):
        out: list[Any] = []
        for part in value.partial.parts:
            inner = shape(part)
            if inner is None:
                return None
            out.extend(inner)
        return _merged(out)
    if value.ref is None or value.partial is not None:
        return None
    key = value.origin[2][0] if isinstance(value.origin, tuple) and len(value.origin) > 2 else None
    return (("after apply", value.ref, repr(key)),)


def _merged(parts: list[Any]) -> Shape:
    """Adjacent text pieces joined, empty ones dropped."""
    out: list[Any] = []
    for p in parts:
        if isinstance(p, str) and out and isinstance(out[-1], str):
            out[-1] += p
        elif p != "":
            out.append(p)
    return tuple(out)


def shape_of(*parts: Any) -> Shape:
    """A shape put together from text and shapes ("arn:aws:s3:::" followed by a bucket's name)."""
    flat: list[Any] = []
    for p in parts:
        flat.extend(p if isinstance(p, tuple) else (p,))
    return _merged(flat)


def shape_text(known: Shape) -> str:
    """A shape as Terraform writes it: "records-${random_pet.this.id}"."""
    return "".join(p if isinstance(p, str) else "${" + str(p[1]) + "}" for p in known)


def hops_of(value: object) -> tuple[Hop, ...]:
    return value.hops if isinstance(value, (TStr, Unknown)) else ()


def with_hop(value: Any, hop: Hop) -> Any:
    """Prefix a hop to a traced value; other values pass through unchanged."""
    if isinstance(value, TStr):
        return TStr(value, (hop,) + value.hops)
    if isinstance(value, Unknown):
        return Unknown(value.reason, (hop,) + value.hops, value.origin, value.pending, value.ref, value.partial)
    return value


def first_unknown(values: Any) -> Unknown | None:
    for v in values:
        if isinstance(v, Unknown):
            return v
    return None


def contains_unknown(value: Any, _depth: int = 0) -> Unknown | None:
    """The first Unknown inside a value (lists and objects searched), or None. (An Unknown is
    falsy: compare with None.)"""
    if isinstance(value, Unknown):
        return value
    if _depth > 50:
        return None
    if isinstance(value, list):
        for v in value:
            u = contains_unknown(v, _depth + 1)
            if u is not None:
                return u
    elif isinstance(value, dict):
        for v in value.values():
            u = contains_unknown(v, _depth + 1)
            if u is not None:
                return u
    return None


def render_chain(hops: Any) -> str:
    """A chain written now, in the language in use (see chain_of)."""
    return str(chain_of(hops))


def chain_of(hops: Any) -> Msg:
    """Human form of a chain: hops joined by ' <- ', a reference merged with the literal
    that follows it when both sit on the same line (var.region = "us-east-1" (x.tfvars:1)).
    The steps stay Msgs: the chain is written in the reader's language when it is shown."""
    parts: list[Msg] = []
    hops = list(hops)
    i = 0
    while i < len(hops):
        hop = hops[i]
        nxt = hops[i + 1] if i + 1 < len(hops) else None
        if nxt is not None and nxt.file == hop.file and nxt.line == hop.line and str(nxt.text).startswith('"') \
                and "=" not in str(hop.text):
            parts.append(Joined((hop.text, " = ", nxt.text, f" ({hop.file}:{hop.line})")))
            i += 2
            continue
        parts.append(Joined((hop.text, f" ({hop.file}:{hop.line})")))
        i += 1
    return Joined(parts, " <- ")


def type_name(value: object) -> str:
    if isinstance(value, Unknown):
        return "unknown"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return "null" if value is None else type(value).__name__
