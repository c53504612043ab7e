"""Kubernetes manifests: parsing with lines, cluster context, storage encryption, ingress and
gateway TLS, region pins, endpoints, Velero and CloudNativePG backups, suppressions, stdin."""
from __future__ import annotations

from conftest import FIXTURES, finding, line_of, rows, scan
from test_cli import hdslint

from hdslint.model.values import render_chain

K8S = FIXTURES / "kubernetes"
NOT_COVERAGE = ("locality", "parse", "suppression", "encryption", "backup")


def test_storage_classes_and_the_claims_that_use_them():
    d = K8S / "storage"
    result = scan(d, k8s_provider="aws", k8s_region="eu-west-3")
    claims, classes = d / "claims.yaml", d / "classes.yaml"
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-BAK-005", "PersistentVolumeClaim/ehr/records", "claims.yaml", 1),
        ("HDS-ENC-001", "PersistentVolumeClaim/ehr/scans", "claims.yaml", line_of(claims, "apiVersion", 2)),
        ("HDS-ENC-001", "StatefulSet/ehr/postgres", "claims.yaml", line_of(claims, "volumeClaimTemplates") + 1),
        ("HDS-ENC-001", "StorageClass/gp3", "classes.yaml", line_of(classes, "apiVersion", 1)),
        ("HDS-ENC-001", "StorageClass/cinder-plain", "classes.yaml", line_of(classes, "type: high-speed", 2)),
    ]
    msg = {f.resource: f.message for f in result.findings if f.family == "encryption"}
    assert "uses StorageClass/gp3 (the default StorageClass gp3): parameters.encrypted not set" in msg[
        "PersistentVolumeClaim/ehr/scans"]
    # one cause for both claims (no Velero schedule in the scan): one finding that lists them
    backups = str(finding(result, "HDS-BAK-005", "PersistentVolumeClaim/ehr/records").message)
    assert "no Velero schedule in the scan" in backups
    assert backups.endswith("The same holds for 1 other object(s): PersistentVolumeClaim/ehr/scans.")
    assert 'parameters.type = "high-speed", which does not turn it on' in msg["StorageClass/cinder-plain"]
    placed = {r.address: [p.region.code for p in r.location.places] for r in result.context.resources}
    assert placed["PersistentVolumeClaim/ehr/records"] == ["eu-west-3"]  # from the configured cluster


def test_region_pins_endpoints_and_deprecated_labels():
    d = K8S / "pinning"
    wl = d / "workloads.yaml"
    result = scan(d)
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-LOC-001", "Deployment/ehr/api", "workloads.yaml", line_of(wl, "topology.kubernetes.io/region: us-east-1")),
        ("HDS-LOC-001", "Deployment/ehr/api", "workloads.yaml", line_of(wl, "https://s3.us-west-2.amazonaws.com")),
        ("HDS-LOC-006", "CronJob/ehr/report", "workloads.yaml", line_of(wl, "failure-domain.beta")),
        ("HDS-LOC-001", "ConfigMap/ehr/telemetry", "workloads.yaml", line_of(wl, "SENTRY_DSN")),
    ]
    api = [f for f in result.findings if f.resource == "Deployment/ehr/api"]
    assert "processes data in us-east-1" in api[0].message
    assert "sends data to us-west-2 (Oregon, United States)" in api[1].message
    assert "o42.ingest.sentry.io (United States)" in finding(result, "HDS-LOC-001", "ConfigMap/ehr/telemetry").message
    worker = next(r for r in result.context.resources if r.address == "Deployment/ehr/worker")
    assert [p.region.code for p in worker.location.places] == ["eu-west-3"]  # required node affinity


def test_ingress_and_gateway_tls():
    d = K8S / "ingress"
    routes = d / "routes.yaml"
    result = scan(d, k8s_provider="ovh", k8s_region="GRA")
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-ENC-003", "Ingress/web/legacy", "routes.yaml", line_of(routes, "apiVersion", 2)),
        ("HDS-ENC-003", "Ingress/web/partial", "routes.yaml", line_of(routes, "ssl-redirect")),
        ("HDS-ENC-003", "Gateway/web/internal", "routes.yaml", line_of(routes, "- name: http", 3)),  # the 2nd is "- name: https"
    ]
    msg = {f.resource: f.message for f in result.findings}
    assert "no spec.tls: served over plain HTTP" in msg["Ingress/web/legacy"]
    assert 'ssl-redirect: "false" turns the HTTPS redirect off' in msg["Ingress/web/partial"]
    assert "without an HTTPRoute redirect to https" in msg["Gateway/web/internal"]


