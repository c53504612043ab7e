"""Kubernetes manifests: YAML or JSON, multi-document, `List` kinds, standard input.

Each object becomes a Resource addressed `Kind/namespace/name` (`Kind/name` when it has no
namespace). Where its data lives comes from what the manifest pins (nodeSelector or required
node affinity on topology.kubernetes.io/region, a StorageClass's allowed topologies, a Velero
location's region, an endpoint URL) or else from the cluster: named in the configuration
(`kubernetes.provider` and `kubernetes.region`) or inferred from the one managed cluster the
same scan creates in Terraform. Helm templates are not rendered: they are reported.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from hdslint import endpoints
from hdslint import files as fileio
from hdslint.i18n import _
from hdslint.jsonpos import JObject, JSONError
from hdslint.jsonpos import loads as json_loads
from hdslint.knowledge import POLICIES_DIR, _load, country_names, lookup_region, region_tables
from hdslint.locate import add_value
from hdslint.model import Location, Place, Resource, Undetermined, Value
from hdslint.terraform.config import Problem
from hdslint.terraform.values import Hop, TStr
from hdslint.yamlpos import YAMLError, load_all

# what only a Helm chart writes: whitespace trimming, the chart's objects, its functions
HELM_MARK = re.compile(r"\{\{-|\{\{\s*(?:\.Values|\.Release|\.Chart|\.Capabilities|\.Files|include\s|template\s"
                       r"|toYaml|if\s|range\s|with\s|define\s|end\s*\}\})")
SUPPRESS_ANNOTATION = "hdslint.io/ignore"


@functools.lru_cache(maxsize=None)
def knowledge() -> dict:
    return _load(POLICIES_DIR / "kubernetes" / "knowledge.yaml")


@dataclass
class Cluster:
    """Where the manifests' cluster runs: provider catalog id, region code, and how it is known."""

    catalog: str
    region: str
    hops: tuple
    source: str  # configuration, or a Terraform address


@dataclass
class KubernetesResult:
    resources: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    helm_templates: list = field(default_factory=list)  # Problem-like (file, line, message)
    comments: dict = field(default_factory=dict)
    annotations: list = field(default_factory=list)  # (resource, annotation text)
    analysed_files: set = field(default_factory=set)
    cluster: Cluster | None = None
    cluster_note: str = ""


def is_helm_template(text: str) -> bool:
    return bool(HELM_MARK.search(text))


def looks_like_manifest(head: str) -> bool:
    return "apiVersion" in head and "kind" in head


def read(paths: list, root: str, max_bytes: int, stdin_text: str | None = None) -> KubernetesResult:
    """Parse manifest files (relative paths under root) into resources."""
    import os

    result = KubernetesResult()
    sources = [(rel, None) for rel in paths]
    if stdin_text is not None:
        sources.append(("<stdin>", stdin_text))
    for rel, text in sources:
        if text is None:
            try:
                text = fileio.read_text(os.path.join(root, rel), max_bytes)
            except fileio.Unreadable as e:
                result.problems.append(Problem(rel, e.line, f"{rel} {e.message}"))
                continue
        if "{{" in text and ("/templates/" in f"/{rel}" or is_helm_template(text)):
            result.helm_templates.append(Problem(rel, _first_template_line(text), rel))
            continue
        try:
            docs = [(json_loads(text), 1)] if rel.endswith(".json") else load_all(text)
        except (YAMLError, JSONError) as e:
            if "{{" in text and "}}" in text:
                # placeholders of another templating tool (envsubst, mustache, Jinja): a template
                # to render first, not a broken manifest. Go templates inside strings (Prometheus
                # alert descriptions, Argo workflows) parse as YAML and are analysed.
                result.helm_templates.append(Problem(rel, _first_template_line(text), "template"))
                continue
            result.problems.append(Problem(rel, e.line, _("syntax error: {message}", message=e.message)))
            continue
        result.analysed_files.add(rel)
        result.comments[rel] = _comments(text)
        for doc, line in docs:
            for obj in _objects(doc):
                res = _resource(obj, rel, getattr(obj, "line", line))
                if res is not None:
                    result.resources.append(res)
                    note = _annotation(obj)
                    if note:
                        result.annotations.append((res, note))
    return result


