"""Fix texts that speak of what is there: the attribute, the resource to add, the manifest field
and the value, taken from the same facts that decided the verdict (policies/terraform), or from
the verdict itself when the analysis that made it knows the fix (Kubernetes manifests).

A variable is named only when a variable without a value is the cause; otherwise the fix says
which attribute or resource turns the property on. None when the knowledge holds nothing
specific: the rule's own remediation stands.
"""
from __future__ import annotations

from typing import Any

from hdslint.analysis.conditions import Test, run, show
from hdslint.analysis.location import item_words, location_item
from hdslint.analysis.protection import Verdict
from hdslint.i18n import Msg, Text, _, join
from hdslint.model import Place, Resource, strip_index

# Unknown reasons (formats/terraform/instances.py) that name a variable without a value
_VARIABLE_TEMPLATES = ("var.{name} has no default and no value in TF_VAR_*",
                       "var.{name} has no default and no argument in the call")


def variables_in(reason: object) -> list[str]:
    """The input variables without a value that a reason names (var.region has no default...)."""
    names: list[str] = []
    _collect(reason, names)
    return list(dict.fromkeys(names))


def _collect(text: object, names: list[str]) -> None:
    if not isinstance(text, Msg):
        return
    if text.template.startswith(_VARIABLE_TEMPLATES) and isinstance(text.values.get("name"), str):
        names.append(f"var.{text.values['name']}")
    for part in getattr(text, "parts", ()):
        _collect(part, names)
    for value in text.values.values():
        _collect(value, names)


def _shown(value: object) -> str:
    if isinstance(value, dict):  # a field tested with operators ({one_of: [...]}): its first value
        return _shown(value.get("equals", (value.get("one_of") or [""])[0]))
    return str(show(value))


def give_values(names: list[str], attribute: Text) -> Text:
    """The fix when variables without a value are the cause: name them, and the attribute they feed."""
    return _("Give {variables} a value (terraform.tfvars, --var-file or TF_VAR_{first}), or set {attribute} in "
             "the code.", variables=", ".join(names), first=names[0].removeprefix("var."), attribute=attribute)


def set_on(res: Resource, test: Test) -> Text | None:
    """'Set backup_retention_period = 7 or more on aws_db_instance.x.' for a test with a value."""
    words = setting(test)
    return _("Set {setting} on {address}.", setting=words, address=res.address) if words is not None else None


def setting(test: Test) -> Text | None:
    """'storage_encrypted = true', 'backup_retention_period = 1 or more'... for an `enable` test."""
    attribute = strip_index(str(test.get("attribute") or ""))
    if not attribute:
        return None
    if "equals" in test:
        return f"{attribute} = {_shown(test['equals'])}"
    if test.get("one_of"):
        return f"{attribute} = {_shown(test['one_of'][0])}"
    if "min" in test:
        return _("{attribute} = {min} or more", attribute=attribute, min=test["min"])
    if "contains" in test and isinstance(test["contains"], dict):
        fields = ", ".join(f"{k} = {_shown(v)}" for k, v in test["contains"].items())
        return f"{attribute} {{ {fields} }}"
    return None


def _add(type_: str, what: Text) -> Msg:
    # English needs the article of the type's sound; provider prefixes aws, azurerm, ovh, outscale...
    if type_[:1] in "aeio":
        return _("Add an {type}{what}", type=type_, what=what)
    return _("Add a {type}{what}", type=type_, what=what)


def companion_fix(res: Resource, spec: dict[str, Any]) -> Text | None:
    """How to add (or correct) one companion the facts describe."""
    types = spec.get("types") or []
    if not types:
        return None
    settings = [s for s in (setting(t) for t in spec.get("when", [])) if s is not None]
    joined = join(settings, _(" and "))
    via = str(spec.get("via") or "")
    if via and res.values(via) and settings:  # it names one already, which lacks the setting
        return _("Set {settings} on the {type} that {via} names.", settings=joined, type=types[0], via=via)
    with_ = _(" with {settings}", settings=joined) if settings else ""
    if via:
        return join([_add(types[0], with_), _(", and set {via} on {address} to its name.", via=via,
                                              address=res.address)], "")
    if spec.get("scope") == "region":
        return join([_add(types[0], with_), _(" to this root, for the region of {address} (an account-wide setting).",
                                              address=res.address)], "")
    reference = strip_index(str(spec.get("reference") or ""))
    if reference:
        return join([_add(types[0], with_), _(" whose {reference} refers to {address}.",
                                              reference=reference, address=res.address)], "")
    return None


