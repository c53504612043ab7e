"""The map of transfers outside the EEA (hdslint transfers; the `transfers` list of the JSON report
and the transfers section of the HTML report): text, markdown (a draft of the public page EXI 31
asks for), csv and json, written in the scan's language."""
from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from hdslint import __version__
from hdslint.analysis.transfers import GLOBAL, Basis, Risk, Transfer
from hdslint.i18n import say as _
from hdslint.knowledge.regions import country_name, is_eea

if TYPE_CHECKING:
    from hdslint.rules.context import ScanResult

FORMATS = ("text", "markdown", "csv", "json")


# ---- words -------------------------------------------------------------------------------------------------------

def kind(name: str) -> str:
    return {"storage": _("stored data"), "processing": _("processing"), "remote_access": _("remote access")}[name]


def status(name: str) -> str:
    return {"transfer": _("transfer"), "to_check": _("to check")}[name]


def recipient_kind(name: str) -> str:
    return {"provider": _("provider"), "subcontractor": _("subcontractor"), "saas": _("SaaS service"),
            "unknown": _("unknown")}[name]


def what(t: Transfer) -> str:
    return f"{t.what} {t.setting}" if t.setting else str(t.what)


def recipient(t: Transfer) -> str:
    if t.via:
        return _("{name} (subcontractor of {provider})", name=t.recipient, provider=t.via)
    name = t.recipient or _("unknown")
    extra = [recipient_kind(t.recipient_kind)] if t.recipient_kind != "unknown" else []
    if t.service and t.service != t.recipient:
        extra.append(t.service)
    return f"{name} ({', '.join(extra)})" if extra else name


def country(t: Transfer) -> str:
    if t.country == GLOBAL:
        return country_name(GLOBAL)
    if t.country:
        return f"{country_name(t.country)} ({t.country})"
    if t.candidates:
        outside = [country_name(c) for c in t.candidates if not is_eea([c])]
        if any(is_eea([c]) for c in t.candidates):
            return _("not placed; {recipient} keeps data in the EEA or in {countries}, depending on the account",
                     recipient=t.recipient, countries=", ".join(outside))
        return _("not placed; {recipient} keeps data in {countries}, depending on the account",
                 recipient=t.recipient, countries=", ".join(outside))
    return _("not placed")


def basis(b: Basis) -> str:
    if b.kind == "adequacy" and b.declared_by and not b.decision:
        return _("EU adequacy decision under art. 45 GDPR, declared by {provider}", provider=b.declared_by)
    if b.kind == "adequacy":
        text = _("EU adequacy decision under art. 45 GDPR: {decision}, {date}; scope: {scope}", decision=b.decision,
                 date=b.date, scope=b.scope)
        return _("{basis}; declared by {provider}", basis=text, provider=b.declared_by) if b.declared_by else text
    if b.kind == "safeguards":
        return _("art. 46 GDPR safeguards, declared by {provider}", provider=b.declared_by)
    if b.kind == "safeguards_needed":
        return _("without an EU adequacy decision: art. 46 GDPR safeguards needed")
    return _("none known")


def storage_note(t: Transfer) -> str:
    """What a legal basis does not change: health data is stored only in the EEA (EXI 28)."""
    if t.status == "transfer" and t.kind == "storage":
        return _("HDS EXI 28: health data may be stored only in the EEA, whatever the legal basis")
    return ""


def risk(r: Risk) -> str:
    if r.exposed is None:
        return _("not recorded")
    if not r.exposed:
        return _("none declared by {subject}", subject=r.subject) if r.subject else _("none declared")
    parts = list(r.laws) + [_("the law of {country}", country=country_name(c)) for c in r.countries]
    laws = ", ".join(parts) or _("a non-EEA law")
    return _("{laws} ({subject})", laws=laws, subject=r.subject) if r.subject else laws


def evidence(t: Transfer) -> list[str]:
    out = []
    for e in t.evidence:
        if e.source:
            out.append(_("source {source}", source=e.source))
        elif e.step:
            out.append(f"{e.file}:{e.line} {e.step}")
        else:
            out.append(f"{e.file}:{e.line}")
    return out


def counts(transfers: list[Transfer]) -> tuple[int, int]:
    return sum(t.status == "transfer" for t in transfers), sum(t.status == "to_check" for t in transfers)


def headline(transfers: list[Transfer]) -> str:
    """No transfer to a third country (the words EXI 31 suggests), or how many there are."""
    done, to_check = counts(transfers)
    if not done and not to_check:
        return _("No transfer to a third country.")
    if not done:
        return _("hdslint found no transfer to a third country in the code, but cannot place {count} flow(s): check "
                 "them before stating that there is no transfer to a third country.", count=to_check)
    return _("{transfers} transfer(s) out of the EEA and {to_check} flow(s) to check.", transfers=done,
             to_check=to_check)


# ---- data --------------------------------------------------------------------------------------------------------

