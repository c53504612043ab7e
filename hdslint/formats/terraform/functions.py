"""Terraform's built-in functions that matter for static resolution.

Only pure functions are here: nothing reads files, the environment or the network
(file(), templatefile(), timestamp(), uuid() give Unknown). A function given an Unknown
argument returns Unknown, except where Terraform's own semantics let a known answer
through (coalesce skips nulls, lookup falls back to its default).

Every function in FUNCTIONS has its documented examples in tests/data/terraform_functions.yaml
(tests/test_functions_table.py); a function that is not there is not evaluated. Where
Terraform would fail (a wrong type, an index out of range, an empty sum), the result is
Unknown with a reason in Terraform's terms, never a Python guess.
"""
from __future__ import annotations

import ipaddress
import json
import math
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from hdslint.i18n import Msg, Text, _, join
from hdslint.model.values import TStr, Unknown, contains_unknown, first_unknown, hops_of, type_name

Value = Any  # a Terraform value: None, bool, int, float, str (TStr), list, dict or Unknown


class FunctionError(Exception):
    """The call is invalid in Terraform too (wrong type, index out of range). Without a
    message, the reason shows the call with its arguments."""

    def __init__(self, message: Text = "") -> None:
        super().__init__(message)
        self.message = message


# ---- Terraform's conversions --------------------------------------------------------------------

