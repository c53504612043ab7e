"""Velero, the backup tool of Kubernetes clusters: which volumes its schedules back up, and
whether the bucket of a BackupStorageLocation encrypts what it holds.

Sources: https://velero.io/docs/main/api-types/schedule/ (a schedule's template takes the
fields of a Backup: includedNamespaces, empty or "*" for all; excludedNamespaces;
labelSelector; snapshotVolumes; defaultVolumesToFsBackup) and the BackupStorageLocation
settings of the object store plugins (aws: serverSideEncryption, kmsKeyId,
customerKeyEncryptionFile, s3Url for an S3-compatible store of another provider)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hdslint.analysis.protection import Verdict
from hdslint.i18n import _
from hdslint.knowledge.kubernetes import knowledge
from hdslint.model import Resource
from hdslint.syntax.jsonpos import JObject

if TYPE_CHECKING:
    from hdslint.analysis.scan import ScanView


def _obj(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def namespace_of(res: Resource) -> str:
    """The namespace of a claim; a PersistentVolume's is its claim's (spec.claimRef)."""
    if res.type == "PersistentVolume":
        return str(_obj(_obj(res.manifest.get("spec")).get("claimRef")).get("namespace") or "")
    return str(_obj(res.manifest.get("metadata")).get("namespace") or "default")


def _covers(schedule: Resource, namespace: str, labels: dict[str, Any]) -> bool | None:
    """Whether a schedule backs up the volumes of a claim in this namespace with these labels
    (None: a selector hdslint does not evaluate)."""
    template = _obj(_obj(schedule.manifest.get("spec")).get("template"))
    included = [str(n) for n in template.get("includedNamespaces") or []]
    excluded = [str(n) for n in template.get("excludedNamespaces") or []]
    if (included and "*" not in included and namespace not in included) or namespace in excluded:
        return False
    if template.get("snapshotVolumes") is False and template.get("defaultVolumesToFsBackup") is not True:
        return False  # the schedule keeps the objects, not the data of their volumes
    selector = _obj(template.get("labelSelector"))
    if selector.get("matchExpressions") or template.get("orLabelSelectors"):
        return None
    wanted = _obj(selector.get("matchLabels"))
    return all(str(labels.get(k)) == str(v) for k, v in wanted.items())


def volume_backup(ctx: ScanView, res: Resource) -> Verdict:
    """The backup verdict of a PersistentVolumeClaim or PersistentVolume: on when a Velero
    schedule of the scan takes its namespace; off when the scan's schedules all leave it out;
    unknown when the scan holds no schedule (backups are then decided outside the manifests)."""
    schedules = [r for r in ctx.resources if r.type == "Schedule" and r.facts]
    namespace = namespace_of(res)
    labels = _obj(_obj(res.manifest.get("metadata")).get("labels"))
    if not schedules:
        return Verdict("unknown", "default", reason=_("no Velero schedule in the scan: how its volume is backed up is "
                                                      "decided outside these manifests"),
                       fix=_("Scan the Velero Schedules of the cluster with these manifests, or add one whose "
                             "includedNamespaces holds the namespaces of these volumes."), cause="no-velero-schedule")
    if not namespace:
        return Verdict("unknown", "default", reason=_("a volume bound to no claim: no namespace for a Velero "
                                                      "schedule to take"))
    answers = [(s, _covers(s, namespace, labels)) for s in schedules]
    taking = [s for s, covers in answers if covers is True]
    if taking:
        return Verdict("on", "companion", companions=taking,
                       reason=_("backed up by the Velero schedule(s) {names}",
                                names=", ".join(s.address for s in taking)))
    if any(covers is None for _s, covers in answers):
        return Verdict("unknown", "default", reason=_("the Velero schedules of the scan select by label expressions "
                                                      "hdslint does not evaluate"))
    return Verdict("off", "explicit", line=res.line,
                   reason=_("the Velero schedules of the scan ({names}) leave namespace {namespace} or its volumes out",
                            names=", ".join(s.address for s in schedules), namespace=namespace),
                   fix=_("Add namespace {namespace} to the includedNamespaces of a Velero Schedule (and keep its "
                         "volumes in, with snapshotVolumes or defaultVolumesToFsBackup).", namespace=namespace))


def location_at_rest(res: Resource) -> Verdict:
    """Whether the bucket of a BackupStorageLocation encrypts the backups it holds."""
    spec = _obj(res.manifest.get("spec"))
    config = _obj(spec.get("config"))
    provider = str(spec.get("provider", "")).split("/")[-1]
    for key in ("kmsKeyId", "customerKeyEncryptionFile", "serverSideEncryption"):
        if config.get(key):
            line = config.key_lines.get(key) if isinstance(config, JObject) else None
            return Verdict("on", "explicit", line=line, cmk=key != "serverSideEncryption" or None,
                           reason=_("spec.config.{key} = {value}", key=key, value=config[key]))
    plugin = knowledge().get("velero_providers", {}).get(provider) or {}
    at_rest = plugin.get("at_rest")
    if at_rest and not (provider == "aws" and config.get("s3Url")):
        return Verdict("on", "always", source=at_rest["source"], note=at_rest["note"],
                       reason=_("{provider} object storage encrypts every object it stores", provider=provider))
    where = config.get("s3Url") or provider or "?"
    return Verdict("unknown", "default", reason=_("the bucket behind {where} decides, and the manifests do not say "
                                                  "whether it encrypts", where=where))
