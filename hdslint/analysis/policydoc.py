"""A policy document read into statements, for the `statement` test of policies/ (an S3 bucket
policy that denies every request made without TLS, as AWS Security Hub control S3.5 describes).

The document is a JSON string, or an Unknown whose `partial` is its structure (jsonencode() of
values known only after apply, a data "aws_iam_policy_document"). A statement matches when its
effect, principals, actions, resources and condition are the ones the test asks for; a value
known only after apply is compared by what it names ("${aws_s3_bucket.b.arn}/*" is the objects
of aws_s3_bucket.b). The answer is True when one statement matches, None when one might but a
value is unknown, else False: never a guess.
"""
from __future__ import annotations

import json
from typing import Any

from hdslint.i18n import Text, _
from hdslint.model import Resource, strip_index
from hdslint.model.values import Document, TemplateText, Unknown

Spec = dict[str, Any]


def test(res: Resource, path: str, values: list[object], spec: Spec,
         about: Resource | None = None) -> tuple[bool | None, Text | None, Text | None]:
    """Whether the policy at `path` holds a statement of the shape `spec` asks for; {arn} stands
    for the resource judged (`about`, when `res` is its companion) or the one `res` names through
    spec['resources_of']. With what the policy holds, in words, or why it cannot be read
    (hdslint.analysis.conditions makes them a Found: this module stays below it)."""
    arns = _arns(res, spec.get("resources_of")) | (_own_arns(about) if about is not None else set())
    unknown: Text | None = None
    for value in values:
        statements = statements_of(value)
        if statements is None:
            reason = value.reason if isinstance(value, Unknown) else _("not a policy document hdslint reads")
            unknown = unknown or reason
            continue
        for st in statements:
            verdict = _matches(st, spec, arns)
            if verdict is True:
                return True, _shape(spec, True), None
            if verdict is None and unknown is None:
                unknown = st.reason if isinstance(st, Unknown) else _("a statement holds values hdslint cannot read")
    if unknown is not None:
        return None, None, unknown
    return False, _shape(spec, False), None


def _shape(spec: Spec, has: bool) -> Text:
    condition = spec.get("condition") or {}
    what = f"{spec.get('effect', 'Deny')} {' | '.join(spec.get('actions', []))}"
    cond = f"{condition.get('variable', '')} = {' | '.join(str(v) for v in condition.get('values', []))}"
    if has:
        return _("a {what} statement for every principal on the resource and its objects when {condition}",
                 what=what, condition=cond)
    return _("no {what} statement for every principal on the resource and its objects when {condition}",
             what=what, condition=cond)


def statements_of(value: object) -> list[Any] | None:
    """The statements of one policy document: a JSON string, or an Unknown whose partial is a
    Document. None when it is neither."""
    if isinstance(value, Unknown):
        doc = value.partial.value if isinstance(value.partial, Document) else None
    elif isinstance(value, str):
        try:
            doc = json.loads(value)
        except ValueError:
            return None
    else:
        doc = value
    if not isinstance(doc, dict):
        return None
    found = doc.get("Statement")
    if isinstance(found, dict):
        return [found]
    return list(found) if isinstance(found, list) else None


def _matches(st: object, spec: Spec, arns: set[str]) -> bool | None:
    """True, False, or None when the statement might match but holds unknown values."""
    if isinstance(st, Unknown):
        return None
    if not isinstance(st, dict):
        return False
    if any(k in st for k in ("NotPrincipal", "NotAction", "NotResource")):
        return False
    checks = [
        _same(st.get("Effect"), spec.get("effect", "Deny")),
        _everyone(st.get("Principal")),
        _covers(st.get("Action"), spec.get("actions", [])),
        _resources(st.get("Resource"), spec.get("resources", []), arns),
        _condition(st.get("Condition"), spec.get("condition")),
    ]
    if any(c is False for c in checks):
        return False
    return None if any(c is None for c in checks) else True


def _same(value: object, wanted: str) -> bool | None:
    if isinstance(value, Unknown):
        return None
    return isinstance(value, str) and value == wanted


def _listed(value: object) -> list[object]:
    return value if isinstance(value, list) else [value]