_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def _is_number(v: Value) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def number_text(n: int | float) -> str:
    """A number as Terraform writes it in a string: 3 for 3.0, no exponent."""
    if isinstance(n, int) or (n.is_integer() and abs(n) < 1e16):
        return str(int(n))
    from decimal import Decimal  # here: few scans meet a number that needs it

    text = format(Decimal(repr(n)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _s(v: Value) -> str:
    """Terraform's conversion to string: numbers and bools convert, null and collections don't."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return v
    if _is_number(v):
        return number_text(v)
    if v is None:
        raise FunctionError(_("null value where a string is required"))
    raise FunctionError(_("cannot convert {type} to string", type=type_name(v)))


def to_number(v: Value) -> int | float:
    """Terraform's conversion to number: a number, or a string written as a decimal number."""
    if _is_number(v):
        return v
    if isinstance(v, str) and _DECIMAL.fullmatch(v):
        return int(v) if _DIGITS_ONLY.fullmatch(v) else float(v)
    raise FunctionError(_("cannot convert {value!r} to number", value=Shown(v)))


_DIGITS_ONLY = re.compile(r"-?[0-9]+")


def _whole(v: Value) -> int:
    n = to_number(v)
    if isinstance(n, float):
        if not n.is_integer():
            raise FunctionError()
        return int(n)
    return n


def _to_bool(v: Value) -> bool:
    if isinstance(v, bool):
        return v
    if v in ("true", "false"):
        return v == "true"
    raise FunctionError(_("cannot convert {value!r} to bool", value=Shown(v)))


def _seq(v: Value) -> list:
    """A list, set or tuple (all lists here); a map is not a sequence in Terraform."""
    if isinstance(v, (list, tuple)):
        return list(v)
    raise FunctionError(_("expected a list, found {type}", type=type_name(v)))


def _unify(values: list) -> list:
    """The values converted to one type, as Terraform does to make a list, set or map:
    strings win over numbers and bools; a number and a bool, or a primitive and a
    collection, have no common type (an error)."""
    present = [v for v in values if v is not None and not isinstance(v, Unknown)]
    kinds = {type_name(v) for v in present}
    if len(kinds) <= 1 and not kinds & {"list", "object"}:
        return list(values)
    if kinds <= {"string", "number", "bool"}:
        if "string" not in kinds:
            raise FunctionError()
        return [v if v is None or isinstance(v, Unknown) else _traced(_s(v), v) for v in values]
    if kinds == {"list"}:
        flat = _unify([x for v in present for x in v])
        out: list = []
        i = 0
        for v in values:
            if v is None or isinstance(v, Unknown):
                out.append(v)
                continue
            out.append(flat[i:i + len(v)])
            i += len(v)
        return out
    if kinds == {"object"} and len({tuple(sorted(v)) for v in present}) == 1:
        keys = sorted(present[0])
        columns = {k: iter(_unify([v[k] for v in present])) for k in keys}
        return [v if v is None or isinstance(v, Unknown) else {k: next(columns[k]) for k in v} for v in values]
    raise FunctionError()


def _set_order(items: list) -> list:
    """Distinct elements in the order Terraform iterates a set: strings lexically, numbers
    by value, false before true; other elements stay in the given order."""
    out = _distinct(_unify(items))
    kinds = {type_name(v) for v in out}  # an unknown element: the order is not known either
    if kinds == {"string"}:
        return sorted(out, key=str)
    if kinds in ({"number"}, {"bool"}):
        return sorted(out)
    return out


def _distinct(items: list) -> list:
    out: list = []
    for item in items:
        if not any(_equal(item, o) for o in out):
            out.append(item)
    return out


def _equal(a: Value, b: Value) -> bool:
    """Terraform's equality: values of different types differ (true is not 1)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=False))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if (_is_number(a) and _is_number(b)) or (isinstance(a, str) and isinstance(b, str)) or (a is None and b is None):
        return a == b
    return False


def _traced(result: str, *args: Value) -> str:
    """A function's string result keeps the longest chain among its arguments: the one that
    came through variables rather than a literal format string."""
    hops = max((hops_of(a) for a in args), key=len, default=())
    return TStr(result, hops) if hops else result


class Shown:
    """A value written as Terraform writes it, for the {value!r} of a message: "a", 1, null."""

    __slots__ = ("value",)

    def __init__(self, value: Value) -> None:
        self.value = value

    def __repr__(self) -> str:
        text = show(self.value)
        return text if len(text) <= 60 else text[:59] + "…"


def show(v: Value) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if _is_number(v):
        return number_text(v)
    if isinstance(v, str):
        return json.dumps(str(v), ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(show(x) for x in v[:10]) + (", …" if len(v) > 10 else "") + "]"
    if isinstance(v, dict):
        items = list(v.items())
        more = ", …" if len(items) > 10 else ""
        return "{" + ", ".join(f"{show(str(k))} = {show(x)}" for k, x in items[:10]) + more + "}"
    if isinstance(v, Unknown):
        return "(known after apply)"
    return "…"


# ---- Unicode text: Terraform counts grapheme clusters ------------------------------------------

_EXTEND = ("Mn", "Me", "Mc")


def _joins(prev: str, c: str) -> bool | None:
    """Whether c continues the grapheme cluster ending in prev (Unicode UAX #29, the rules
    that matter for text in configurations); None where the rules hdslint knows may differ
    from Terraform's (Indic conjuncts, Hangul syllables, prepended marks)."""
    o = ord(c)
    if prev == "\r" and c == "\n":
        return True
    if unicodedata.category(c) in _EXTEND or c == "\u200d" or 0xFE00 <= o <= 0xFE0F or 0x1F3FB <= o <= 0x1F3FF \
            or 0xE0020 <= o <= 0xE007F or 0xE0100 <= o <= 0xE01EF:
        return True
    if prev == "\u200d":
        return True  # emoji ZWJ sequences
    if 0x1100 <= o <= 0x11FF or 0xAC00 <= o <= 0xD7A3 or unicodedata.combining(prev) == 9 \
            or unicodedata.category(c) == "Cf":
        return None
    return False


def graphemes(s: str) -> list[str]:
    """The grapheme clusters of s (what Terraform's length() and substr() count)."""
    if s.isascii() and "\r\n" not in s:
        return list(s)
    out: list[str] = []
    regional = 0
    for c in s:
        o = ord(c)
        if 0x1F1E6 <= o <= 0x1F1FF:  # flags: regional indicators pair up
            regional += 1
            if regional % 2 == 0 and out:
                out[-1] += c
                continue
            out.append(c)
            continue
        regional = 0
        if out:
            joined = _joins(out[-1][-1], c)
            if joined is None:
                raise FunctionError()
            if joined:
                out[-1] += c
                continue
        out.append(c)
    return out


# ---- the functions ----------------------------------------------------------------------------------

def f_lookup(m: Value, key: Value, *default: Value) -> Value:
    if isinstance(m, Unknown):
        return m
    if not isinstance(m, dict):
        raise FunctionError(_("lookup() needs a map"))
    if isinstance(key, Unknown):
        return key
    k = _s(key)
    if k in m:
        return m[k]
    if default:
        return default[0]
    raise FunctionError(_("lookup(): key {key!r} not in map and no default", key=k))


def f_coalesce(*args: Value) -> Value:
    for a in args:
        if isinstance(a, Unknown):
            return a
    present = [a for a in args if a is not None]
    if not present:
        raise FunctionError(_("coalesce(): no non-null argument"))
    unified = _unify(present)  # coalesce(1, "hello") is "1": all arguments take one type
    for a in unified:
        if a != "":
            return a
    raise FunctionError(_("coalesce(): no non-null argument"))


def f_coalescelist(*args: Value) -> Value:
    for a in args:
        if isinstance(a, Unknown):
            return a
        if a is not None and _seq(a):
            return a
    return []


def f_element(lst: Value, idx: Value) -> Value:
    items = _seq(lst)
    if not items:
        raise FunctionError(_("element() of an empty list"))
    return items[_whole(idx) % len(items)]  # a negative index counts from the end (documented)


def f_index(lst: Value, value: Value) -> int:
    for i, item in enumerate(_seq(lst)):
        if _equal(item, value):
            return i
    raise FunctionError(_("index(): value not in list"))


def f_merge(*maps: Value) -> dict:
    out: dict = {}
    for m in maps:
        if m is None:
            continue
        if not isinstance(m, dict):
            raise FunctionError(_("merge() needs maps"))
        out.update(m)
    return out


def f_concat(*lists: Value) -> list:
    out: list = []
    for lst in lists:
        out.extend(_seq(lst))
    return out


def f_flatten(lst: Value) -> list:
    out: list = []
    stack = [iter(_seq(lst))]
    while stack:
        for item in stack[-1]:
            if isinstance(item, list):
                stack.append(iter(item))
                break
            out.append(item)
        else:
            stack.pop()
    return out


def f_distinct(lst: Value) -> list:
    return _distinct(_unify(_seq(lst)))


_VERB = re.compile(r"%(?P<flags>[-+ #0]*)(?:\[(?P<arg>[0-9]+)\])?(?P<width>[0-9]+)?(?:\.(?P<prec>[0-9]+))?"
                   r"(?P<verb>[a-zA-Z%])")


def _go_g(n: int | float) -> str:
    """Go's shortest %g of a number (big.Float.Text('g', -1), Terraform's %v): an exponent
    below 1e-04 and from 1e+06 on (1e+06 for a million), else the plain decimal."""
    if n == 0:
        return "0"
    from decimal import Decimal

    d = Decimal(repr(n) if isinstance(n, float) else str(n)).normalize()
    e = d.adjusted()
    if -4 <= e < 6:
        return number_text(n)
    mant = "".join(map(str, d.as_tuple().digits))
    sign = "-" if d < 0 else ""
    return f"{sign}{mant[0]}{'.' + mant[1:] if len(mant) > 1 else ''}e{'+' if e >= 0 else '-'}{abs(e):02d}"


def f_format(fmt: Value, *args: Value) -> str:
    spec = _s(fmt)
    state = {"next": 0}

    def repl(m: re.Match) -> str:
        verb, flags = m.group("verb"), m.group("flags")
        if verb == "%":
            if m.group() != "%%":
                raise FunctionError()
            return "%"
        if m.group("arg"):
            state["next"] = int(m.group("arg")) - 1
        i = state["next"]
        state["next"] += 1
        if i >= len(args):
            raise FunctionError(_("format(): not enough arguments"))
        arg = args[i]
        width, prec = m.group("width"), m.group("prec")
        go = "%" + flags + (width or "") + ("." + prec if prec is not None else "")
        if verb == "v":
            if "#" in flags or not (isinstance(arg, str) or _is_number(arg)):
                text = _jsonencode(arg)
            else:
                text = arg if isinstance(arg, str) else _go_g(arg)
            return _pad(text, flags, width)
        if arg is None:
            raise FunctionError()
        if verb == "t":
            return _pad("true" if _to_bool(arg) else "false", flags, width)
        if verb in "bdoxX":
            n = _whole(arg)
            if verb == "b":
                if flags or prec is not None:
                    raise FunctionError()
                return _pad(format(n, "b"), "", width)
            if "#" in flags and verb == "o":
                raise FunctionError()  # Go writes 017, Python 0o17
            return (go + verb) % n
        if verb in "eEfgG":
            x = to_number(arg)
            if verb in "gG" and prec is None:
                text = _go_g(x)
                return _pad(text.upper() if verb == "G" else text, flags, width)
            return (go + verb) % float(x)
        if verb in "sq":
            text = _s(arg)
            if prec:
                text = "".join(graphemes(text)[:int(prec)])
            if verb == "q":
                text = _json_string(text)
            return _pad(text, flags, width)
        raise FunctionError()

    return _traced(_VERB.sub(repl, spec), fmt, *args)


def _pad(text: str, flags: str, width: str | None) -> str:
    if not width:
        return text
    missing = int(width) - len(graphemes(text))
    if missing <= 0:
        return text
    return text + " " * missing if "-" in flags else " " * missing + text


def f_join(sep: Value, *lists: Value) -> str:
    items = [x for lst in lists for x in _seq(lst)]
    return _traced(_s(sep).join(_s(x) for x in items), *items)


def f_split(sep: Value, s: Value) -> list:
    return [_traced(x, s) for x in _s(s).split(_s(sep))]


def f_replace(s: Value, old: Value, new: Value) -> str:
    s_, old_ = _s(s), _s(old)
    if len(old_) > 1 and old_.startswith("/") and old_.endswith("/"):
        result = re.sub(old_[1:-1], _s(new).replace("$", "\\"), s_)
    else:
        result = s_.replace(old_, _s(new))
    return _traced(result, s)


def f_substr(s: Value, offset: Value, length: Value) -> str:
    chars = graphemes(_s(s))
    start, count = _whole(offset), _whole(length)
    if start < 0:
        start += len(chars)
    if start < 0 or start > len(chars):
        raise FunctionError()
    return _traced("".join(chars[start:] if count < 0 else chars[start:start + count]), s)


def f_regex(pattern: Value, s: Value) -> Value:
    m = re.search(_s(pattern), _s(s))
    if not m:
        raise FunctionError(_("regex(): no match"))
    if m.groupdict():
        return m.groupdict()
    if m.groups():
        return list(m.groups())
    return m.group()


def f_regexall(pattern: Value, s: Value) -> list:
    return [m.group() for m in re.finditer(_s(pattern), _s(s))]


def f_length(v: Value) -> int:
    if isinstance(v, str):
        return len(graphemes(v))
    if isinstance(v, (list, dict)):
        return len(v)
    raise FunctionError(_("length() needs a string, list or map"))


def f_keys(m: Value) -> list:
    if not isinstance(m, dict):
        raise FunctionError(_("keys() needs a map"))
    return sorted(m.keys())


def f_values(m: Value) -> list:
    if not isinstance(m, dict):
        raise FunctionError(_("values() needs a map"))
    return [m[k] for k in sorted(m.keys())]


def f_zipmap(keys: Value, values: Value) -> dict:
    ks, vs = _seq(keys), _seq(values)
    if len(ks) != len(vs):
        raise FunctionError()
    return {_s(k): v for k, v in zip(ks, vs, strict=False)}


def f_contains(lst: Value, value: Value) -> bool:
    return any(_equal(item, value) for item in _seq(lst))


def f_tostring(v: Value) -> Value:
    return v if isinstance(v, str) or v is None else _s(v)


def f_tonumber(v: Value) -> Value:
    return None if v is None else to_number(v)


def f_tobool(v: Value) -> Value:
    return None if v is None else _to_bool(v)


def f_tolist(v: Value) -> list:
    return _unify(_seq(v))


def f_toset(v: Value) -> list:
    return _set_order(_seq(v))


def f_tomap(v: Value) -> dict:
    if not isinstance(v, dict):
        raise FunctionError()
    return dict(zip(v.keys(), _unify(list(v.values())), strict=False))


def f_one(lst: Value) -> Value:
    items = _seq(lst)
    if len(items) > 1:
        raise FunctionError(_("one() of a list with more than one element"))
    return items[0] if items else None


def f_slice(lst: Value, start: Value, end: Value) -> list:
    items, a, b = _seq(lst), _whole(start), _whole(end)
    if not 0 <= a <= b <= len(items):
        raise FunctionError()
    return items[a:b]


def f_range(*args: Value) -> list:
    from decimal import Decimal

    nums = [Decimal(repr(n) if isinstance(n, float) else str(n)) for n in map(to_number, args)]
    if len(nums) == 1:
        start, stop, step = Decimal(0), nums[0], Decimal(1)
    elif len(nums) == 2:
        start, stop = nums
        step = Decimal(-1) if stop < start else Decimal(1)
    elif len(nums) == 3:
        start, stop, step = nums
    else:
        raise FunctionError()
    if step == 0 or (step > 0 and stop < start) or (step < 0 and stop > start):
        raise FunctionError()
    out: list = []
    v = start
    while (step > 0 and v < stop) or (step < 0 and v > stop):
        if len(out) >= 1024:  # Terraform's limit
            raise FunctionError(_("range() too large"))
        out.append(int(v) if v == v.to_integral_value() else float(v))
        v += step
    return out


def f_cidrsubnet(prefix: Value, newbits: Value, netnum: Value) -> str:
    try:
        net = ipaddress.ip_network(_s(prefix), strict=False)
    except ValueError:
        raise FunctionError() from None
    bits, num = _whole(newbits), _whole(netnum)
    new_prefix = net.prefixlen + bits
    if bits < 0 or new_prefix > net.max_prefixlen or not 0 <= num < 2 ** bits:
        raise FunctionError()
    base = int(net.network_address) + num * 2 ** (net.max_prefixlen - new_prefix)
    return f"{ipaddress.ip_address(base) if net.version == 4 else ipaddress.IPv6Address(base)}/{new_prefix}"


def _json_string(s: str) -> str:
    """A JSON string as Go writes it (Terraform's jsonencode and %q): <, >, &, U+2028 and
    U+2029 escaped, other characters as they are."""
    out = json.dumps(s, ensure_ascii=False)
    out = out.replace("\\b", "\\u0008").replace("\\f", "\\u000c")
    for c, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        out = out.replace(c, esc)
    return out


def _jsonencode(v: Value) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if _is_number(v):
        if isinstance(v, float) and not math.isfinite(v):
            raise FunctionError()
        return number_text(v)
    if isinstance(v, str):
        return _json_string(v)
    if isinstance(v, list):
        return "[" + ",".join(_jsonencode(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(f"{_json_string(str(k))}:{_jsonencode(v[k])}" for k in sorted(v)) + "}"
    raise FunctionError()


def f_jsonencode(v: Value) -> str:
    return _jsonencode(v)


def f_jsondecode(s: Value) -> Value:
    try:
        return json.loads(_s(s), parse_constant=_not_json)
    except ValueError:
        raise FunctionError() from None


def _not_json(constant: str) -> None:
    raise ValueError(constant)  # NaN and Infinity are Python's extensions, not JSON


def f_startswith(s: Value, prefix: Value) -> bool:
    return _s(s).startswith(_s(prefix))


def f_endswith(s: Value, suffix: Value) -> bool:
    return _s(s).endswith(_s(suffix))


def f_strcontains(s: Value, sub: Value) -> bool:
    return _s(sub) in _s(s)


def f_compact(lst: Value) -> list:
    """Drops null and empty strings; an element known only after apply is kept as it is (it
    may be empty, which the caller cannot rely on either way)."""
    return [x for x in _seq(lst) if x is not None and (isinstance(x, Unknown) or _s(x) != "")]


def f_reverse(lst: Value) -> list:
    return list(reversed(_seq(lst)))


def f_sort(lst: Value) -> list:
    return sorted(_s(x) for x in _seq(lst))


def f_setunion(*sets: Value) -> list:
    return _set_order([x for s in sets for x in _seq(s)])


def f_setintersection(first: Value, *rest: Value) -> list:
    lists = [_seq(first)] + [_seq(s) for s in rest]
    unified = _unify([x for lst in lists for x in lst])
    groups, i = [], 0
    for lst in lists:
        groups.append(unified[i:i + len(lst)])
        i += len(lst)
    out = [x for x in groups[0] if all(any(_equal(x, y) for y in g) for g in groups[1:])]
    return _set_order(out)


def f_setsubtract(a: Value, b: Value) -> list:
    left, right = _seq(a), _seq(b)
    unified = _unify(left + right)
    left, right = unified[:len(left)], unified[len(left):]
    return _set_order([x for x in left if not any(_equal(x, y) for y in right)])


def f_chunklist(lst: Value, size: Value) -> list:
    items, n = _seq(lst), _whole(size)
    if n < 0:
        raise FunctionError()
    if n == 0:
        return [items]
    return [items[i:i + n] for i in range(0, len(items), n)]


def f_transpose(m: Value) -> dict:
    if not isinstance(m, dict):
        raise FunctionError()
    out: dict = {}
    for k in sorted(m):
        for v in _seq(m[k]):
            out.setdefault(_s(v), []).append(k)
    return {k: sorted(vs) for k, vs in out.items()}


def f_trim(s: Value, chars: Value) -> str:
    return _traced(_s(s).strip(_s(chars)), s)


def f_trimprefix(s: Value, prefix: Value) -> str:
    text, p = _s(s), _s(prefix)
    return _traced(text[len(p):] if text.startswith(p) else text, s)


def f_trimsuffix(s: Value, suffix: Value) -> str:
    text, p = _s(s), _s(suffix)
    return _traced(text[:-len(p)] if p and text.endswith(p) else text, s)


def _go_separator(c: str) -> bool:
    """Go's strings.Title word boundary (what Terraform's title() uses)."""
    if c <= "\x7f":
        return not (c.isalnum() or c == "_")
    if unicodedata.category(c)[0] in "LN":
        return False
    return c.isspace()


def _title(s: str) -> str:
    """First letter of each word in title case, the rest unchanged (title("hELLO") is HELLO)."""
    out, prev = [], " "
    for c in s:
        t = c.title()
        out.append(t if _go_separator(prev) and len(t) == 1 else c)
        prev = c
    return "".join(out)


def _string_fn(fn: Callable[[str], str]) -> Callable[[Value], str]:
    def apply(s: Value) -> str:
        return _traced(fn(_s(s)), s)
    return apply


def _chomp(s: str) -> str:
    return s.rstrip("\r\n")


def _numbers(args: tuple) -> list:
    if not args:
        raise FunctionError()
    return [to_number(a) for a in args]


def f_min(*args: Value) -> int | float:
    return min(_numbers(args))


def f_max(*args: Value) -> int | float:
    return max(_numbers(args))


def f_abs(n: Value) -> int | float:
    return abs(to_number(n))


def f_ceil(n: Value) -> int:
    x = to_number(n)
    if isinstance(x, float) and not math.isfinite(x):
        raise FunctionError()
    return math.ceil(x)


def f_floor(n: Value) -> int:
    x = to_number(n)
    if isinstance(x, float) and not math.isfinite(x):
        raise FunctionError()
    return math.floor(x)


def f_signum(n: Value) -> int:
    x = to_number(n)
    return (x > 0) - (x < 0)


def f_pow(a: Value, b: Value) -> int | float:
    return to_number(a) ** to_number(b)


def f_log(a: Value, b: Value) -> float:
    return math.log(to_number(a), to_number(b))


def f_sum(lst: Value) -> int | float:
    items = _seq(lst)
    if not items:
        raise FunctionError()  # Terraform: sum cannot sum an empty list
    return sum(to_number(x) for x in items)


def f_alltrue(lst: Value) -> bool:
    return all([_to_bool(x) for x in _seq(lst)])  # noqa: C419 - every element converts, as in Terraform


def f_anytrue(lst: Value) -> bool:
    return any([_to_bool(x) for x in _seq(lst)])  # noqa: C419 - every element converts, as in Terraform


def f_sensitive(v: Value) -> Value:
    return v  # hdslint does not track sensitivity: the value stays the value


FUNCTIONS: dict[str, Callable[..., Value]] = {
    "lookup": f_lookup, "coalesce": f_coalesce, "coalescelist": f_coalescelist,
    "element": f_element, "index": f_index, "merge": f_merge, "concat": f_concat,
    "flatten": f_flatten, "distinct": f_distinct, "format": f_format, "join": f_join,
    "split": f_split, "replace": f_replace, "substr": f_substr, "regex": f_regex,
    "regexall": f_regexall, "length": f_length, "keys": f_keys, "values": f_values,
    "zipmap": f_zipmap, "contains": f_contains, "tostring": f_tostring, "tonumber": f_tonumber,
    "tobool": f_tobool, "toset": f_toset, "tolist": f_tolist, "tomap": f_tomap,
    "one": f_one, "slice": f_slice, "range": f_range, "cidrsubnet": f_cidrsubnet,
    "jsonencode": f_jsonencode, "jsondecode": f_jsondecode, "startswith": f_startswith,
    "endswith": f_endswith, "strcontains": f_strcontains, "compact": f_compact,
    "reverse": f_reverse, "sort": f_sort, "setunion": f_setunion,
    "setintersection": f_setintersection, "setsubtract": f_setsubtract, "chunklist": f_chunklist,
    "transpose": f_transpose, "trim": f_trim,
    "lower": _string_fn(str.lower), "upper": _string_fn(str.upper),
    "title": _string_fn(_title), "trimspace": _string_fn(str.strip),
    "chomp": _string_fn(_chomp),
    "trimprefix": f_trimprefix, "trimsuffix": f_trimsuffix,
    "min": f_min, "max": f_max, "abs": f_abs,
    "ceil": f_ceil, "floor": f_floor, "signum": f_signum,
    "pow": f_pow, "log": f_log,
    "sum": f_sum, "alltrue": f_alltrue,
    "anytrue": f_anytrue, "nonsensitive": f_sensitive, "sensitive": f_sensitive,
}

# Functions that only move values around: an unknown nested inside an argument stays nested
# in the result instead of making the whole result unknown.
STRUCTURAL = {
    "lookup", "coalesce", "coalescelist", "element", "merge", "concat", "flatten", "values",
    "zipmap", "one", "slice", "tolist", "tomap", "toset", "distinct", "reverse", "length", "keys",
    "contains", "chunklist", "setunion", "nonsensitive", "sensitive", "compact",
}

# Functions whose result depends on something outside the code: always Unknown.
IMPURE = {
    "file", "fileexists", "fileset", "filebase64", "filemd5", "filesha1", "filesha256",
    "filesha512", "templatefile", "timestamp", "plantimestamp", "uuid", "uuidv5", "bcrypt",
    "base64gzip", "abspath", "pathexpand",
}


def call(name: str, args: list) -> Value:
    """Apply a built-in; Unknown when impure, unsupported, fed an unknown, or when Terraform
    would fail (the reason then shows the call in Terraform's terms)."""
    short = name.split("::")[-1]
    if name.startswith("provider::") or short in IMPURE:
        return Unknown(_("{name}() is evaluated by Terraform at plan time", name=name), pending=True)
    fn = FUNCTIONS.get(short)
    if fn is None:
        return Unknown(_("function {name}() is not evaluated by hdslint", name=short))
    if short not in ("lookup", "coalesce", "coalescelist"):
        u = first_unknown(args)
        if u is None and short not in STRUCTURAL:
            u = next((x for x in map(contains_unknown, args) if x is not None), None)
        if u is not None:
            return u
    try:
        result = fn(*args)
    except FunctionError as e:
        return Unknown(join((f"{short}(): ", e.message), "") if e.message else _failed(short, args))
    except (TypeError, ValueError, KeyError, IndexError, ZeroDivisionError, OverflowError, RecursionError,
            re.error):
        return Unknown(_failed(short, args))  # a call Terraform rejects too (arity, types): never Python's text
    if isinstance(result, float) and not math.isfinite(result):
        return Unknown(_failed(short, args))
    if isinstance(result, str) and not isinstance(result, TStr):
        result = _traced(result, *args) if any(isinstance(a, TStr) for a in args) else TStr(result, ())
    return result


def _failed(name: str, args: list) -> Msg:
    """The reason of a failed call: the call with its arguments as Terraform writes them."""
    shown = ", ".join(repr(Shown(a)) for a in args)
    return _("{name}() could not be evaluated: {error}", name=name, error=f"{name}({shown})")
