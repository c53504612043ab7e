"""Encryption and backup verdicts of Kubernetes objects: a claim through its StorageClass, an
Ingress or a Gateway by its TLS settings, a CloudNativePG cluster by its base backups."""
from __future__ import annotations

from hdslint.analysis import protection
from hdslint.analysis.cluster import is_default_class
from hdslint.i18n import _
from hdslint.knowledge.kubernetes import knowledge

# ---- verdicts: encryption and backups of manifest objects ---------------------------------------------------

def verdict(ctx, res, kind: str):
    """The at_rest / in_transit / backup verdict of a manifest object (hdslint.protection.Verdict)."""
    if kind == "at_rest":
        if res.type == "StorageClass":
            facts = knowledge()["storage_classes"].get(str(res.manifest.get("provisioner", "")))
            if facts is None:
                return protection.Verdict("unknown", "default",
                                          _("provisioner {provisioner} is not one hdslint knows",
                                            provisioner=res.manifest.get("provisioner")))
            return protection.decide(res, facts["encryption"], protection.Companions([]))
        if res.type in ("PersistentVolumeClaim", "StatefulSet"):
            return _claims_verdict(ctx, res)
        return None
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
            return protection.Verdict("on", "explicit", _("a Velero schedule"), res.line)
        return None
    return None


def _claims_verdict(ctx, res):
    if res.type == "PersistentVolumeClaim":
        sc, how = res.storage_class()
        if sc is None:
            why = (_("{how}, a StorageClass that is not in the scan", how=how) if how.startswith("storageClassName")
                   else _("{how}: the cluster's default class decides", how=how))
            return protection.Verdict("unknown", "default", why)
        v = ctx.verdict(sc, "at_rest")
        if v is None:
            return None
        return protection.Verdict(v.state, v.how, _("uses {address} ({how}): {detail}", address=sc.address, how=how,
                                                    detail=v.detail), None, cmk=v.cmk)
    verdicts = []
    templates = res.values("spec.volumeClaimTemplates")
    for t in (templates[0].value if templates and isinstance(templates[0].value, list) else []):
        name = ((t.get("spec") or {}).get("storageClassName") if isinstance(t, dict) else None)
        sc = next((r for r in ctx.resources if r.type == "StorageClass" and r.name == name), None) if name else \
            next((r for r in ctx.resources if r.type == "StorageClass" and is_default_class(r)), None)
        if sc is None:
            why = (_("claim template uses StorageClass {name}, not in the scan", name=name) if name
                   else _("claim template uses the default StorageClass, not in the scan"))
            verdicts.append(protection.Verdict("unknown", "default", why))
            continue
        v = ctx.verdict(sc, "at_rest")
        if v is not None:
            verdicts.append(protection.Verdict(v.state, v.how, _("a claim template uses {address}: {detail}",
                                                                 address=sc.address, detail=v.detail),
                                               getattr(t, "line", None), cmk=v.cmk))
    if not verdicts:
        return None
    for state in ("off", "unknown"):
        for v in verdicts:
            if v.state == state:
                return v
    return verdicts[0]


def _ingress_verdict(res):
    spec = res.manifest.get("spec") or {}
    annotations = (res.manifest.get("metadata") or {}).get("annotations") or {}
    ing = knowledge()["ingress"]
    for a in ing["redirect_off"]:
        if str(annotations.get(a["annotation"], "")).lower() == a["equals"]:
            return protection.Verdict("off", "explicit", _("annotation {annotation}: \"{value}\" turns the HTTPS "
                                                           "redirect off", annotation=a["annotation"], value=a["equals"]),
                                      getattr(annotations, "line", None))
    tls = spec.get("tls") or []
    hosts_tls = {h for t in tls if isinstance(t, dict) for h in (t.get("hosts") or [])}
    hosts = [r.get("host") for r in spec.get("rules") or [] if isinstance(r, dict) and r.get("host")]
    forced = any(a["annotation"] in annotations and ("equals" not in a or str(annotations[a["annotation"]]).lower()
                                                      == a["equals"]) for a in ing["redirect_forced"])
    if not tls and not forced:
        return protection.Verdict("off", "default", _("no spec.tls: served over plain HTTP"), res.line)
    missing = [h for h in hosts if h not in hosts_tls and not any(
        t.startswith("*.") and h.endswith(t[1:]) for t in hosts_tls)]
    if missing and not forced:
        return protection.Verdict("off", "explicit", _("host(s) {hosts} have no TLS entry in spec.tls",
                                                       hosts=", ".join(missing)), res.line)
    return protection.Verdict("on", "explicit", _("spec.tls covers every host") if tls else _("HTTPS redirect forced"))


def _gateway_verdict(ctx, res):
    listeners = (res.manifest.get("spec") or {}).get("listeners") or []
    plain = [listener for listener in listeners if isinstance(listener, dict) and listener.get("protocol") == "HTTP"]
    if not plain:
        return protection.Verdict("on", "explicit", _("every listener is HTTPS or TLS"))
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
        return protection.Verdict("on", "companion", _("HTTP listener redirected to HTTPS by an HTTPRoute"))
    names = ", ".join(str(listener.get("name")) for listener in plain)
    return protection.Verdict("off", "explicit", _("HTTP listener(s) {names} without an HTTPRoute redirect to https",
                                                   names=names),
                              getattr(plain[0], "line", res.line))


def _cnpg_backup(ctx, res):
    spec = res.manifest.get("spec") or {}
    store = (spec.get("backup") or {}).get("barmanObjectStore") if isinstance(spec.get("backup"), dict) else None
    plugin = any(isinstance(p, dict) and p.get("name") == "barman-cloud.cloudnative-pg.io"
                 for p in spec.get("plugins") or [])
    if not store and not plugin:
        return protection.Verdict("off", "default", _("no spec.backup.barmanObjectStore and no barman-cloud plugin"),
                                  res.line)
    scheduled = [r for r in ctx.resources if r.type == "ScheduledBackup" and
                 ((r.manifest.get("spec") or {}).get("cluster") or {}).get("name") == res.name]
    if not scheduled:
        return protection.Verdict("unknown", "explicit", _("WAL is archived but no ScheduledBackup for this cluster is "
                                                           "in the scan, so no base backup is known to be taken"),
                                  res.line)
    return protection.Verdict("on", "companion", _("scheduled by {address}", address=scheduled[0].address), None,
                              scheduled)
