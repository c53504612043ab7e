"""Terraform's built-in functions that matter for static resolution.

Only pure functions are here: nothing reads files, the environment or the network
(file(), templatefile(), timestamp(), uuid() give Unknown). A function given an Unknown
argument returns Unknown, except where Terraform's own semantics let a known answer
through (coalesce skips nulls, lookup falls back to its default).
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from hdslint.i18n import _
from hdslint.model.values import TStr, Unknown, contains_unknown, first_unknown, hops_of


class FunctionError(Exception):
    """The call is invalid in Terraform too (wrong type, index out of range)."""


def _s(v: TStr) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (int, float, str)):
        return str(v)
    if v is None:
        raise FunctionError(_("null value where a string is required"))
    raise FunctionError(_("cannot convert {type} to string", type=type(v).__name__))


def _traced(result: str, *args) -> TStr:
    """A function's string result keeps the longest chain among its arguments: the one that
    came through variables rather than a literal format string."""
    hops = max((hops_of(a) for a in args), key=len, default=())
    return TStr(result, hops) if hops else result


def _seq(v: list[Any]) -> list[Any]:
    if isinstance(v, dict):
        return list(v.values())
    if isinstance(v, (list, tuple, set)):
        return list(v)
    raise FunctionError(_("expected a list, found {type}", type=type(v).__name__))


def f_lookup(m: dict[str, Any], key: TStr, *default) -> TStr:
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


def f_coalesce(*args) -> TStr:
    for a in args:
        if isinstance(a, Unknown):
            return a
        if a is not None and a != "":
            return a
    raise FunctionError(_("coalesce(): no non-null argument"))


def f_coalescelist(*args):
    for a in args:
        if isinstance(a, Unknown):
            return a
        if a:
            return a
    return []


def f_element(lst: list[Any], idx: int) -> TStr:
    lst = _seq(lst)
    if not lst:
        raise FunctionError(_("element() of an empty list"))
    return lst[int(idx) % len(lst)]


def f_index(lst, value):
    lst = _seq(lst)
    if value not in lst:
        raise FunctionError(_("index(): value not in list"))
    return lst.index(value)


def f_merge(*maps) -> dict[str, int]:
    out: dict = {}
    for m in maps:
        if m is None:
            continue
        if not isinstance(m, dict):
            raise FunctionError(_("merge() needs maps"))
        out.update(m)
    return out


def f_concat(*lists) -> list[int]:
    out: list = []
    for lst in lists:
        out.extend(_seq(lst))
    return out


def f_flatten(lst: list[list[Any]]) -> list[int]:
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


def f_distinct(lst):
    out: list = []
    for item in _seq(lst):
        if item not in out:
            out.append(item)
    return out


def f_format(fmt: TStr, *args) -> TStr:
    spec = re.compile(r"%(?:%|[-+ #0]*\d*(?:\.\d+)?([a-zA-Z]))")
    it = iter(args)

    def repl(m):
        if m.group() == "%%":
            return "%"
        verb = m.group(1)
        try:
            arg = next(it)
        except StopIteration:
            raise FunctionError(_("format(): not enough arguments")) from None
        if verb in "dxXo":
            return m.group() % int(arg)
        if verb in "fFeEgG":
            return m.group() % float(arg)
        if verb == "s":
            return m.group() % _s(arg)
        if verb == "q":
            return json.dumps(_s(arg))
        if verb == "t":
            return "true" if arg else "false"
        if verb == "v" and not isinstance(arg, str):
            return json.dumps(arg)
        return _s(arg)

    return _traced(spec.sub(repl, _s(fmt)), fmt, *args)


def f_join(sep: TStr, *lists) -> TStr:
    items = [x for lst in lists for x in _seq(lst)]
    return _traced(_s(sep).join(_s(x) for x in items), *items)


def f_split(sep: TStr, s: TStr) -> list[TStr]:
    return [_traced(x, s) for x in _s(s).split(_s(sep))]


def f_replace(s: TStr, old: TStr, new: TStr) -> TStr:
    s_, old_ = _s(s), _s(old)
    if len(old_) > 1 and old_.startswith("/") and old_.endswith("/"):
        result = re.sub(old_[1:-1], _s(new).replace("$", "\\"), s_)
    else:
        result = s_.replace(old_, _s(new))
    return _traced(result, s)


def f_substr(s: TStr, offset: int, length: int) -> TStr:
    s_ = _s(s)
    offset, length = int(offset), int(length)
    if offset < 0:
        offset += len(s_)
    return _traced(s_[offset:] if length < 0 else s_[offset:offset + length], s)


def f_regex(pattern: TStr, s: TStr):
    m = re.search(_s(pattern), _s(s))
    if not m:
        raise FunctionError(_("regex(): no match"))
    if m.groupdict():
        return m.groupdict()
    if m.groups():
        return list(m.groups())
    return m.group()


def f_regexall(pattern, s):
    return [m.group() for m in re.finditer(_s(pattern), _s(s))]


def f_length(v: list[str]) -> int:
    if isinstance(v, (str, list, dict)):
        return len(v)
    raise FunctionError(_("length() needs a string, list or map"))


def f_keys(m: dict[str, int]) -> list[str]:
    if not isinstance(m, dict):
        raise FunctionError(_("keys() needs a map"))
    return sorted(m.keys())


def f_values(m):
    if not isinstance(m, dict):
        raise FunctionError(_("values() needs a map"))
    return [m[k] for k in sorted(m.keys())]


def f_zipmap(keys, values):
    return {_s(k): v for k, v in zip(_seq(keys), _seq(values))}


def f_contains(lst: list[TStr], value: TStr) -> bool:
    return value in _seq(lst)


def f_tostring(v):
    return v if isinstance(v, str) or v is None else _s(v)


def f_tonumber(v: TStr):
    if v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)):
        return v
    try:
        return int(v)
    except (TypeError, ValueError):
        try:
            return float(v)
        except (TypeError, ValueError):
            raise FunctionError(_("cannot convert {value!r} to number", value=v)) from None


def f_tobool(v):
    if v is None or isinstance(v, bool):
        return v
    if v in ("true", "false"):
        return v == "true"
    raise FunctionError(_("cannot convert {value!r} to bool", value=v))


def f_toset(v):
    return f_distinct(v)


def f_one(lst):
    lst = _seq(lst)
    if len(lst) > 1:
        raise FunctionError(_("one() of a list with more than one element"))
    return lst[0] if lst else None


def f_slice(lst, start, end):
    return _seq(lst)[int(start):int(end)]


def f_range(*args):
    args = [float(a) if isinstance(a, float) else int(a) for a in args]
    if len(args) == 1:
        start, stop, step = 0, args[0], 1
    elif len(args) == 2:
        start, stop, step = args[0], args[1], 1
    else:
        start, stop, step = args
    if step == 0 or abs((stop - start) / step) > 10_000:
        raise FunctionError(_("range() too large"))
    out, v = [], start
    while (step > 0 and v < stop) or (step < 0 and v > stop):
        out.append(v)
        v += step
    return out


def f_cidrsubnet(prefix: TStr, newbits: int, netnum: int) -> str:
    import ipaddress

    net = ipaddress.ip_network(_s(prefix), strict=False)
    new_prefix = net.prefixlen + int(newbits)
    subnet_size = 2 ** (net.max_prefixlen - new_prefix)
    base = int(net.network_address) + int(netnum) * subnet_size
    return f"{ipaddress.ip_address(base)}/{new_prefix}"


def f_jsonencode(v: dict[str, Any]) -> str:
    return json.dumps(v, separators=(",", ":"), sort_keys=True)


def f_jsondecode(s: TStr) -> dict[str, str]:
    try:
        return json.loads(_s(s))
    except ValueError as e:
        raise FunctionError(f"jsondecode(): {e}") from None


def f_startswith(s, prefix):
    return _s(s).startswith(_s(prefix))


def f_endswith(s, suffix):
    return _s(s).endswith(_s(suffix))


def f_strcontains(s, sub):
    return _s(sub) in _s(s)


def f_compact(lst):
    return [x for x in _seq(lst) if x is not None and x != ""]


def f_reverse(lst):
    return list(reversed(_seq(lst)))


def f_sort(lst):
    return sorted(_s(x) for x in _seq(lst))


def f_setunion(*sets):
    return f_distinct([x for s in sets for x in _seq(s)])


def f_setintersection(first, *rest):
    out = f_distinct(first)
    for s in rest:
        items = _seq(s)
        out = [x for x in out if x in items]
    return out


def f_setsubtract(a, b):
    items = _seq(b)
    return [x for x in f_distinct(a) if x not in items]


def f_chunklist(lst, size):
    lst, size = _seq(lst), int(size)
    if size <= 0:
        return [lst]
    return [lst[i:i + size] for i in range(0, len(lst), size)]


def f_transpose(m):
    out: dict = {}
    for k, vs in m.items():
        for v in _seq(vs):
            out.setdefault(_s(v), []).append(k)
    return out


def f_trim(s, chars):
    return _traced(_s(s).strip(_s(chars)), s)


def _string_fn(fn: Callable) -> Callable:
    return lambda s: _traced(fn(_s(s)), s)


FUNCTIONS = {
    "lookup": f_lookup, "coalesce": f_coalesce, "coalescelist": f_coalescelist,
    "element": f_element, "index": f_index, "merge": f_merge, "concat": f_concat,
    "flatten": f_flatten, "distinct": f_distinct, "format": f_format, "join": f_join,
    "split": f_split, "replace": f_replace, "substr": f_substr, "regex": f_regex,
    "regexall": f_regexall, "length": f_length, "keys": f_keys, "values": f_values,
    "zipmap": f_zipmap, "contains": f_contains, "tostring": f_tostring, "tonumber": f_tonumber,
    "tobool": f_tobool, "toset": f_toset, "tolist": lambda v: _seq(v), "tomap": lambda v: dict(v),
    "one": f_one, "slice": f_slice, "range": f_range, "cidrsubnet": f_cidrsubnet,
    "jsonencode": f_jsonencode, "jsondecode": f_jsondecode, "startswith": f_startswith,
    "endswith": f_endswith, "strcontains": f_strcontains, "compact": f_compact,
    "reverse": f_reverse, "sort": f_sort, "setunion": f_setunion,
    "setintersection": f_setintersection, "setsubtract": f_setsubtract, "chunklist": f_chunklist,
    "transpose": f_transpose, "trim": f_trim,
    "lower": _string_fn(str.lower), "upper": _string_fn(str.upper),
    "title": _string_fn(str.title), "trimspace": _string_fn(str.strip),
    "chomp": _string_fn(lambda s: s.rstrip("\r\n")),
    "trimprefix": lambda s, p: _traced(_s(s)[len(_s(p)):] if _s(s).startswith(_s(p)) else _s(s), s),
    "trimsuffix": lambda s, p: _traced(_s(s)[:-len(_s(p))] if _s(p) and _s(s).endswith(_s(p)) else _s(s), s),
    "min": lambda *a: min(a), "max": lambda *a: max(a), "abs": abs,
    "ceil": math.ceil, "floor": math.floor, "signum": lambda n: (n > 0) - (n < 0),
    "pow": lambda a, b: a ** b, "log": lambda a, b: math.log(a, b),
    "sum": lambda lst: sum(_seq(lst)), "alltrue": lambda lst: all(_seq(lst)),
    "anytrue": lambda lst: any(_seq(lst)), "nonsensitive": lambda v: v, "sensitive": lambda v: v,
}

# Functions that only move values around: an unknown nested inside an argument stays nested
# in the result instead of making the whole result unknown.
STRUCTURAL = {
    "lookup", "coalesce", "coalescelist", "element", "merge", "concat", "flatten", "values",
    "zipmap", "one", "slice", "tolist", "tomap", "toset", "distinct", "reverse", "length", "keys",
    "contains", "chunklist", "setunion", "nonsensitive", "sensitive",
}

# Functions whose result depends on something outside the code: always Unknown.
IMPURE = {
    "file", "fileexists", "fileset", "filebase64", "filemd5", "filesha1", "filesha256",
    "filesha512", "templatefile", "timestamp", "plantimestamp", "uuid", "uuidv5", "bcrypt",
    "base64gzip", "abspath", "pathexpand",
}


def call(name: str, args: list) -> Any:
    """Apply a built-in; Unknown when impure, unsupported or fed an unknown."""
    short = name.split("::")[-1]
    if name.startswith("provider::") or short in IMPURE:
        return Unknown(_("{name}() is evaluated by Terraform at plan time", name=name), pending=True)
    fn = FUNCTIONS.get(short)
    if fn is None:
        return Unknown(_("function {name}() is not evaluated by hdslint", name=short))
    if short not in ("lookup", "coalesce", "coalescelist"):
        u = first_unknown(args)
        if u is None and short not in STRUCTURAL:
            u = next(filter(None, map(contains_unknown, args)), None)
        if u is not None:
            return u
    try:
        result = fn(*args)
        if isinstance(result, str) and not isinstance(result, TStr):
            result = _traced(result, *args) if any(isinstance(a, TStr) for a in args) else TStr(result, ())
        return result
    except FunctionError as e:
        return Unknown(f"{short}(): {e}")
    except (TypeError, ValueError, KeyError, IndexError, ZeroDivisionError, OverflowError, re.error) as e:
        return Unknown(_("{name}() could not be evaluated: {error}", name=short, error=e))