def test_velero_and_cloudnativepg_backups():
    d = K8S / "backups"
    cnpg, velero = d / "cnpg.yaml", d / "velero.yaml"
    result = scan(d, k8s_provider="ovh", k8s_region="GRA")
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-BAK-001", "Cluster/db/ehr", "cnpg.yaml", 1),
        # a CloudNativePG cluster is encrypted at rest through its StorageClass: the default one, not in the
        # scan, for all three clusters: one finding that lists the others
        ("HDS-ENC-002", "Cluster/db/ehr", "cnpg.yaml", line_of(cnpg, "storage:", 1)),
        ("HDS-LOC-001", "Cluster/db/billing", "cnpg.yaml", line_of(cnpg, "endpointURL: https://s3.us-east-1")),
        ("HDS-ENC-002", "BackupStorageLocation/velero/ovh-sbg", "velero.yaml", 1),
        ("HDS-LOC-001", "BackupStorageLocation/velero/aws-virginia", "velero.yaml", line_of(velero, "region: us-east-1")),
        ("HDS-BAK-004", "Schedule/velero/daily", "velero.yaml", line_of(velero, "ttl: 72h0m0s")),
    ]
    assert "spec.template.ttl = 72h0m0s" in finding(result, "HDS-BAK-004", "Schedule/velero/daily").message
    assert str(finding(result, "HDS-ENC-002", "Cluster/db/ehr").message).endswith(
        "The same holds for 2 other object(s): Cluster/db/billing, Cluster/db/portal.")
    placed = {r.address: [(p.role, p.region.code) for p in r.location.places] for r in result.context.resources}
    assert placed["BackupStorageLocation/velero/ovh-sbg"] == [("primary", "SBG")]
    assert ("backup", "GRA") in placed["Cluster/db/portal"]  # through the plugin's ObjectStore


def test_velero_schedules_back_up_the_volumes_of_the_namespaces_they_take():
    d = K8S / "volume_backups"
    velero, volumes = d / "velero.yaml", d / "volumes.yaml"
    result = scan(d, k8s_provider="aws", k8s_region="eu-west-3")
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-ENC-002", "BackupStorageLocation/velero/minio", "velero.yaml", line_of(velero, "apiVersion", 2)),
        ("HDS-BAK-001", "PersistentVolumeClaim/tools/exports", "volumes.yaml", line_of(volumes, "apiVersion", 2)),
        ("HDS-BAK-001", "PersistentVolumeClaim/billing/invoices", "volumes.yaml", line_of(volumes, "apiVersion", 3)),
    ]
    assert "leave namespace billing or its volumes out" in finding(
        result, "HDS-BAK-001", "PersistentVolumeClaim/billing/invoices").message
    assert "https://s3.fr-par.scw.cloud decides" in finding(
        result, "HDS-ENC-002", "BackupStorageLocation/velero/minio").message
    backed = {r.address: result.context.verdict(r, "backup") for r in result.context.resources}
    assert backed["PersistentVolumeClaim/ehr/documents"].companions[0].address == "Schedule/velero/nightly"
    assert backed["PersistentVolume/imported-scans"].state == "on"  # its claim is in ehr


def test_cluster_context_inferred_from_terraform():
    result = scan(K8S / "eks_context")
    api = next(r for r in result.context.resources if r.address == "Deployment/ehr/api")
    [place] = api.location.places
    assert place.region.code == "eu-west-1"
    assert render_chain(place.hops) == ("Deployment/ehr/api runs in the cluster (k8s/app.yaml:1) <- cluster "
                                        "aws_eks_cluster.main runs in eu-west-1 (main.tf:5) <- provider.aws region = "
                                        '"eu-west-1" (main.tf:2)')


