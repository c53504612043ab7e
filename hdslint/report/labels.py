"""Words the human-readable reports share (text, markdown, html), in the scan's language."""
from __future__ import annotations

from hdslint.i18n import say as _
from hdslint.i18n import say_text as text
from hdslint.model import PERIMETERS


def perimeter_name(number: int) -> str:
    return text(PERIMETERS[number])


def severity(sev: str) -> str:
    return {
        "critical": _("critical"), "high": _("high"), "medium": _("medium"), "low": _("low"), "info": _("info"),
    }[sev]


def family(name: str) -> str:
    return {
        "locality": _("locality"), "coverage": _("coverage"), "encryption": _("encryption"),
        "backup": _("backup"), "exposure": _("exposure"), "traceability": _("traceability"),
        "parse": _("unreadable files"), "suppression": _("suppressions"), "module": _("reusable modules"),
    }.get(name, name)


def status(name: str) -> str:
    """A cell of the coverage matrix."""
    return {
        "covered": _("certified"), "declared": _("declared"), "not_covered": _("not covered"),
        "expired": _("expired"), "unknown": _("unknown"), "unverified": _("certified, perimeters not verified"),
    }.get(name, name)


def suppression_kind(kind: str) -> str:
    return {
        "inline": _("comment in the code"), "config": _("configuration file"), "baseline": _("baseline"),
        "checkov": _("checkov skip comment"),
    }.get(kind, kind)


def data_role(role: str) -> str:
    return {
        "stores": _("stores data"), "processes": _("processes data"), "transits": _("carries data"),
        "none": _("no data"), "unknown": _("unknown"),
    }.get(role, role)


def verdict(status: str) -> str:
    """A property of the verdict ledger (hdslint.report.ledger)."""
    return {
        "ok": _("ok"), "finding": _("finding"), "unknown": _("cannot tell"), "not_assessed": _("not assessed"),
        "not_applicable": _("not applicable"),
    }.get(status, status)


def ledger_property(name: str) -> str:
    return {
        "location": _("data location"), "encryption_at_rest": _("encryption at rest"),
        "encryption_in_transit": _("encryption in transit"), "backup": _("backup"), "coverage": _("HDS coverage"),
    }.get(name, name)


def nothing_checked() -> str:
    """The verdict of a scan that found no file to read: never a pass."""
    return _("nothing checked: no infrastructure file found (Terraform, plan JSON, Kubernetes or Scalingo manifests)")


def certification(status: str) -> str:
    """A provider's HDS status in the catalog."""
    words = {"certified": _("certified"), "not_certified": _("not certified"), "unknown": _("unknown")}
    return words.get(status, status)


def secnumcloud(status: str) -> str:
    return {
        "qualified": _("qualified"), "partial": _("partly qualified"), "not_qualified": _("not qualified"),
        "unknown": _("unknown"),
    }.get(status, status)


def yes_no(value: object) -> str:
    """True, False, or unknown (a fact the knowledge does not hold)."""
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return _("unknown")


def confidence(level: str) -> str:
    return {"high": _("high confidence"), "med": _("medium confidence"), "low": _("low confidence")}.get(level, level)


def validity(state: str) -> str:
    """A certificate or a declaration at the scan date."""
    return {
        "valid": _("valid"), "expired": _("expired"), "not_yet_valid": _("not yet valid"),
        "unknown": _("no dates published"), "undated": _("no expiry date given"),
    }.get(state, state)


def place_role(role: str) -> str:
    """The part a place plays in a resource's location (model.Place.role)."""
    return {
        "primary": _("primary"), "replica": _("replica"), "backup": _("backup copy"), "failover": _("failover"),
        "secondary": _("secondary"), "egress": _("sent to"),
    }.get(role, role)


def separate_site(value: str) -> str:
    return {"zone": _("another zone or datacenter"), "region": _("another region")}.get(value, value)


def profile(value: str) -> str:
    return {"default": _("default"), "strict": _("strict (customer-managed keys held in the EEA)"),
            "audit": _("audit (paperwork findings at medium)")}.get(value, value)


def language_name(code: str) -> str:
    return {"en": "English", "fr": "français"}.get(code, code)
