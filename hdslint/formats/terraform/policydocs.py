"""The JSON of a data "aws_iam_policy_document", built from its blocks as the AWS provider builds
it, without the cloud (the provider renders it locally): source_policy_documents first, then the
statements, then override_policy_documents (a statement with a sid replaces the earlier one with
the same sid). A value known only after apply (a bucket's ARN) stays an Unknown inside the
statement: the document is then an Unknown whose `partial` is the structure (a Document), so
that a check can still read which statement denies what (hdslint.analysis.policydoc).

Source: terraform-provider-aws website/docs/d/iam_policy_document.html.markdown (argument
reference: statement, actions, not_actions, resources, not_resources, principals, not_principals,
condition test/variable/values, effect defaulting to Allow, version defaulting to 2012-10-17;
principals of type "*" render as "Principal": "*").
"""
from __future__ import annotations

import json
from typing import Any

from hdslint.analysis.policydoc import statements_of
from hdslint.i18n import _
from hdslint.model.values import Document, Hop, TfValue, TStr, Unknown, contains_unknown

DOCUMENT_TYPES = {"aws_iam_policy_document"}
EXPORTS = {"json", "minified_json"}


def document(body: dict[str, TfValue], address: str, file: str, line: int) -> TfValue:
    """The policy document a data source's evaluated body (attributes and blocks) renders."""
    statements: list[Any] = []
    by_sid: dict[str, int] = {}
    for doc in _documents(body.get("source_policy_documents")) + _documents(body.get("source_json")):
        _merge(statements, by_sid, doc)
    own = body.get("statement")
    if isinstance(own, Unknown):
        statements.append(own)
    for block in own if isinstance(own, list) else []:
        _merge(statements, by_sid, [_statement(block)])
    for doc in _documents(body.get("override_policy_documents")) + _documents(body.get("override_json")):
        _merge(statements, by_sid, doc)
    version = body.get("version")
    out: dict[str, Any] = {"Version": version if isinstance(version, str) else "2012-10-17", "Statement": statements}
    if isinstance(body.get("policy_id"), str):
        out["Id"] = body["policy_id"]
    inside = contains_unknown(out)
    if inside is None:
        text = json.dumps(out, separators=(",", ":"))
        return TStr(text, (Hop(_("{address}.json rendered from its statements", address=address), file, line),))
    return Unknown(_("{address}.json holds values known only after apply: {reason}", address=address,
                     reason=inside.reason), inside.hops, pending=True, partial=Document(out))


def _documents(value: TfValue) -> list[list[Any]]:
    """The statements of each document in a list of documents (JSON strings, or unknowns)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out: list[list[Any]] = []
    for item in items:
        if item is None or item == "":
            continue
        parsed = statements_of(item)
        out.append(parsed if parsed is not None else [item if isinstance(item, Unknown) else Unknown(
            _("a policy document that is not JSON"))])
    return out


def _merge(statements: list[Any], by_sid: dict[str, int], new: list[Any]) -> None:
    for st in new:
        sid = st.get("Sid") if isinstance(st, dict) else None
        if isinstance(sid, str) and sid and sid in by_sid:
            statements[by_sid[sid]] = st
            continue
        if isinstance(sid, str) and sid:
            by_sid[sid] = len(statements)
        statements.append(st)


def _statement(block: Any) -> Any:
    """One statement block as the IAM JSON writes it."""
    if not isinstance(block, dict):
        return block
    out: dict[str, Any] = {}
    if isinstance(block.get("sid"), str):
        out["Sid"] = block["sid"]
    effect = block.get("effect")
    out["Effect"] = effect if effect is not None else "Allow"
    for key, name in (("actions", "Action"), ("not_actions", "NotAction"), ("resources", "Resource"),
                      ("not_resources", "NotResource")):
        if block.get(key) is not None:
            out[name] = _one_or_list(block[key])
    for key, name in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        if block.get(key) is not None:
            out[name] = _principals(block[key])
    if block.get("condition") is not None:
        out["Condition"] = _conditions(block["condition"])
    return out


def _one_or_list(value: TfValue) -> TfValue:
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return value


def _principals(blocks: TfValue) -> TfValue:
    if not isinstance(blocks, list):
        return blocks
    out: dict[str, Any] = {}
    for b in blocks:
        if not isinstance(b, dict):
            return b
        kind, ids = b.get("type"), b.get("identifiers")
        if isinstance(kind, Unknown):
            return kind
        if kind == "*":
            return "*"
        listed = ids if isinstance(ids, list) else [ids]
        out.setdefault(str(kind), []).extend(listed)
    return {k: _one_or_list(v) for k, v in out.items()}


def _conditions(blocks: TfValue) -> TfValue:
    if not isinstance(blocks, list):
        return blocks
    out: dict[str, Any] = {}
    for b in blocks:
        if not isinstance(b, dict):
            return b
        test, variable, values = b.get("test"), b.get("variable"), b.get("values")
        if isinstance(test, Unknown) or isinstance(variable, Unknown):
            return test if isinstance(test, Unknown) else variable
        out.setdefault(str(test), {})[str(variable)] = _one_or_list(values)
    return out