def as_dict(t: Transfer) -> dict[str, Any]:
    """One transfer as the JSON outputs hold it (policies/schemas/transfers.schema.json)."""
    return {
        "what": str(t.what), "setting": t.setting, "kind": t.kind, "status": t.status,
        "recipient": t.recipient, "recipient_kind": t.recipient_kind, "service": t.service, "via": t.via or None,
        "country": t.country if t.country != GLOBAL else None, "country_name": country(t),
        "worldwide": t.country == GLOBAL, "place": t.place,
        "basis": {"kind": t.basis.kind, "declared_by": t.basis.declared_by or None,
                  "decision": t.basis.decision or None, "date": t.basis.date or None, "scope": t.basis.scope or None,
                  "source": t.basis.source or None, "text": basis(t.basis)},
        "risk": {"exposed": t.risk.exposed, "subject": t.risk.subject or None, "laws": list(t.risk.laws),
                 "countries": list(t.risk.countries), "source": t.risk.source or None, "text": risk(t.risk)},
        "note": storage_note(t) or None,
        "reason": str(t.reason) if t.reason else None,
        "candidates": list(t.candidates),
        "file": t.file, "line": t.line,
        "evidence": [({"source": e.source} if e.source else {"file": e.file, "line": e.line, "step": str(e.step)})
                     for e in t.evidence],
    }


def as_dicts(transfers: list[Transfer]) -> list[dict[str, Any]]:
    return [as_dict(t) for t in transfers]


# ---- formats -----------------------------------------------------------------------------------------------------

def render(fmt: str, result: ScanResult) -> str:
    """The map in one of FORMATS, in the language in use."""
    transfers = result.context.transfers
    if fmt == "json":
        return json.dumps({"schema_version": 1, "tool": {"name": "hdslint", "version": __version__},
                           "scan": {"root": result.root, "date": result.context.today.isoformat()},
                           "summary": dict(zip(("transfers", "to_check"), counts(transfers), strict=True)),
                           "transfers": as_dicts(transfers)}, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _csv(transfers)
    if fmt == "markdown":
        return _markdown(result, transfers)
    return _text(result, transfers)


def _text(result: ScanResult, transfers: list[Transfer]) -> str:
    out = [_("Map of transfers outside the EEA (HDS EXI 29 to 31): {root}, {date}", root=result.root,
             date=result.context.today.isoformat()), headline(transfers)]
    for t in transfers:
        out.append("")
        out.append(f"{status(t.status):<12}{what(t)}")
        out.append(" " * 12 + f"{kind(t.kind)} → {recipient(t)}, {country(t)}")
        if t.status == "to_check":
            out.append(" " * 12 + _("why: {reason}", reason=t.reason))
        else:
            out.append(" " * 12 + _("legal basis: {basis}", basis=basis(t.basis)))
        out.append(" " * 12 + _("risk under non-EEA law: {risk}", risk=risk(t.risk)))
        if storage_note(t):
            out.append(" " * 12 + storage_note(t))
        out.append(" " * 12 + _("evidence: {evidence}", evidence="; ".join(evidence(t))))
    return "\n".join(out) + "\n"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _markdown(result: ScanResult, transfers: list[Transfer]) -> str:
    done = [t for t in transfers if t.status == "transfer"]
    to_check = [t for t in transfers if t.status == "to_check"]
    out = ["## " + _("Map of transfers of health data outside the EEA"), "",
           _("Draft drawn by hdslint {version} from the infrastructure code of {root} on {date}, for the public page "
             "that article R.1111-11 of the Code de la santé publique and HDS requirements EXI 29 to 31 ask for. "
             "Check and complete it before publishing it.", version=__version__, root=result.root,
             date=result.context.today.isoformat()), "", "**" + headline(transfers) + "**"]
    if done:
        out += ["", "| " + " | ".join([_("data and flow"), _("nature"), _("recipient"), _("country"),
                                       _("legal basis"), _("risk of access under third-country law")]) + " |",
                "|---|---|---|---|---|---|"]
        for t in done:
            note = f". {storage_note(t)}." if storage_note(t) else ""
            out.append(f"| {_cell(what(t))} | {_cell(kind(t.kind))} | {_cell(recipient(t))} | {_cell(country(t))} "
                       f"| {_cell(basis(t.basis) + note)} | {_cell(risk(t.risk))} |")
    if to_check:
        out += ["", "### " + _("Flows to check"), "",
                _("hdslint cannot place the destination of these flows from the code: say where each goes, or "
                  "remove it from the map if it carries no health data."), "",
                "| " + " | ".join([_("data and flow"), _("recipient"), _("country"), _("why it is to check")]) + " |",
                "|---|---|---|---|"]
        for t in to_check:
            out.append(f"| {_cell(what(t))} | {_cell(recipient(t))} | {_cell(country(t))} | {_cell(t.reason)} |")
    if transfers:
        out += ["", "### " + _("Evidence (for the team, not for publication)"), "",
                "| " + _("data and flow") + " | " + _("evidence") + " |", "|---|---|"]
        for t in transfers:
            out.append(f"| {_cell(what(t))} | {_cell('; '.join(evidence(t)))} |")
    return "\n".join(out) + "\n"


CSV_COLUMNS = ("status", "what", "setting", "kind", "recipient", "recipient_kind", "service", "country",
               "country_name", "place", "basis", "basis_text", "risk", "note", "reason", "evidence")


def _csv(transfers: list[Transfer]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for t in transfers:
        writer.writerow([t.status, str(t.what), t.setting, t.kind, t.recipient, t.recipient_kind, t.service,
                         t.country if t.country != GLOBAL else "", country(t), t.place, t.basis.kind, basis(t.basis),
                         risk(t.risk), storage_note(t), str(t.reason) if t.reason else "", " | ".join(evidence(t))])
    return buffer.getvalue()