def test_ambiguous_region_codes_need_the_cluster_provider(tmp_path):
    (tmp_path / "app.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n"
        "      nodeSelector: {topology.kubernetes.io/region: eu-west-2}\n      containers: [{name: x, image: x}]\n")
    result = scan(tmp_path)
    f = finding(result, "HDS-LOC-002", "Deployment/x")
    assert "names different places depending on the provider" in f.message and "London" in f.message
    assert rows(scan(tmp_path, k8s_provider="outscale", k8s_region="eu-west-2"), families=NOT_COVERAGE) == []
    assert [r[0] for r in rows(scan(tmp_path, k8s_provider="aws", k8s_region="eu-west-3"),
                               families=NOT_COVERAGE)] == ["HDS-LOC-001"]


def test_helm_templates_lists_json_suppressions_and_unknown_clusters():
    d = K8S / "misc"
    result = scan(d)
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-PARSE-004", "", "Chart.yaml", 1),  # the chart, with no helm to render it
        ("HDS-PARSE-004", "", "chart/templates/deployment.yaml", 4),  # not in the chart's templates/: not rendered
        ("HDS-BAK-005", "PersistentVolumeClaim/ehr/uploads", "list.json", 5),
        ("HDS-ENC-002", "PersistentVolumeClaim/ehr/uploads", "list.json", 5),
        ("HDS-LOC-005", "", "list.json", 5),
    ]
    assert sorted(r[1] for r in rows(result, suppressed=True)) == ["Deployment/demo/loadtest", "Deployment/demo/sandbox"]
    templates = {f.file: f.message for f in result.findings if f.rule_id == "HDS-PARSE-004"}
    assert "helm template my-release . | hdslint scan -" in templates["chart/templates/deployment.yaml"]  # its chart: .
    assert "Run `helm template api . | hdslint scan -`" in templates["Chart.yaml"]
    assert "local-fast, a StorageClass that is not in the scan" in finding(
        result, "HDS-ENC-002", "PersistentVolumeClaim/ehr/uploads").message


def test_broken_and_hostile_yaml_are_parse_findings(tmp_path):
    (tmp_path / "bad.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n")
    (tmp_path / "tag.yaml").write_text("apiVersion: v1\nkind: ConfigMap\ndata: !!python/object:os.system x\n")
    bomb = "apiVersion: v1\nkind: ConfigMap\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(7))
    (tmp_path / "bomb.yaml").write_text(bomb)
    result = scan(tmp_path)
    got = {f.file: f.message for f in result.findings if f.rule_id == "HDS-PARSE-001"}
    assert set(got) == {"bad.yaml", "tag.yaml", "bomb.yaml"}
    assert "custom tag" in got["tag.yaml"] and "alias bomb" in got["bomb.yaml"]


def test_standard_input():
    manifest = (K8S / "pinning" / "workloads.yaml").read_text()
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "hdslint", "scan", "-", "--format", "json", "--fail-on", "none"],
                         input=manifest, capture_output=True, text=True, cwd=K8S / "pinning", timeout=60)
    import json

    doc = json.loads(out.stdout)
    assert {(f["rule_id"], f["file"]) for f in doc["findings"]} >= {("HDS-LOC-001", "<stdin>")}
    assert hdslint("scan", "-", cwd=K8S / "pinning").returncode in (0, 1)


def test_templates_of_other_tools_are_reported_as_templates():
    """A manifest with {{ }} placeholders that is not YAML as written is a template to render,
    not a broken file; one that is valid YAML as written is analysed like any manifest."""
    d = K8S / "templates"
    result = scan(d)
    assert rows(result, families=("parse",)) == [
        ("HDS-PARSE-004", "", "secret-template.yaml", line_of(d / "secret-template.yaml", "{{config_data}}"))]
    assert "is a template ({{ }} placeholders) that is not YAML as written" in result.findings[0].message
    assert [r.address for r in result.context.resources] == ["PrometheusRule/monitoring/db-alerts",
                                                             "Service/etcd-{{cell}}"]
    assert (result.files_analysed, result.files_reported) == (2, 1)


