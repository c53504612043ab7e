"""Encryption and backup verdicts of Kubernetes objects: a claim through its StorageClass, an
Ingress or a Gateway by its TLS settings, a CloudNativePG cluster by its base backups."""
from __future__ import annotations

from typing import TYPE_CHECKING

from hdslint.analysis import protection, velero
from hdslint.analysis.cluster import class_of, is_default_class, storage_classes
from hdslint.analysis.protection import Verdict
from hdslint.i18n import _
from hdslint.knowledge.kubernetes import knowledge
from hdslint.model import Resource

if TYPE_CHECKING:
    from hdslint.analysis.scan import ScanView

# ---- verdicts: encryption and backups of manifest objects ---------------------------------------------------

# The kinds whose properties this module judges (verdict below), by property.
# A kind may also carry facts of its own in policies/kubernetes/knowledge.yaml (kinds:).
JUDGED = {
    "at_rest": {"StorageClass", "PersistentVolumeClaim", "StatefulSet", "BackupStorageLocation"},
    "in_transit": {"Ingress", "Gateway"},
    "backup": {"Cluster", "Schedule", "PersistentVolumeClaim", "PersistentVolume"},
}


def verdict(ctx: ScanView, res: Resource, kind: str) -> Verdict | None:
    """The at_rest / in_transit / backup verdict of a manifest object (hdslint.protection.Verdict)."""
    if kind == "at_rest":
        if res.type == "StorageClass":
            facts = knowledge()["storage_classes"].get(str(res.manifest.get("provisioner", "")))
            if facts is None:
                return Verdict("unknown", "default", reason=_("provisioner {provisioner} is not one hdslint knows",
                                                              provisioner=res.manifest.get("provisioner")))
            return protection.decide(res, facts["encryption"], protection.Companions([]))
        if res.type in ("PersistentVolumeClaim", "StatefulSet"):
            return _claims_verdict(ctx, res)
        if res.type == "BackupStorageLocation" and res.facts:
            return velero.location_at_rest(res)
        return _own_facts(res, kind)
    if kind == "in_transit":
        if res.type == "Ingress":
            return _ingress_verdict(res)
        if res.type == "Gateway":
            return _gateway_verdict(ctx, res)
        return None
    if kind == "backup":
        if res.type == "Cluster" and res.facts:
            return _cnpg_backup(ctx, res)
        if res.type == "Schedule" and res.facts:
            return Verdict("on", "explicit", reason=_("a Velero schedule"), line=res.line)
        if res.type in ("PersistentVolumeClaim", "PersistentVolume"):
            return velero.volume_backup(ctx, res)
    return _own_facts(res, kind)


def _own_facts(res: Resource, kind: str) -> Verdict | None:
    """A kind's own facts in policies/kubernetes/knowledge.yaml, read as Terraform facts are."""
    facts = res.facts or {}
    side = facts.get("backup") if kind == "backup" else (facts.get("encryption") or {}).get(kind)
    return protection.decide(res, side, protection.Companions([])) if side else None


def _claims_verdict(ctx: ScanView, res: Resource) -> Verdict | None:
    if res.type == "PersistentVolumeClaim":
        sc, how = class_of(res, *storage_classes(ctx.resources))
        if sc is None:
            named = (res.manifest.get("spec") or {}).get("storageClassName")
            why = (_("{how}, a StorageClass that is not in the scan", how=how) if named
                   else _("{how}: the cluster's default class decides", how=how))
            return Verdict("unknown", "default", reason=why)
        v = ctx.verdict(sc, "at_rest")
        if v is None:
            return None
        return Verdict(v.state, v.how, reason=_("uses {address} ({how}): {detail}", address=sc.address, how=how,
                                                detail=v.detail), cmk=v.cmk)
    verdicts = []
    templates = res.values("spec.volumeClaimTemplates")
    for t in (templates[0].value if templates and isinstance(templates[0].value, list) else []):
        name = ((t.get("spec") or {}).get("storageClassName") if isinstance(t, dict) else None)
        sc = next((r for r in ctx.resources if r.type == "StorageClass" and r.name == name), None) if name else \
            next((r for r in ctx.resources if r.type == "StorageClass" and is_default_class(r)), None)
        if sc is None:
            why = (_("claim template uses StorageClass {name}, not in the scan", name=name) if name
                   else _("claim template uses the default StorageClass, not in the scan"))
            verdicts.append(Verdict("unknown", "default", reason=why))
            continue
        v = ctx.verdict(sc, "at_rest")
        if v is not None:
            verdicts.append(Verdict(v.state, v.how, reason=_("a claim template uses {address}: {detail}",
                                                             address=sc.address, detail=v.detail),
                                    line=getattr(t, "line", None), cmk=v.cmk))
    if not verdicts:
        return None
    for state in ("off", "unknown"):
        for v in verdicts:
            if v.state == state:
                return v
    return verdicts[0]


