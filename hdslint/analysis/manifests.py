"""Encryption and backup verdicts of Kubernetes objects: a claim, a PersistentVolume or a
CloudNativePG cluster through its StorageClass, an Ingress or a Gateway by its TLS settings, a
CloudNativePG cluster by its base backups (a replica cluster by its source's), backup
destinations by the scheme of their endpoint (plain http:// is unencrypted in transit)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import yaml

from hdslint.analysis import fixes, protection, velero
from hdslint.analysis.cluster import class_of, cnpg_destinations, is_default_class, storage_classes
from hdslint.analysis.protection import Verdict
from hdslint.i18n import Text, _, join
from hdslint.knowledge.kubernetes import knowledge
from hdslint.model import Resource
from hdslint.model.resources import Value
from hdslint.syntax.jsonpos import JObject

if TYPE_CHECKING:
    from hdslint.analysis.scan import ScanView

# ---- verdicts: encryption and backups of manifest objects ---------------------------------------------------

# The kinds whose properties this module judges (verdict below), by property.
# A kind may also carry facts of its own in policies/kubernetes/knowledge.yaml (kinds:).
JUDGED = {
    "at_rest": {"StorageClass", "PersistentVolumeClaim", "StatefulSet", "PersistentVolume", "Cluster",
                "BackupStorageLocation"},
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
                                                              provisioner=res.manifest.get("provisioner")),
                               fix=_("Check in the documentation of {provisioner} whether its volumes are encrypted "
                                     "(and which parameter turns it on), then record it as a suppression with its "
                                     "reason.", provisioner=res.manifest.get("provisioner")),
                               cause=f"provisioner:{res.manifest.get('provisioner')}")
            if "backend_class" in facts:
                return _backend_verdict(ctx, res, facts["backend_class"])
            v = protection.decide(res, facts["encryption"], protection.Companions([]))
            if v is not None and v.fix is None:
                v.fix = fixes.from_facts(res, facts["encryption"])
            return v
        if res.type in ("PersistentVolumeClaim", "StatefulSet"):
            return _claims_verdict(ctx, res)
        if res.type == "PersistentVolume":
            return _volume_verdict(ctx, res)
        if res.type == "Cluster" and res.facts:
            return _classes_verdict(ctx, _cnpg_claims(res))
        if res.type == "BackupStorageLocation" and res.facts:
            return velero.location_at_rest(res)
        return _own_facts(res, kind)
    if kind == "in_transit":
        if res.type == "Ingress":
            return _ingress_verdict(res)
        if res.type == "Gateway":
            return _gateway_verdict(ctx, res)
        if res.type in ("Cluster", "BackupStorageLocation") and res.facts:
            return _backup_transport(ctx, res)
        return _own_facts(res, kind)
    if kind == "backup":
        if res.type == "Cluster" and res.facts:
            return _replica_backup(ctx, res) or _cnpg_backup(ctx, res)
        if res.type == "Schedule" and res.facts:
            return Verdict("on", "explicit", reason=_("a Velero schedule"), line=res.line)
        if res.type in ("PersistentVolumeClaim", "PersistentVolume"):
            return velero.volume_backup(ctx, res)
    return _own_facts(res, kind)


def class_setting(sc: Resource) -> Text | None:
    """The StorageClass's own setting that turns encryption on (from its provisioner's facts)."""
    facts = knowledge()["storage_classes"].get(str(sc.manifest.get("provisioner", ""))) or {}
    return fixes.from_facts(sc, facts.get("encryption"))


def class_cause(name: object) -> str:
    return f"storage-class:{name}" if name else "default-storage-class"


def class_fix(name: object) -> Text:
    """What settles a volume whose StorageClass is not in the scan."""
    if name:
        return _("Scan the StorageClass {name} with these manifests (its provisioner and parameters say whether "
                 "volumes are encrypted), or use a StorageClass of the scan that encrypts.", name=name)
    return _("Set storageClassName to a StorageClass of the scan that encrypts, or scan the cluster's default "
             "StorageClass with these manifests.")


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
            known = _well_known_class(res, str(named)) if named else None
            if known is not None:
                return known
            why = (_("{how}, a StorageClass that is not in the scan", how=how) if named
                   else _("{how}: the cluster's default class decides", how=how))
            return Verdict("unknown", "default", reason=why, fix=class_fix(named), cause=class_cause(named))
        v = ctx.verdict(sc, "at_rest")
        if v is None:
            return None
        return Verdict(v.state, v.how, reason=_("uses {address} ({how}): {detail}", address=sc.address, how=how,
                                                detail=v.detail), cmk=v.cmk, fix=v.fix or class_setting(sc),
                       cause=v.cause)
    templates = res.values("spec.volumeClaimTemplates")
    claims = [((t.get("spec") or {}).get("storageClassName"), getattr(t, "line", None), "claim template")
              for t in (templates[0].value if templates and isinstance(templates[0].value, list) else [])
              if isinstance(t, dict)]
    return _classes_verdict(ctx, claims)


def _backend_verdict(ctx: ScanView, res: Resource, backend: dict[str, str]) -> Verdict:
    """A class whose volumes are served from volumes of another class (OpenEBS dynamic NFS: an
    NFS server pod keeps the data on a volume of its BackendStorageClass): that class's verdict."""
    name = _backend_name(res, backend)
    classes, default_class = storage_classes(ctx.resources)
    sc = classes.get(name) if name else default_class
    v = ctx.verdict(sc, "at_rest") if sc is not None and sc is not res else None
    detail: Text | None = join((sc.address, ": ", v.detail), "") if sc is not None and v is not None else None
    if v is None and name:  # a class the managed service installs, named but not in the scan
        v = _well_known_class(res, name)
        detail = v.detail if v is not None else None
    fix = _("Name a StorageClass that encrypts as {setting} in the {annotation} annotation of {address}.",
            setting=backend["name"], annotation=backend["annotation"], address=res.address)
    if v is not None:
        return Verdict(v.state, v.how, cmk=v.cmk, cause=v.cause, fix=fix if v.state == "off" else v.fix,
                       reason=_("its volumes are kept on volumes of its {setting}: {detail}", setting=backend["name"],
                                detail=detail))
    why = (_("its volumes are kept on volumes of class {name} ({setting}), a StorageClass that is not in the scan",
             name=name, setting=backend["name"]) if name else
           _("no {setting}: its volumes are kept on volumes of the cluster's default class, not in the scan",
             setting=backend["name"]))
    return Verdict("unknown", "default", reason=why, fix=fix, cause=class_cause(name))