def test_volumes_and_cloudnativepg_clusters_through_their_storage_class():
    """PersistentVolumes and CloudNativePG clusters are encrypted at rest as their StorageClass
    is; backups over plain http:// travel unencrypted; a replica cluster's backups are its
    source's."""
    d = K8S / "volumes"
    classes, volumes, dbs = d / "classes.yaml", d / "volumes.yaml", d / "databases.yaml"
    result = scan(d, k8s_provider="ovh", k8s_region="GRA")
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-ENC-001", "StorageClass/csi-cinder-high-speed", "classes.yaml", line_of(classes, "type: high-speed")),
        # its data is on an encrypted class, its WAL is not
        ("HDS-ENC-001", "Cluster/db/ehr", "databases.yaml", line_of(dbs, "walStorage:")),
        ("HDS-ENC-003", "Cluster/db/ehr", "databases.yaml", line_of(dbs, "endpointURL: http://")),
        # replicas (billing-replica, ehr-replica) need no backups of their own: their sources' count
        ("HDS-ENC-002", "BackupStorageLocation/velero/minio", "databases.yaml", line_of(dbs, "kind: BackupStorageLocation") - 1),
        ("HDS-ENC-003", "BackupStorageLocation/velero/minio", "databases.yaml", line_of(dbs, "s3Url: http://")),
        # no Velero schedule in the scan: how the volumes are backed up is decided elsewhere (one finding for both)
        ("HDS-BAK-005", "PersistentVolume/scans-archive", "volumes.yaml", line_of(volumes, "apiVersion", 1)),
        ("HDS-ENC-001", "PersistentVolume/scans-archive", "volumes.yaml", line_of(volumes, "storageClassName:")),
        ("HDS-ENC-002", "PersistentVolume/imported", "volumes.yaml", line_of(volumes, "apiVersion", 2)),
    ]
    msg = {(f.rule_id, f.resource): str(f.message) for f in result.findings}
    assert msg[("HDS-ENC-003", "Cluster/db/ehr")] == (
        "Cluster/db/ehr lets data travel without enforced encryption: its backups travel over plain HTTP to "
        "http://minio.backup.svc:9000.")
    assert "spec.walStorage uses StorageClass/csi-cinder-high-speed" in msg[("HDS-ENC-001", "Cluster/db/ehr")]
    replicas = [r for r in result.context.resources if r.address in ("Cluster/db/ehr-replica",
                                                                      "Cluster/db/billing-replica")]
    assert len(replicas) == 2 and [result.context.verdict(r, "backup") for r in replicas] == [None, None]


def test_a_replica_cluster_needs_no_backups_of_its_own(tmp_path):
    (tmp_path / "db.yaml").write_text(
        "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: src, namespace: db}\n"
        "spec: {instances: 1, storage: {size: 1Gi}}\n---\n"
        "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: copy, namespace: db}\n"
        "spec:\n  instances: 1\n  storage: {size: 1Gi}\n  replica: {enabled: true, source: src}\n"
        "  externalClusters:\n    - name: src\n      connectionParameters: {host: src-rw}\n")
    result = scan(tmp_path, k8s_provider="ovh", k8s_region="GRA")
    # the source has none: one finding, on the source, not a second one on its copy
    assert [r[:2] for r in rows(result, families=("backup",))] == [("HDS-BAK-001", "Cluster/db/src")]


def test_nfs_classes_take_the_encryption_of_their_backend_class():
    """OpenEBS dynamic NFS keeps each volume on a volume of its BackendStorageClass: that class decides."""
    d = K8S / "nfs_backend"
    classes = d / "classes.yaml"
    result = scan(d)
    assert [r for r in rows(result) if r[0].startswith("HDS-ENC")] == [
        ("HDS-ENC-001", "StorageClass/nfs-on-high-speed", "classes.yaml", line_of(classes, "apiVersion:", 1)),
        ("HDS-ENC-002", "StorageClass/nfs-on-default", "classes.yaml", line_of(classes, "apiVersion:", 4)),
    ]
    by = {r.address: r for r in result.context.resources}
    luks = result.context.verdict(by["StorageClass/nfs-on-luks"], "at_rest")
    assert luks.state == "on" and "BackendStorageClass: StorageClass/cinder-luks: parameters.type" in str(luks.detail)
    # an annotation that is not YAML is no backend class: the cluster's default decides, unknown
    assert result.context.verdict(by["StorageClass/nfs-broken-config"], "at_rest").state == "unknown"
    enc = finding(result, "HDS-ENC-001", "StorageClass/nfs-on-high-speed")
    assert "kept on volumes of its BackendStorageClass: storageClassName csi-cinder-high-speed" in str(enc.message)
    assert str(enc.remediation) == ("Name a StorageClass that encrypts as BackendStorageClass in the "
                                    "cas.openebs.io/config annotation of StorageClass/nfs-on-high-speed.")