def _first_template_line(text: str) -> int:
    for n, line in enumerate(text.splitlines(), 1):
        if "{{" in line:
            return n
    return 1


def _objects(doc):
    """The Kubernetes objects in a document: itself, or the items of a List."""
    if not isinstance(doc, dict):
        return
    if str(doc.get("kind", "")).endswith("List") and isinstance(doc.get("items"), list):
        for item in doc["items"]:
            if isinstance(item, dict) and "kind" in item:
                yield item
    elif "kind" in doc and "apiVersion" in doc:
        yield doc


def _comments(text: str) -> list:
    """(line, text) of YAML comments: a # at a line start or after a space, outside quotes."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if "#" not in line:
            continue
        quote = None
        for i, ch in enumerate(line):
            if quote:
                if ch == quote:
                    quote = None
            elif ch in "\"'":
                quote = ch
            elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
                out.append((n, line[i:]))
                break
    return out


def _annotation(obj) -> str | None:
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    value = annotations.get(SUPPRESS_ANNOTATION) if isinstance(annotations, dict) else None
    return str(value) if value else None


def _end_line(obj, start: int) -> int:
    end = start
    stack = [obj]
    while stack:
        o = stack.pop()
        if isinstance(o, dict):
            if getattr(o, "key_lines", None):
                end = max(end, max(o.key_lines.values()))
            stack.extend(v for v in o.values() if isinstance(v, (dict, list)))
        elif isinstance(o, list):
            stack.extend(v for v in o if isinstance(v, (dict, list)))
    return end


def _resource(obj, rel: str, line: int) -> Resource | None:
    kind = str(obj.get("kind", ""))
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    name = str(meta.get("name", "") or meta.get("generateName", "") or "(unnamed)")
    namespace = meta.get("namespace")
    address = f"{kind}/{namespace}/{name}" if namespace else f"{kind}/{name}"
    facts = knowledge()["kinds"].get(kind)
    group = str(obj.get("apiVersion", "")).split("/")[0]
    if facts and facts.get("api_group") and facts["api_group"] != group:
        facts = None
    res = Resource(
        address=address, type=kind, name=name, file=rel, line=line, end_line=_end_line(obj, line),
        source_format="kubernetes", provider="kubernetes", module=str(namespace or ""), root="kubernetes",
        facts=dict(facts) if facts else None, data_role=(facts or {}).get("data", "none"),
    )
    res.values = functools.partial(values, obj, rel)
    res.manifest = obj
    return res


def values(obj, rel: str, path: str) -> list:
    """Values at a dotted path (keys may contain '/', as labels and annotations do)."""
    current = [(obj, getattr(obj, "line", None))]
    parts = _split(path)
    for part in parts:
        nxt = []
        for value, line in current:
            if part == "*":
                if isinstance(value, list):
                    nxt.extend((v, getattr(v, "line", line)) for v in value)
            elif isinstance(value, dict) and part in value:
                ln = value.key_lines.get(part, line) if isinstance(value, JObject) else line
                nxt.append((value[part], ln))
        current = nxt
    return [Value(v, rel, ln) for v, ln in current]


def _split(path: str) -> list:
    """spec.template.spec.nodeSelector[topology.kubernetes.io/region] -> [..., 'topology...region']"""
    out = []
    for m in re.finditer(r"\[([^\]]*)\]|([^.\[]+)", path):
        out.append(m.group(1) if m.group(1) is not None else m.group(2))
    return out


# ---- cluster context --------------------------------------------------------------------------------------

def cluster_context(config, terraform_resources: list) -> tuple:
    """(Cluster or None, note): from the configuration, else from the one managed cluster (or
    clusters that agree) created by the scanned Terraform."""
    if config.k8s_provider and config.k8s_region:
        region = TStr(config.k8s_region, (Hop(_("kubernetes.region = {region} (configuration)", region=config.k8s_region),
                                              config.source or ".hdslint.yaml", 1),))
        return Cluster(config.k8s_provider, region, region.hops, "configuration"), ""
    types = set(knowledge()["clusters"])
    found = []
    for res in terraform_resources:
        if res.type in types:
            for place in res.location.places:
                if place.role == "primary":
                    found.append((res, place))
    regions = {(res.catalog, place.region.parent or place.region.code) for res, place in found}
    if len(regions) == 1:
        res, place = found[0]
        hop = Hop(_("cluster {address} runs in {region}", address=res.address, region=place.region.code), res.file,
                  res.line)
        return Cluster(res.catalog, place.region.parent or place.region.code, (hop,) + place.hops, res.address), ""
    if len(regions) > 1:
        names = ", ".join(sorted({r.address for r, _ in found})[:4])
        return None, _("several clusters in the scan ({names}); name the one these manifests run on", names=names)
    return None, _("no managed cluster in the scan and no kubernetes.provider / kubernetes.region in the configuration")


def place(resources: list, cluster: Cluster | None) -> None:
    """Set each manifest resource's location (lazily) from its pins, else from the cluster."""
    classes = {r.name: r for r in resources if r.type == "StorageClass"}
    default_class = next((r for r in classes.values() if _is_default_class(r)), None)
    stores = {r.name: r for r in resources if r.type == "ObjectStore"}
    for res in resources:
        res.catalog = cluster.catalog if cluster else ""
        res.locator = functools.partial(_locate, res, cluster, classes, default_class, stores)
        res.storage_class = functools.partial(_class_of, res, classes, default_class)