def _backend_name(res: Resource, backend: dict[str, str]) -> str | None:
    """The backend class named in an annotation holding a YAML list of {name, value} (cas.openebs.io/config)."""
    annotations = (res.manifest.get("metadata") or {}).get("annotations") or {}
    text = annotations.get(backend["annotation"]) if isinstance(annotations, dict) else None
    if not isinstance(text, str) or len(text) > 65536:
        return None
    try:
        items = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("name") == backend["name"] and isinstance(item.get("value"), str):
            return str(item["value"])
    return None


def _well_known_class(res: Resource, name: str) -> Verdict | None:
    """The verdict of a StorageClass a managed service installs itself (policies/kubernetes
    well_known_classes), judged with its provisioner's facts, when a claim names it."""
    entry = (knowledge().get("well_known_classes") or {}).get(name)
    facts = knowledge()["storage_classes"].get(entry["provisioner"]) if entry else None
    if entry is None or facts is None:
        return None
    manifest = {"provisioner": entry["provisioner"], "parameters": dict(entry.get("parameters") or {})}

    def values(path: str) -> list[Value]:
        node: object = manifest
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        return [Value(node, res.file, res.line)] if node is not None else []

    sc = Resource(address=f"StorageClass/{name}", type="StorageClass", name=name, file=res.file, line=res.line,
                  end_line=res.line, source_format="kubernetes", manifest=manifest, values=values)
    v = protection.decide(sc, facts["encryption"], protection.Companions([]))
    if v is None:
        return None
    detail = entry["note"].rstrip(".") if entry.get("note") and not entry.get("parameters") else v.detail
    tests = facts["encryption"].get("enable") or []
    turn_on = fixes.setting(tests[0]) or (_("{attribute} matching {pattern}", attribute=tests[0]["attribute"],
                                             pattern=tests[0]["matches"]) if tests and "matches" in tests[0] else None)
    fix = _("Set storageClassName of {address} to a StorageClass of your own that encrypts (provisioner {provisioner}, "
            "{setting}), not {name}, which {service} installs unencrypted.", address=res.address,
            provisioner=entry["provisioner"], setting=turn_on, name=name, service=entry["service"]) \
        if v.state == "off" and turn_on else None
    return Verdict(v.state, v.how, cmk=v.cmk, source=facts["encryption"].get("source", ""), fix=fix,
                   reason=_("storageClassName {name}, a class {service} installs (provisioner {provisioner}): {detail}",
                            name=name, service=entry["service"], provisioner=entry["provisioner"], detail=detail))