def _everyone(principal: object) -> bool | None:
    """"Principal": "*" or {"AWS": "*"}: every principal."""
    if isinstance(principal, Unknown):
        return None
    if principal == "*":
        return True
    if isinstance(principal, dict) and set(principal) == {"AWS"}:
        ids = _listed(principal["AWS"])
        if "*" in ids:
            return True
        return None if any(isinstance(i, Unknown) for i in ids) else False
    return False


def _covers(actions: object, wanted: list[str]) -> bool | None:
    """The statement's actions include one of the wanted ones, or every action ("*")."""
    listed = _listed(actions)
    if any(isinstance(a, str) and (a == "*" or a.lower() in {w.lower() for w in wanted}) for a in listed):
        return True
    return None if any(isinstance(a, Unknown) for a in listed) else False


def _resources(resources: object, wanted: list[str], arns: set[str]) -> bool | None:
    """Every wanted form ({arn}, {arn}/*) of the tested resource is among the statement's
    resources."""
    listed = [_symbol(r) for r in _listed(resources)]
    known = {r for r in listed if r is not None}
    missing = False
    for form in wanted:
        if not any(form.replace("{arn}", arn) in known for arn in arns):
            missing = True
    if not missing:
        return True
    return None if any(r is None for r in listed) or not arns else False


def _condition(condition: object, wanted: Spec | None) -> bool | None:
    """The condition is exactly the wanted test on the wanted variable, with one of the values
    (a deny narrowed by other conditions does not cover every request)."""
    if not wanted:
        return True
    if isinstance(condition, Unknown):
        return None
    if not isinstance(condition, dict) or set(condition) != {wanted["test"]}:
        return False
    block = condition[wanted["test"]]
    if isinstance(block, Unknown):
        return None
    if not isinstance(block, dict) or set(block) != {wanted["variable"]}:
        return False
    values = _listed(block[wanted["variable"]])
    if any(isinstance(v, Unknown) for v in values):
        return None
    expected = {str(v).lower() for v in wanted["values"]}
    return bool(values) and all(_text(v) in expected for v in values)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).lower()


def _symbol(value: object) -> str | None:
    """A resource ARN as written, a value known only after apply by what it names
    ("${aws_s3_bucket.b.arn}"), or None when it cannot be read."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Unknown):
        if isinstance(value.partial, TemplateText):
            parts = [_symbol(p) for p in value.partial.parts]
            return None if any(p is None for p in parts) else "".join(p for p in parts if p is not None)
        if value.ref:
            return "${" + strip_index(value.ref) + "}"
    return None


def _arns(res: Resource, attribute: str | None) -> set[str]:
    """The ways a policy may write the ARN of the resource the tested one names through
    `attribute` (an S3 bucket: arn:aws:s3:::NAME, ${aws_s3_bucket.b.arn}, arn:aws:s3:::${b.id})."""
    if not attribute:
        return set()
    out: set[str] = set()
    targets = set(res.references(attribute))
    for v in res.values(attribute):
        symbol = _symbol(v.value)
        if symbol is None:
            continue
        if symbol.startswith("${") and symbol.endswith("}") and symbol.count("${") == 1:
            base, _dot, _attr = symbol[2:-1].rpartition(".")
            targets.add(base)
        elif not symbol.startswith("arn:"):
            out.add(f"arn:aws:s3:::{symbol}")
    for base in targets:
        out |= {"${" + base + ".arn}", "arn:aws:s3:::${" + base + ".id}", "arn:aws:s3:::${" + base + ".bucket}"}
    return out


def _own_arns(res: Resource) -> set[str]:
    """The ways a policy may write the ARN of a bucket: ${aws_s3_bucket.b.arn}, its id or bucket
    interpolated, or its name when the code writes one."""
    base = res.base_address
    out = {"${" + base + ".arn}", "arn:aws:s3:::${" + base + ".id}", "arn:aws:s3:::${" + base + ".bucket}"}
    for v in res.values("bucket"):
        if isinstance(v.value, str) and v.value:
            out.add(f"arn:aws:s3:::{v.value}")
    return out
