"""Where the data of Kubernetes objects lives: what a manifest pins (nodeSelector or required
node affinity on topology.kubernetes.io/region, a StorageClass's allowed topologies, a Velero
location's region, an endpoint URL), else the cluster's own location: named in the
configuration (`kubernetes.provider` and `kubernetes.region`) or inferred from the one managed
cluster the same scan creates in Terraform.
"""
from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hdslint.analysis.location import add_value
from hdslint.i18n import Text, _, join
from hdslint.knowledge import endpoints
from hdslint.knowledge.kubernetes import knowledge
from hdslint.knowledge.regions import country_names, lookup_region, region_tables
from hdslint.model import Hop, Location, Place, Resource, TStr, Undetermined
from hdslint.syntax.jsonpos import JObject

if TYPE_CHECKING:
    from hdslint.config import Config


@dataclass
class Cluster:
    """Where the manifests' cluster runs: provider catalog id, region code, and how it is known."""

    catalog: str
    region: str
    hops: tuple[Hop, ...]
    source: str  # configuration, or a Terraform address


# ---- cluster context --------------------------------------------------------------------------------------

def cluster_context(config: Config, terraform_resources: list[Resource]) -> tuple[Cluster | None, Text]:
    """(Cluster or None, note): from the configuration, else from the one managed cluster (or
    clusters that agree) created by the scanned Terraform."""
    if config.k8s_provider and config.k8s_region:
        hop = Hop(_("kubernetes.region = {region} (configuration)", region=config.k8s_region),
                  config.source or ".hdslint.yaml", 1)
        region = TStr(config.k8s_region, (hop,))
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


def place(resources: list[Resource], cluster: Cluster | None) -> None:
    """Set each manifest resource's location (lazily) from its pins, else from the cluster."""
    classes, default_class = storage_classes(resources)
    stores = {r.name: r for r in resources if r.type == "ObjectStore"}
    for res in resources:
        res.catalog = cluster.catalog if cluster else ""
        res.locator = functools.partial(_locate, res, cluster, classes, default_class, stores)


def storage_classes(resources: list[Resource]) -> tuple[dict[str, Resource], Resource | None]:
    """The StorageClasses of the scan by name, and the default one."""
    classes = {r.name: r for r in resources if r.type == "StorageClass"}
    return classes, next((r for r in classes.values() if is_default_class(r)), None)


def is_default_class(res: Resource) -> bool:
    annotations = (res.manifest.get("metadata") or {}).get("annotations") or {}
    return str(annotations.get("storageclass.kubernetes.io/is-default-class", "")).lower() == "true"


def class_of(res: Resource, classes: dict[str, Resource],
             default_class: Resource | None) -> tuple[Resource | None, Text]:
    """(StorageClass resource or None, how): the class a PVC or claim template uses."""
    spec = res.manifest.get("spec") or {}
    name = spec.get("storageClassName") if isinstance(spec, dict) else None
    if name:
        return classes.get(name), f"storageClassName {name}"
    if default_class is not None:
        return default_class, _("the default StorageClass {name}", name=default_class.name)
    return None, _("no storageClassName and no default StorageClass in the scan")


def pod_spec(res: Resource) -> dict[str, Any] | None:
    path = (res.facts or {}).get("pod_spec")
    if not path:
        return None
    found = res.values(path)
    return found[0].value if found and isinstance(found[0].value, dict) else None


def pinned_regions(res: Resource) -> list[tuple[str, str, int]]:
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


def _locate(res: Resource, cluster: Cluster | None, classes: dict[str, Resource], default_class: Resource | None,
            stores: dict[str, Resource]) -> Location:
    loc = _locate_data(res, cluster, classes, default_class, stores)
    for setting, text, line in egress_strings(res):
        place_endpoint(loc, text, "egress", res.file, line or res.line, setting)
    return loc


def egress_strings(res: Resource) -> Iterator[tuple[str, str, int | None]]:
    """(setting, text, line) of the strings that may name where a workload sends data: container
    env values (setting env.NAME), ConfigMap data (data.KEY)."""
    if res.type == "ConfigMap":
        yield from string_values(res.manifest.get("data") or {}, "data")
        return
    for entry, line in env_entries(res):
        value = entry.get("value")
        if isinstance(value, str):
            yield f"env.{entry.get('name')}", value, line
        elif isinstance(value, (dict, list)):
            yield from string_values(value, f"env.{entry.get('name')}")