def _classes_verdict(ctx: ScanView, claims: list[tuple[object, int | None, str]]) -> Verdict | None:
    """The worst at-rest verdict of the StorageClasses some volumes use: (class name or None for
    the default class, line, what asks for it: claim template, storage, walStorage)."""
    verdicts = []
    for name, line, what in claims:
        sc = next((r for r in ctx.resources if r.type == "StorageClass" and r.name == name), None) if name else \
            next((r for r in ctx.resources if r.type == "StorageClass" and is_default_class(r)), None)
        template = what == "claim template"
        if sc is None:
            if template:
                why = (_("claim template uses StorageClass {name}, not in the scan", name=name) if name
                       else _("claim template uses the default StorageClass, not in the scan"))
            else:
                why = (_("{what} uses StorageClass {name}, not in the scan", what=what, name=name) if name
                       else _("{what} uses the default StorageClass, not in the scan", what=what))
            verdicts.append(Verdict("unknown", "default", reason=why, line=None if template else line,
                                    fix=class_fix(name), cause=class_cause(name)))
            continue
        v = ctx.verdict(sc, "at_rest")
        if v is not None:
            reason = (_("a claim template uses {address}: {detail}", address=sc.address, detail=v.detail) if template
                      else _("{what} uses {address}: {detail}", what=what, address=sc.address, detail=v.detail))
            verdicts.append(Verdict(v.state, v.how, reason=reason, line=line, cmk=v.cmk,
                                    fix=v.fix or class_setting(sc), cause=v.cause))
    if not verdicts:
        return None
    for state in ("off", "unknown"):
        for v in verdicts:
            if v.state == state:
                return v
    return verdicts[0]


def _obj(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}


def _cnpg_claims(res: Resource) -> list[tuple[object, int | None, str]]:
    """The volumes of a CloudNativePG cluster: spec.storage and spec.walStorage, each with its
    storageClass (or pvcTemplate.storageClassName; none: the default class)."""
    spec = res.manifest.get("spec") or {}
    out: list[tuple[object, int | None, str]] = []
    for key in ("storage", "walStorage"):
        storage = spec.get(key) if isinstance(spec, dict) else None
        if key == "walStorage" and not isinstance(storage, dict):
            continue
        storage = _obj(storage)
        name = storage.get("storageClass") or _obj(storage.get("pvcTemplate")).get("storageClassName")
        line = (spec.key_lines.get(key) if isinstance(spec, JObject) else None) or res.line
        out.append((name, line, f"spec.{key}"))
    return out


def _volume_verdict(ctx: ScanView, res: Resource) -> Verdict | None:
    """A PersistentVolume through the StorageClass it names; without one, its volume was made
    (and encrypted, or not) outside the manifests."""
    spec = res.manifest.get("spec") or {}
    name = spec.get("storageClassName") if isinstance(spec, dict) else None
    if not name:
        return Verdict("unknown", "default", reason=_("no storageClassName: the volume was made outside these "
                                                      "manifests, which do not say whether it is encrypted"),
                       line=res.line, fix=_("Set spec.storageClassName to a StorageClass of the scan that encrypts, "
                                            "or record how the volume was encrypted as a suppression with its "
                                            "reason."))
    line = spec.key_lines.get("storageClassName") if isinstance(spec, JObject) else None
    return _classes_verdict(ctx, [(name, line, "spec.storageClassName")])


def _backup_transport(ctx: ScanView, res: Resource) -> Verdict | None:
    """A backup destination reached over plain http:// travels unencrypted: a CloudNativePG
    cluster's barmanObjectStore or Barman Cloud ObjectStore endpointURL, a Velero
    BackupStorageLocation's s3Url. Other schemes are not judged here (the database's own
    connections are another matter)."""
    spec = res.manifest.get("spec") or {}
    if not isinstance(spec, dict):
        return None
    if res.type == "BackupStorageLocation":
        config = spec.get("config")
        found = [(str(config["s3Url"]), config.key_lines.get("s3Url", res.line) if isinstance(config, JObject)
                  else res.line)] if isinstance(config, dict) and config.get("s3Url") else []
    else:
        found = cnpg_destinations(res, {r.name: r for r in ctx.resources if r.type == "ObjectStore"
                                        and r.module == res.module})
    for url, line in found:
        if url.strip().lower().startswith("http://"):
            return Verdict("off", "explicit", reason=_("its backups travel over plain HTTP to {url}", url=url),
                           line=line, fix=_("Point it at the object store over https:// instead of {url} (with the "
                                            "store's CA when its certificate is private).", url=url))
    return None


_FOLLOWING: set[int] = set()  # replica clusters whose source's verdict is being decided