def _is_default_class(res) -> bool:
    annotations = (res.manifest.get("metadata") or {}).get("annotations") or {}
    return str(annotations.get("storageclass.kubernetes.io/is-default-class", "")).lower() == "true"


def _class_of(res, classes: dict, default_class):
    """(StorageClass resource or None, how): the class a PVC or claim template uses."""
    spec = res.manifest.get("spec") or {}
    name = spec.get("storageClassName") if isinstance(spec, dict) else None
    if name:
        return classes.get(name), f"storageClassName {name}"
    if default_class is not None:
        return default_class, _("the default StorageClass {name}", name=default_class.name)
    return None, _("no storageClassName and no default StorageClass in the scan")


def pod_spec(res):
    path = (res.facts or {}).get("pod_spec")
    if not path:
        return None
    found = res.values(path)
    return found[0].value if found and isinstance(found[0].value, dict) else None


def pinned_regions(res) -> list:
    """[(region code, label, line)] the pod template requires, from nodeSelector or required node affinity."""
    spec = pod_spec(res)
    if spec is None:
        return []
    topo = knowledge()["topology"]
    keys = set(topo["region"]) | {k for k, v in topo["deprecated"].items() if v in topo["region"]}
    out = []
    selector = spec.get("nodeSelector") or {}
    if isinstance(selector, dict):
        for key in keys:
            if key in selector:
                out.append((str(selector[key]), key, selector.key_lines.get(key, res.line)
                            if isinstance(selector, JObject) else res.line))
    affinity = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
                .get("requiredDuringSchedulingIgnoredDuringExecution") or {})
    for term in affinity.get("nodeSelectorTerms") or [] if isinstance(affinity, dict) else []:
        for expr in (term.get("matchExpressions") or []) if isinstance(term, dict) else []:
            if isinstance(expr, dict) and expr.get("key") in keys and expr.get("operator") == "In":
                for value in expr.get("values") or []:
                    out.append((str(value), expr["key"], getattr(expr, "line", res.line)))
    return out


def _locate(res, cluster: Cluster | None, classes: dict, default_class, stores: dict) -> Location:
    loc = _locate_data(res, cluster, classes, default_class, stores)
    for path, text, line in _egress_strings(res):
        place_endpoint(loc, text, "egress", res.file, line or res.line)
    return loc


def _egress_strings(res):
    """Strings that may name where a workload sends data: container env values, ConfigMap data."""
    if res.type == "ConfigMap":
        yield from string_values(res.manifest.get("data") or {}, "data")
        return
    spec = pod_spec(res)
    if spec is None:
        return
    for kind in ("containers", "initContainers"):
        for c in spec.get(kind) or []:
            if isinstance(c, dict):
                yield from string_values(c.get("env") or [], "env")