def env_entries(res: Resource) -> Iterator[tuple[dict[str, Any], int | None]]:
    """(entry, line) of each env entry ({name, value} or {name, valueFrom}) of a pod template's containers."""
    spec = pod_spec(res)
    if spec is None:
        return
    for kind in ("containers", "initContainers"):
        for c in spec.get(kind) or []:
            env = c.get("env") if isinstance(c, dict) else None
            for entry in env if isinstance(env, list) else []:
                if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                    line = entry.key_lines.get("value", entry.line) if isinstance(entry, JObject) else None
                    yield entry, line


def _locate_data(res: Resource, cluster: Cluster | None, classes: dict[str, Resource], default_class: Resource | None,
                 stores: dict[str, Resource]) -> Location:
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
            why = _("{address} requires nodes with {label}={region}", address=res.address, label=label, region=code)
            value = TStr(code, (Hop(why, res.file, line),))
            _add_pinned(loc, catalog, value, res.file, line)
        return loc
    if kind in ("PersistentVolumeClaim", "StatefulSet"):
        sc = class_of(res, classes, default_class)[0] if kind == "PersistentVolumeClaim" else None
        if sc is not None:
            for value, line in _class_topology(sc):
                _add_pinned(loc, cluster.catalog if cluster else "", value, sc.file, line)
            if loc.places or loc.undetermined:
                return loc
    return _cluster_location(res, cluster)


def _add_pinned(loc: Location, catalog: str, value: TStr, file: str, line: int) -> None:
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
        meanings = join((_("{region} on {provider}", region=r.describe(country_names()), provider=name)
                         for name, r in matches[:4]), "; ")
        loc.undetermined.append(Undetermined(
            _("'{region}' names different places depending on the provider ({meanings}): set kubernetes.provider",
              region=value, meanings=meanings), value.hops, file, line))


def _cluster_location(res: Resource, cluster: Cluster | None) -> Location:
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


def _class_topology(sc: Resource) -> list[tuple[TStr, int]]:
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

def place_endpoint(loc: Location, text: str, role: str, file: str, line: int, setting: str = "") -> bool:
    found = endpoints.region_of(text)
    if found is None:
        return False
    region, service = found
    hop = Hop(_("{service} endpoint {url}", service=service, url=text), file, line)
    loc.places.append(Place(region, role, (hop,), file, line, service, setting))
    return True


def string_values(obj: object, path: str = "", depth: int = 0) -> Iterator[tuple[str, str, int | None]]:
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

def _velero_location(res: Resource, cluster: Cluster | None) -> Location:
    loc = Location()
    config = ((res.manifest.get("spec") or {}).get("config") or {})
    provider = str((res.manifest.get("spec") or {}).get("provider", "")).split("/")[-1]
    plugin = knowledge().get("velero_providers", {}).get(provider)
    catalog = plugin["catalog"] if plugin else (cluster.catalog if cluster else "")
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


def cnpg_destinations(res: Resource, stores: dict[str, Resource]) -> list[tuple[str, int]]:
    """(text, line) of every CloudNativePG backup destination: the in-tree barmanObjectStore, or
    the Barman Cloud plugin's ObjectStore named in the cluster's plugin parameters."""
    spec = res.manifest.get("spec") or {}
    backup = spec["backup"] if isinstance(spec.get("backup"), dict) else {}
    out = _store_destinations(backup.get("barmanObjectStore"), res.line)
    for plugin in spec.get("plugins") or []:
        if isinstance(plugin, dict) and plugin.get("name") == "barman-cloud.cloudnative-pg.io":
            name = (plugin.get("parameters") or {}).get("barmanObjectName")
            store = stores.get(str(name))
            if store is not None:
                config = (store.manifest.get("spec") or {}).get("configuration")
                out += [(text, line) for text, line in _store_destinations(config, store.line)]
    return out


def _store_destinations(store: object, default_line: int) -> list[tuple[str, int]]:
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