def _replica_backup(ctx: ScanView, res: Resource) -> Verdict | None:
    """A CloudNativePG replica cluster (spec.replica.enabled) holds a copy of its source's data:
    its backups are its source's when the source is in the scan, else they cannot be told."""
    spec = res.manifest.get("spec") or {}
    replica = spec.get("replica") if isinstance(spec, dict) and isinstance(spec.get("replica"), dict) else None
    if not replica:
        return None
    primary, this = replica.get("primary"), replica.get("self")
    if replica.get("enabled") is not True and not (primary and this and primary != this):
        return None
    source_name = str(replica.get("source") or primary or "")
    external = next((e for e in spec.get("externalClusters") or [] if isinstance(e, dict)
                     and e.get("name") == source_name), {})
    source = _replica_source(ctx, res, external)
    line = getattr(replica, "line", None) or res.line
    if source is None:
        return Verdict("unknown", "default", reason=_("a replica of {source}, which is not in the scan: its backups "
                                                      "are its source's", source=source_name or "?"), line=line)
    if id(source) in _FOLLOWING:  # two clusters that name each other as source
        return Verdict("unknown", "default", reason=_("replicas of each other: neither says where backups are "
                                                      "taken"), line=line)
    _FOLLOWING.add(id(res))
    try:
        v = ctx.verdict(source, "backup")
    finally:
        _FOLLOWING.discard(id(res))
    if v is None:
        return None
    return Verdict(v.state, "companion", reason=_("a replica of {address}, whose backups it shares: {detail}",
                                                  address=source.address, detail=v.detail), line=line,
                   companions=[source])


def _replica_source(ctx: ScanView, res: Resource, external: dict[str, object]) -> Resource | None:
    """The Cluster of the scan an externalClusters entry names: by its host (<name>-rw...), by
    its serverName, or by the object store path its backups go to."""
    host = str(_obj(external.get("connectionParameters")).get("host") or "")
    store = _obj(external.get("barmanObjectStore"))
    server = str(store.get("serverName") or external.get("name") or "")
    path = str(store.get("destinationPath") or "")
    for c in ctx.resources:
        if c.type != "Cluster" or c is res or not c.facts:
            continue
        own = _obj(_obj(_obj(c.manifest.get("spec")).get("backup")).get("barmanObjectStore"))
        if host and host.split(".")[0] in (f"{c.name}-rw", f"{c.name}-r", f"{c.name}-ro"):
            return c
        if path and isinstance(own, dict) and str(own.get("destinationPath") or "") == path and server in (
                c.name, str(own.get("serverName") or "")):
            return c
    return None


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
        return Verdict("off", "default", reason=_("no spec.tls: served over plain HTTP"), line=res.line,
                       fix=_("Add spec.tls with every host of spec.rules and the secretName of its certificate."))
    missing = [h for h in hosts if h not in hosts_tls and not any(
        t.startswith("*.") and h.endswith(t[1:]) for t in hosts_tls)]
    if missing and not forced:
        return Verdict("off", "explicit", reason=_("host(s) {hosts} have no TLS entry in spec.tls",
                                                   hosts=", ".join(missing)), line=res.line,
                       fix=_("Add {hosts} to the hosts of an entry of spec.tls.", hosts=", ".join(missing)))
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
                       line=res.line, fix=_("Add spec.backup.barmanObjectStore (an object store bucket in another "
                                            "EEA site) and a ScheduledBackup whose spec.cluster.name is {name}.",
                                            name=res.name))
    # a ScheduledBackup names a cluster of its own namespace
    scheduled = [r for r in ctx.resources if r.type == "ScheduledBackup" and r.module == res.module and
                 ((r.manifest.get("spec") or {}).get("cluster") or {}).get("name") == res.name]
    on_demand = [r for r in ctx.resources if r.type == "Backup" and r.module == res.module and
                  ((r.manifest.get("spec") or {}).get("cluster") or {}).get("name") == res.name]
    if not scheduled and on_demand:
        return Verdict("unknown", "explicit", reason=_("WAL is archived and {address} takes a base backup once, but "
                                                       "no ScheduledBackup for this cluster is in the scan, so no "
                                                       "base backup is known to be taken regularly",
                                                       address=on_demand[0].address),
                       line=res.line, fix=_("Add a ScheduledBackup whose spec.cluster.name is {name}.", name=res.name))
    if not scheduled:  # CloudNativePG: "WAL archive alone is useless. Without a physical base backup, you cannot
        # restore" (docs/src/backup.md); base backups are only taken by Backup and ScheduledBackup objects
        return Verdict("off", "explicit", reason=_("WAL is archived, but no ScheduledBackup or Backup for this "
                                                   "cluster is in the scan, and without a base backup the WAL archive "
                                                   "cannot restore it"),
                       line=res.line, fix=_("Add a ScheduledBackup whose spec.cluster.name is {name}.", name=res.name))
    return Verdict("on", "companion", reason=_("scheduled by {address}", address=scheduled[0].address),
                   companions=scheduled)