def _locate_data(res, cluster: Cluster | None, classes: dict, default_class, stores: dict) -> Location:
    loc = Location()
    kind = res.type
    if kind == "ConfigMap":
        return loc
    if kind in ("BackupStorageLocation", "VolumeSnapshotLocation"):
        return _velero_location(res, cluster)
    if kind == "Cluster":  # CloudNativePG: the database runs in the cluster; its backups go elsewhere
        loc = _cluster_location(res, cluster)
        for dest, line in cnpg_destinations(res, stores):
            place_endpoint(loc, dest, "backup", res.file, line)
        return loc
    pins = pinned_regions(res)
    if pins:
        catalog = cluster.catalog if cluster else ""
        for code, label, line in pins:
            value = TStr(code, (Hop(_("{address} requires nodes with {label}={region}", address=res.address, label=label,
                                      region=code), res.file, line),))
            _add_pinned(loc, catalog, value, res.file, line)
        return loc
    if kind in ("PersistentVolumeClaim", "StatefulSet"):
        sc = _class_of(res, classes, default_class)[0] if kind == "PersistentVolumeClaim" else None
        if sc is not None:
            for value, line in _class_topology(sc):
                _add_pinned(loc, cluster.catalog if cluster else "", value, sc.file, line)
            if loc.places or loc.undetermined:
                return loc
    return _cluster_location(res, cluster)


def _add_pinned(loc: Location, catalog: str, value, file: str, line: int) -> None:
    """A region from a label: looked up in the cluster's provider table, else in every table."""
    if catalog:
        add_value(loc, catalog, value, "primary", file, line)
        return
    matches = [(name, r) for name, table in region_tables().items() if (r := table.lookup(value)) is not None]
    if not matches:
        loc.undetermined.append(Undetermined(_("'{region}' is not a region hdslint knows", region=value), value.hops,
                                             file, line))
    elif len({r.countries for _name, r in matches}) == 1:
        loc.places.append(Place(matches[0][1], "primary", value.hops, file, line))
    else:
        meanings = "; ".join(_("{region} on {provider}", region=r.describe(country_names()), provider=name)
                             for name, r in matches[:4])
        loc.undetermined.append(Undetermined(
            _("'{region}' names different places depending on the provider ({meanings}): set kubernetes.provider",
              region=value, meanings=meanings), value.hops, file, line))


def _cluster_location(res, cluster: Cluster | None) -> Location:
    loc = Location()
    if cluster is None:
        return loc  # reported once for the whole scan (HDS-LOC-005), not per object
    region = lookup_region(cluster.catalog, cluster.region)
    if region is None:
        loc.undetermined.append(Undetermined(_("'{region}' is not a region hdslint knows", region=cluster.region),
                                             cluster.hops, res.file, res.line))
    else:
        hop = Hop(_("{address} runs in the cluster", address=res.address), res.file, res.line)
        loc.places.append(Place(region, "primary", (hop,) + cluster.hops, res.file, res.line))
    return loc


def _class_topology(sc) -> list:
    out = []
    for term in sc.manifest.get("allowedTopologies") or []:
        for expr in (term.get("matchLabelExpressions") or []) if isinstance(term, dict) else []:
            if not isinstance(expr, dict):
                continue
            for value in expr.get("values") or []:
                line = getattr(expr, "line", sc.line)
                out.append((TStr(str(value), (Hop(f"{sc.address} allowedTopologies {expr.get('key')}={value}",
                                                   sc.file, line),)), line))
    return out


# ---- endpoints -----------------------------------------------------------------------------------------------

def place_endpoint(loc: Location, text: str, role: str, file: str, line: int) -> bool:
    found = endpoints.region_of(text)
    if found is None:
        return False
    region, service = found
    hop = Hop(_("{service} endpoint {url}", service=service, url=text), file, line)
    loc.places.append(Place(region, role, (hop,), file, line))
    return True


def string_values(obj, path: str = "", depth: int = 0):
    """(path, text, line) of every string value inside an object (env values, ConfigMap data)."""
    if depth > 40:
        return
    if isinstance(obj, dict):
        for k, v in obj.items():
            line = obj.key_lines.get(k) if isinstance(obj, JObject) else None
            sub = f"{path}.{k}" if path else str(k)
            if isinstance(v, str):
                yield sub, v, line
            else:
                yield from string_values(v, sub, depth + 1)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            sub = f"{path}[{i}]"
            if isinstance(v, str):
                yield sub, v, getattr(obj, "line", None)
            else:
                yield from string_values(v, sub, depth + 1)