def from_facts(res: Resource, side: dict[str, Any] | None) -> Text | None:
    """Turn the property on as the facts say: the first `enable` setting, or the companions to add."""
    if not side:
        return None
    for test in side.get("enable", []) or []:
        fix = set_on(res, test)
        if fix is not None:
            return fix
        if test.get("present") is True and test.get("attribute"):
            return _("Set {attribute} on {address}.", attribute=strip_index(test["attribute"]), address=res.address)
        if test.get("matches") and test.get("attribute"):
            return _("Set {attribute} to a value that matches {pattern} on {address}.",
                     attribute=strip_index(test["attribute"]), pattern=test["matches"], address=res.address)
    options: list[Text] = []
    seen: set[str] = set()
    for spec in side.get("companions", []) or []:
        if spec.get("sets") == "off":  # a companion that turns it off is no way to turn it on
            continue
        # not for this engine (an engine left out or unknown keeps the suggestion)
        if any(run(res, t, "unknown")[0] is False for t in spec.get("suggest_when", [])):
            continue
        fix = companion_fix(res, spec)
        if fix is None:
            continue
        # several companions of one type differ by their condition (rds.force_ssl or require_secure_transport)
        key = ",".join(spec.get("types", []))
        if key in seen and len(options) >= 2:
            continue
        seen.add(key)
        options.append(fix)
    if not options:
        return None
    return join(options[:2], _(" Or: "))


def fix_for(res: Resource, kind: str, verdict: Verdict | None) -> Text | None:
    """The fix of a property found off or unknown: kind is at_rest, in_transit or backup."""
    if verdict is not None and verdict.fix:
        return verdict.fix
    facts = res.facts or {}
    side = facts.get("backup") if kind == "backup" else (facts.get("encryption") or {}).get(kind)
    side = side if isinstance(side, dict) else None
    if verdict is not None and verdict.state == "unknown":
        names = variables_in(join([f.unknown for f in verdict.found if f.unknown is not None]))
        if names:
            attribute = next((strip_index(f.attribute) for f in verdict.found if f.attribute), "")
            return give_values(names, attribute or _("the attribute"))
    if verdict is not None and verdict.state == "off" and verdict.how == "explicit" and side is not None:
        if side.get("fix_disabled"):  # the facts say what to write instead (policies/: stays as written)
            return str(side["fix_disabled"])
        # turned off by what the code sets: undo that setting (a boolean flips; another value, the rule's words)
        decided = {f.attribute: f for f in verdict.found}
        for test in side.get("disable", []) or []:
            found = decided.get(test.get("attribute", ""))
            if found is None:
                continue
            if isinstance(test.get("equals"), bool):
                return set_on(res, {"attribute": test["attribute"], "equals": not test["equals"]})
            if found.values:
                return _("Change {attribute} = {value} on {address}: that value turns it off.",
                         attribute=strip_index(test["attribute"]), value=_shown(found.values[0]), address=res.address)
            return None
    turn_on = from_facts(res, side)
    if turn_on is not None or side is None or verdict is None or verdict.how != "default":
        return turn_on
    # the type has no setting for it: say so, rather than 'turn it on'
    if verdict.state == "unknown":
        return _("{type} has no setting for it and the provider's documentation read does not say: ask the provider "
                 "(or read its current documentation) and record the answer as a suppression with its reason.",
                 type=res.type)
    if kind == "backup":
        return _("{type} has no backup setting: back the data up yourself to another site in the EEA (a backup job "
                 "to object storage in another region), then record it as a suppression with its reason.",
                 type=res.type)
    return _("{type} has no encryption setting: encrypt the data yourself (disk encryption in the operating system, "
             "or the application's own), or use a service that encrypts, then record it as a suppression with its "
             "reason.", type=res.type)


def site_fix(res: Resource, side: dict[str, Any], good: set[str]) -> Text | None:
    """Keep backups on a separate site as the facts say: the first `site_when` setting that does."""
    for case in side.get("site_when", []) or []:
        if case.get("site") not in good:
            continue
        settings = [s for s in (setting(t) for t in case.get("tests", [])) if s is not None]
        if settings:
            return _("Set {setting} on {address}.", setting=join(settings, _(" and ")), address=res.address)
    return None


def place_fix(res: Resource, place: Place) -> Text | None:
    """Move a place out of the EEA back in, when the facts say which setting placed it: the value
    of a location item (an ordered service's plan configuration item), with the facts' example."""
    spec = location_item(res.facts, place.setting)
    if spec is None:
        return None
    words = {**item_words(spec), "address": res.address}
    if "key" in words:
        what = _('{field} of the {items} item with {key} "{name}" on {address}', **words)
    else:
        what = _("{field} of the {items} of {address}", **words)
    if spec.get("example"):
        return _('Set {what} to a location in the EEA, such as "{example}": HDS EXI 28 requires health data to be '
                 "stored only in the EEA.", what=what, example=spec["example"])
    return _("Set {what} to a location in the EEA: HDS EXI 28 requires health data to be stored only in the EEA.",
             what=what)