def _ingress_verdict(res: Resource) -> Verdict:
    spec = res.manifest.get("spec") or {}
    annotations = (res.manifest.get("metadata") or {}).get("annotations") or {}
    ing = knowledge()["ingress"]
    for a in ing["redirect_off"]:
        if str(annotations.get(a["annotation"], "")).lower() == a["equals"]:
            return Verdict("off", "explicit", reason=_("annotation {annotation}: \"{value}\" turns the HTTPS "
                                                       "redirect off", annotation=a["annotation"], value=a["equals"]),
                           line=getattr(annotations, "line", None))
    tls = spec.get("tls") or []
    hosts_tls = {h for t in tls if isinstance(t, dict) for h in (t.get("hosts") or [])}
    hosts = [str(r["host"]) for r in spec.get("rules") or [] if isinstance(r, dict) and r.get("host")]
    forced = any(a["annotation"] in annotations and ("equals" not in a or str(annotations[a["annotation"]]).lower()
                                                      == a["equals"]) for a in ing["redirect_forced"])
    if not tls and not forced:
        return Verdict("off", "default", reason=_("no spec.tls: served over plain HTTP"), line=res.line)
    missing = [h for h in hosts if h not in hosts_tls and not any(
        t.startswith("*.") and h.endswith(t[1:]) for t in hosts_tls)]
    if missing and not forced:
        return Verdict("off", "explicit", reason=_("host(s) {hosts} have no TLS entry in spec.tls",
                                                   hosts=", ".join(missing)), line=res.line)
    return Verdict("on", "explicit", reason=_("spec.tls covers every host") if tls else _("HTTPS redirect forced"))


def _gateway_verdict(ctx: ScanView, res: Resource) -> Verdict:
    listeners = (res.manifest.get("spec") or {}).get("listeners") or []
    plain = [listener for listener in listeners if isinstance(listener, dict) and listener.get("protocol") == "HTTP"]
    if not plain:
        return Verdict("on", "explicit", reason=_("every listener is HTTPS or TLS"))
    redirects = False
    for route in ctx.resources:
        if route.type != "HTTPRoute":
            continue
        parents = (route.manifest.get("spec") or {}).get("parentRefs") or []
        if not any(isinstance(p, dict) and p.get("name") == res.name for p in parents):
            continue
        for rule in (route.manifest.get("spec") or {}).get("rules") or []:
            for f in (rule.get("filters") or []) if isinstance(rule, dict) else []:
                if isinstance(f, dict) and f.get("type") == "RequestRedirect" and \
                        (f.get("requestRedirect") or {}).get("scheme") == "https":
                    redirects = True
    if redirects:
        return Verdict("on", "companion", reason=_("HTTP listener redirected to HTTPS by an HTTPRoute"))
    names = ", ".join(str(listener.get("name")) for listener in plain)
    return Verdict("off", "explicit", reason=_("HTTP listener(s) {names} without an HTTPRoute redirect to https",
                                               names=names), line=getattr(plain[0], "line", res.line))


def _cnpg_backup(ctx: ScanView, res: Resource) -> Verdict:
    spec = res.manifest.get("spec") or {}
    store = (spec.get("backup") or {}).get("barmanObjectStore") if isinstance(spec.get("backup"), dict) else None
    plugin = any(isinstance(p, dict) and p.get("name") == "barman-cloud.cloudnative-pg.io"
                 for p in spec.get("plugins") or [])
    if not store and not plugin:
        return Verdict("off", "default", reason=_("no spec.backup.barmanObjectStore and no barman-cloud plugin"),
                       line=res.line)
    scheduled = [r for r in ctx.resources if r.type == "ScheduledBackup" and
                 ((r.manifest.get("spec") or {}).get("cluster") or {}).get("name") == res.name]
    if not scheduled:
        return Verdict("unknown", "explicit", reason=_("WAL is archived but no ScheduledBackup for this cluster is "
                                                       "in the scan, so no base backup is known to be taken"),
                       line=res.line)
    return Verdict("on", "companion", reason=_("scheduled by {address}", address=scheduled[0].address),
                   companions=scheduled)