# ---- Velero and CloudNativePG --------------------------------------------------------------------------------

def _velero_location(res, cluster: Cluster | None) -> Location:
    loc = Location()
    config = ((res.manifest.get("spec") or {}).get("config") or {})
    provider = str((res.manifest.get("spec") or {}).get("provider", "")).split("/")[-1]
    catalog = {"aws": "aws", "azure": "azure", "gcp": "google"}.get(provider, cluster.catalog if cluster else "")
    url = config.get("s3Url") if isinstance(config, dict) else None
    url_line = config.key_lines.get("s3Url", res.line) if isinstance(config, JObject) else res.line
    if url and place_endpoint(loc, str(url), "primary", res.file, url_line):
        return loc
    region = config.get("region") if isinstance(config, dict) else None
    if region:
        line = config.key_lines.get("region", res.line) if isinstance(config, JObject) else res.line
        value = TStr(str(region), (Hop(f"{res.address} spec.config.region = {region}", res.file, line),))
        if url and catalog == "aws":
            _add_pinned(loc, "", value, res.file, line)  # an S3-compatible store of another provider
        else:
            add_value(loc, catalog, value, "primary", res.file, line) if catalog else _add_pinned(
                loc, "", value, res.file, line)
        alt = config.get("altRegion") if isinstance(config, dict) else None
        if alt:
            aline = config.key_lines.get("altRegion", res.line) if isinstance(config, JObject) else res.line
            add_value(loc, catalog, TStr(str(alt), (Hop(f"{res.address} spec.config.altRegion = {alt}", res.file,
                                                        aline),)), "backup", res.file, aline)
        return loc
    if url:
        loc.undetermined.append(Undetermined(_("endpoint {url} names no region hdslint knows", url=url), (), res.file,
                                             url_line))
        return loc
    loc.undetermined.append(Undetermined(
        _("spec.config names no region (the AWS plugin asks the bucket; other plugins use the cluster's)"), (),
        res.file, res.line))
    return loc


def cnpg_destinations(res, stores: dict) -> list:
    """(text, line) of every CloudNativePG backup destination: the in-tree barmanObjectStore, or
    the Barman Cloud plugin's ObjectStore named in the cluster's plugin parameters."""
    spec = res.manifest.get("spec") or {}
    backup = spec.get("backup") if isinstance(spec.get("backup"), dict) else {}
    out = _store_destinations(backup.get("barmanObjectStore"), res.line)
    for plugin in spec.get("plugins") or []:
        if isinstance(plugin, dict) and plugin.get("name") == "barman-cloud.cloudnative-pg.io":
            name = (plugin.get("parameters") or {}).get("barmanObjectName")
            store = stores.get(name)
            if store is not None:
                config = (store.manifest.get("spec") or {}).get("configuration")
                out += [(text, line) for text, line in _store_destinations(config, store.line)]
    return out


def _store_destinations(store, default_line: int) -> list:
    if not isinstance(store, dict):
        return []
    out = []
    for key in ("endpointURL", "destinationPath"):
        if store.get(key):
            line = store.key_lines.get(key, default_line) if isinstance(store, JObject) else default_line
            out.append((str(store[key]), line))
    creds = store.get("s3Credentials") or {}
    if isinstance(creds, dict) and isinstance(creds.get("region"), str):
        out.append((f"s3.{creds['region']}.amazonaws.com", creds.key_lines.get("region", default_line)
                    if isinstance(creds, JObject) else default_line))
    return out


# ---- verdicts: encryption and backups of manifest objects ---------------------------------------------------

def verdict(ctx, res, kind: str):
    """The at_rest / in_transit / backup verdict of a manifest object (hdslint.protection.Verdict)."""
    from hdslint import protection

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
    from hdslint import protection

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
            next((r for r in ctx.resources if r.type == "StorageClass" and _is_default_class(r)), None)
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
    from hdslint import protection

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
    from hdslint import protection

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
    from hdslint import protection

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
