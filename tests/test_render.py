"""Kubernetes as teams ship it: Helm charts rendered by the real helm, kustomizations built by
the real kubectl, ArgoCD Applications and ApplicationSets rendered as they say; what cannot be
rendered is one finding per chart or kustomization, with the command to run; failures are
findings with the program's message, and the rest of the scan goes on. Rendering paths use the
real programs (helm_bin, kubectl_bin); fakes only stand in for failures."""
from __future__ import annotations

import json
import os
import shutil
import stat
import textwrap
from pathlib import Path

import pytest
from conftest import FIXTURES, line_of, rows, scan
from test_cli import hdslint

from hdslint.formats import argocd, helm
from hdslint.report import RenderOptions, render

RENDER = FIXTURES / "kubernetes" / "render"
JUDGED = ("parse", "encryption", "backup", "locality")


def tree(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def fake(folder: Path, name: str, script: str) -> str:
    """A stand-in program (a shell script) for failure paths. The programs run with an empty
    PATH (the sandbox's), so the commands the script uses are written with their full path:
    {sleep}, {env}, {yes}, {head}, {touch}."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    script = textwrap.dedent(script)
    for tool in ("sleep", "env", "yes", "head", "touch"):
        script = script.replace("{" + tool + "}", shutil.which(tool) or tool)
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


# ---- Helm charts --------------------------------------------------------------------------------------

def test_a_chart_is_rendered_by_helm_with_its_defaults(helm_bin):
    d = RENDER / "helm"
    chart = d / "charts" / "records" / "templates"
    before = tree(d)
    result = scan(d, helm_bin=helm_bin, k8s_provider="aws", k8s_region="eu-west-3")
    assert rows(result, families=JUDGED) == [
        ("HDS-BAK-001", "Cluster/records-db", "charts/records/templates/database.yaml", 1),
        ("HDS-ENC-001", "Cluster/records-db", "charts/records/templates/database.yaml",
         line_of(chart / "database.yaml", "storage:")),
        ("HDS-ENC-001", "StorageClass/fast", "charts/records/templates/storageclass.yaml",
         line_of(chart / "storageclass.yaml", "encrypted: {{")),
        ("HDS-ENC-001", "PersistentVolumeClaim/records-uploads", "charts/records/templates/uploads.yaml", 1),
        # no Velero schedule in the chart: the claim's backups are decided elsewhere
        ("HDS-BAK-005", "PersistentVolumeClaim/records-uploads", "charts/records/templates/uploads.yaml", 1),
    ]
    backup = next(f for f in result.findings if f.rule_id == "HDS-BAK-001")
    assert backup.message.endswith("Rendered with `helm template records charts/records` (values files: "
                                   "charts/records/values.yaml; no Application points at the chart).")
    assert [(h.file, h.line) for h in backup.chain] == [("charts/records/values.yaml", 1)]
    # every file of the chart is analysed through the rendering; the partial is never a finding
    assert (result.files_discovered, result.files_analysed, result.files_reported) == (6, 6, 0)
    assert not any("_helpers.tpl" in f.file for f in result.findings)
    assert tree(d) == before  # nothing written into the scanned tree
    counts = result_summary(result)["rendering"]
    assert counts["helm"] == {"rendered": 1, "not_rendered": 0, "failed": 0} and counts["seconds"] > 0


def result_summary(result) -> dict:
    return json.loads(render("json", result, RenderOptions(fail_on="none", color=False)))["summary"]


def test_without_helm_a_chart_is_one_finding_with_the_command_to_run():
    result = scan(RENDER / "helm", k8s_provider="aws", k8s_region="eu-west-3")
    assert rows(result, families=JUDGED) == [("HDS-PARSE-004", "", "charts/records/Chart.yaml", 1)]
    assert str(result.findings[0].message) == (
        "The Helm chart charts/records is not rendered, so not checked: helm is not on PATH (give it with --helm-bin "
        "or kubernetes.helm_bin). Run `helm template records charts/records | hdslint scan -`.")
    # a template without {{ }} is deployed as it is written: read as it is
    assert [(r.address, r.file, r.line) for r in result.context.resources] == [
        ("Namespace/records", "charts/records/templates/namespace.yaml", 2)]
    assert (result.files_discovered, result.files_analysed, result.files_reported) == (6, 1, 5)
    assert result_summary(result)["rendering"]["helm"] == {"rendered": 0, "not_rendered": 1, "failed": 0}
    text = render("text", result, RenderOptions(fail_on="none", color=False))
    assert "0 Helm chart rendering(s) (1 not rendered, 0 failed)" in text


def test_a_values_file_named_alone_brings_its_chart(helm_bin):
    """A pre-commit hook on a values file: the chart is rendered, the findings it causes are
    reported (they carry the values file in their chain)."""
    d = RENDER / "helm"
    result = scan(d / "charts" / "records" / "values.yaml", helm_bin=helm_bin, k8s_provider="aws",
                  k8s_region="eu-west-3")
    assert [r[:2] for r in rows(result, families=JUDGED)] == [
        ("HDS-BAK-001", "Cluster/records-db"), ("HDS-ENC-001", "Cluster/records-db"),
        ("HDS-ENC-001", "StorageClass/fast"), ("HDS-ENC-001", "PersistentVolumeClaim/records-uploads"),
        ("HDS-BAK-005", "PersistentVolumeClaim/records-uploads")]


# ---- ArgoCD -------------------------------------------------------------------------------------------

def test_argocd_applications_are_rendered_as_they_say(helm_bin):
    d = RENDER / "argocd"
    template = d / "charts" / "api" / "templates" / "database.yaml"
    result = scan(d, helm_bin=helm_bin, k8s_provider="ovh", k8s_region="GRA")
    assert rows(result, families=JUDGED) == [
        # values-staging.yaml does not exist: ArgoCD could not render it either
        ("HDS-PARSE-007", "", "apps/api-envs.yaml", 1),
        # a chart from a Helm repository is not downloaded
        ("HDS-PARSE-002", "", "apps/elsewhere.yaml", 1),
        # the clusters generator needs a running ArgoCD
        ("HDS-PARSE-004", "", "apps/elsewhere.yaml", line_of(d / "apps" / "elsewhere.yaml", "apiVersion", 2)),
        # envs/qa/config.yaml (git files generator) turns backups off
        ("HDS-BAK-001", "Cluster/health-qa/api-qa-db", "charts/api/templates/database.yaml", 1),
        # the four renderings use the cluster's default StorageClass, not in the scan: one finding for all
        ("HDS-ENC-002", "Cluster/health-demo/api-demo-db", "charts/api/templates/database.yaml",
         line_of(template, "storage:")),
        # values-prod.yaml sends the backups over plain HTTP
        ("HDS-ENC-003", "Cluster/health-prod/records-db", "charts/api/templates/database.yaml",
         line_of(template, "endpointURL:")),
    ]
    msg = {(f.rule_id, f.resource): f for f in result.findings}
    assert "The same holds for 3 other object(s): Cluster/health-dev/api-dev-db, Cluster/health-prod/records-db, " \
        "Cluster/health-qa/api-qa-db." in str(msg[("HDS-ENC-002", "Cluster/health-demo/api-demo-db")].message)
    http = msg[("HDS-ENC-003", "Cluster/health-prod/records-db")]
    assert str(http.message) == (
        "Cluster/health-prod/records-db lets data travel without enforced encryption: its backups travel over plain "
        "HTTP to http://minio.backup.svc:9000. Rendered with `helm template records charts/api --namespace "
        "health-prod -f charts/api/values-prod.yaml --set instances=5` (values files: charts/api/values.yaml, "
        "charts/api/values-prod.yaml) for Application api-prod (apps/api-prod.yaml:1).")
    assert [(h.file, h.line) for h in http.chain] == [
        ("apps/api-prod.yaml", 1), ("charts/api/values.yaml", 1), ("charts/api/values-prod.yaml", 1)]
    qa = msg[("HDS-BAK-001", "Cluster/health-qa/api-qa-db")]
    assert ("`helm template api-qa charts/api --namespace health-qa --set-json "
            "'backup={\"enabled\":false,\"endpoint\":\"https://s3.gra.io.cloud.ovh.net\"}'` (values files: "
            "charts/api/values.yaml) for ApplicationSet api-qa (apps/per-env.yaml:1)") in qa.message
    missing = next(f for f in result.findings if f.rule_id == "HDS-PARSE-007")
    assert str(missing.message) == (
        "The Helm chart charts/api could not be rendered as ApplicationSet api-staging asks (`helm template "
        "api-staging charts/api --namespace health-staging | hdslint scan -`): values file values-staging.yaml does "
        "not exist")
    remote = next(f for f in result.findings if f.rule_id == "HDS-PARSE-002")
    assert "https://cloudnative-pg.github.io/charts cloudnative-pg 0.22.1" in remote.message
    # the chart every Application renders is not rendered on its own with its defaults
    assert sorted(r.target.app.name for r in result.context.rendering.renderings) == [
        "api-demo", "api-dev", "api-prod", "api-qa", "api-staging"]
    # the Applications' parameters win over their values files (instances: 5, not 3)
    prod = next(r for r in result.context.resources if r.address == "Cluster/health-prod/records-db")
    assert prod.value("spec.instances") == 5


def test_the_same_chart_into_one_namespace_twice_gets_instance_keys(helm_bin, tmp_path):
    d = tmp_path / "repo"
    shutil.copytree(RENDER / "argocd" / "charts", d / "charts")
    (d / "apps.yaml").write_text(textwrap.dedent("""\
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: api
        spec:
          generators:
            - list:
                elements:
                  - {cluster: ovh-dev}
                  - {cluster: ovh-prod}
          template:
            metadata:
              name: "api-{{cluster}}"
            spec:
              source:
                repoURL: https://git.example.org/health/infra.git
                path: charts/api
                helm:
                  releaseName: api
              destination:
                name: "{{cluster}}"
                namespace: health
        """))
    result = scan(d, helm_bin=helm_bin, k8s_provider="ovh", k8s_region="GRA")
    assert [r[:2] for r in rows(result, families=("backup",))] == [
        ("HDS-BAK-001", "Cluster/health/api-db[api-ovh-dev]"), ("HDS-BAK-001", "Cluster/health/api-db[api-ovh-prod]")]
    assert len({f.fingerprint for f in result.findings if f.rule_id == "HDS-BAK-001"}) == 2


def test_applicationset_templates_are_filled_as_argocd_fills_them(tmp_path):
    assert argocd.fill({"name": "app-{{ name }}", "n": ["{{path[1]}}"]}, {"name": "x", "path[1]": "y"}, False) == {
        "name": "app-x", "n": ["y"]}
    assert argocd.fill("{{unknown}}-{{name}}", {"name": "x"}, False) == "{{unknown}}-x"  # left as ArgoCD leaves it
    params = {"path": {"segments": ["startups", "domifa", "apps"], "basename": "apps"}, "env": "prod"}
    assert argocd.fill("{{ index .path.segments 1 }}--{{ .env | upper }}-{{- .path.basename -}}", params,
                       True) == "domifa--PROD-apps"
    assert argocd.fill('{{ .missing | default "none" }}', {"missing": ""}, True) == "none"
    assert argocd.fill('{{ printf "%s-%s" .env .path.basename }}', params, True) == "prod-apps"
    with pytest.raises(argocd.Unexpandable, match="not a parameter here"):
        argocd.fill("{{ .cluster }}", params, True)
    with pytest.raises(argocd.Unexpandable, match="uses sha256sum"):
        argocd.fill("{{ .env | sha256sum }}", params, True)
    with pytest.raises(argocd.Unexpandable, match="is not one hdslint evaluates"):
        argocd.fill('{{ "\\q" }}', params, True)  # not a Go string literal
    with pytest.raises(argocd.Unexpandable, match="uses range, which hdslint does not evaluate"):
        argocd.fill("{{ range .path.segments }}{{ . }}{{ end }}", params, True)
    # a matrix of two git directory generators, the second reading the first's parameters
    for path in ("startups/a/raw/clusters/ovh-dev", "startups/a/raw/clusters/ovh-prod", "startups/b/apps"):
        (tmp_path / path).mkdir(parents=True)
    appset = {"spec": {"generators": [{"matrix": {"generators": [
        {"git": {"repoURL": "https://example.org/r.git", "pathParamPrefix": "startup",
                 "directories": [{"path": "startups/*"}]}},
        {"git": {"repoURL": "https://example.org/r.git", "pathParamPrefix": "cluster",
                 "directories": [{"path": "{{ startup.path }}/raw/clusters/*"},
                                 {"path": "{{ startup.path }}/raw/clusters/ovh-dev", "exclude": True}]}},
    ]}}], "template": {"metadata": {"name": "{{startup.path.basename}}-{{cluster.path.basename}}"},
                       "spec": {"source": {"path": "{{cluster.path}}"}}}}}
    repo = argocd.Repository(scan_root=str(tmp_path), root=str(tmp_path), seen={"example.org/r"})
    apps = argocd.generate(appset, repo, 1 << 20)
    assert [(a["metadata"]["name"], a["spec"]["source"]["path"]) for a in apps] == [
        ("a-ovh-prod", "startups/a/raw/clusters/ovh-prod")]


def test_urls_of_one_repository_compare_equal():
    assert {argocd.normalize_url(u) for u in (
        "https://github.com/SocialGouv/infra-apps.git", "git@github.com:SocialGouv/infra-apps.git",
        "ssh://git@github.com/socialgouv/infra-apps", "https://github.com/SocialGouv/infra-apps/")} == {
        "github.com/socialgouv/infra-apps"}


# ---- kustomize ----------------------------------------------------------------------------------------

def test_overlays_are_built_by_kubectl_and_their_base_is_not_built_alone(kubectl_bin):
    d = RENDER / "kustomize"
    result = scan(d, kustomize_bin=kubectl_bin, k8s_provider="scaleway", k8s_region="fr-par")
    assert rows(result, families=JUDGED) == [
        # dev builds the base as it is: no backups
        ("HDS-BAK-001", "Cluster/health-dev/records", "base/database.yaml", 1),
        # the overlay's claim and the base's: no Velero schedule in the scan, one finding for both
        ("HDS-BAK-005", "PersistentVolumeClaim/health-dev/uploads", "base/uploads.yaml", 1),
        ("HDS-PARSE-007", "", "remote/kustomization.yaml", 1),
    ]
    placed = sorted((r.address, r.file, r.line) for r in result.context.resources)
    assert placed == [
        ("Cluster/health-dev/records", "base/database.yaml", 1),
        ("Cluster/health/records", "base/database.yaml", 1),  # prod: backups added by its patch
        ("PersistentVolumeClaim/health-dev/uploads", "base/uploads.yaml", 1),
        ("PersistentVolumeClaim/health/uploads", "base/uploads.yaml", 1),
        ("ScheduledBackup/health/records-daily", "overlays/prod/scheduled-backup.yaml", 1),
        ("StorageClass/sbs-encrypted", "overlays/prod/storageclass.yaml", 1),
    ]
    dev = next(f for f in result.findings if f.rule_id == "HDS-BAK-001")
    assert dev.message.endswith("Built with `kubectl kustomize overlays/dev` (no Application points at it).")
    prod = next(r for r in result.context.resources if r.address == "Cluster/health/records")
    assert prod.values("spec.storage.storageClass")[0].line == line_of(d / "base" / "database.yaml", "storageClass:")
    assert "config.kubernetes.io/origin" not in str(prod.manifest)  # the wrapper's annotation is not kept
    remote = next(f for f in result.findings if f.rule_id == "HDS-PARSE-007")
    assert str(remote.message) == (
        "The kustomization remote could not be built (`kubectl kustomize remote | hdslint scan -`): "
        "remote/kustomization.yaml:3 refers to the remote base github.com/example/infra//monitoring?ref=v1.4.0: "
        "hdslint never fetches it (vendor it, or build it yourself and pipe the result into `hdslint scan -`)")
    assert (result.files_discovered, result.files_analysed, result.files_reported) == (5, 5, 0)


def test_an_application_builds_an_overlay_with_its_kustomize_options(kubectl_bin, tmp_path):
    d = tmp_path / "repo"
    shutil.copytree(RENDER / "kustomize", d)
    shutil.rmtree(d / "remote")
    (d / "app.yaml").write_text(textwrap.dedent("""\
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: records-dev
        spec:
          source:
            repoURL: https://git.example.org/health/infra.git
            path: overlays/dev
            kustomize:
              namePrefix: eu-
          destination:
            name: ovh-dev
            namespace: health-dev
        """))
    result = scan(d, kustomize_bin=kubectl_bin, k8s_provider="scaleway", k8s_region="fr-par")
    assert sorted((r.target.path, r.target.app.name if r.target.app else "") for r in
                  result.context.rendering.renderings) == [("overlays/dev", "records-dev"), ("overlays/prod", "")]
    (backup,) = [f for f in result.findings if f.rule_id == "HDS-BAK-001"]
    assert (backup.resource, backup.file, backup.line) == ("Cluster/health-dev/eu-records", "base/database.yaml", 1)
    assert backup.message.endswith("Built with `kubectl kustomize overlays/dev` and the Application's kustomize "
                                   "options (namePrefix=eu-) for Application records-dev (app.yaml:1).")


def test_without_kubectl_overlays_are_reported_and_their_resources_read_as_written():
    d = RENDER / "kustomize"
    result = scan(d, k8s_provider="scaleway", k8s_region="fr-par")
    assert rows(result, families=JUDGED) == [
        ("HDS-BAK-001", "Cluster/records", "base/database.yaml", 1),
        ("HDS-BAK-005", "PersistentVolumeClaim/uploads", "base/uploads.yaml", 1),
        ("HDS-PARSE-004", "", "overlays/dev/kustomization.yaml", 1),
        ("HDS-PARSE-004", "", "overlays/prod/kustomization.yaml", 1),
        ("HDS-PARSE-007", "", "remote/kustomization.yaml", 1),
    ]
    assert "Run `kubectl kustomize overlays/prod | hdslint scan -`." in next(
        f.message for f in result.findings if f.file == "overlays/prod/kustomization.yaml")
    # the patch is part of an object: not read alone
    assert (result.files_discovered, result.files_analysed, result.files_reported) == (5, 4, 1)


def test_kustomize_build_is_run_for_a_program_named_kustomize(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "kustomization.yaml").write_text("resources: [cm.yaml]\n")
    (tmp_path / "app" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    log = tmp_path / "argv"
    program = fake(tmp_path / "bin", "kustomize", f"""\
        printf '%s\\n' "$@" > {log}
        echo 'apiVersion: v1'
        echo 'kind: ConfigMap'
        echo 'metadata: {{name: built}}'
        """)
    result = scan(tmp_path / "app", kustomize_bin=program)
    args = log.read_text().splitlines()
    assert args[0] == "build" and len(args) == 2 and not args[1].startswith(str(tmp_path))  # a wrapper elsewhere
    assert [r.address for r in result.context.resources] == ["ConfigMap/built"]


# ---- failures: one finding each, the rest of the scan goes on ------------------------------------------

def records(tmp_path: Path) -> Path:
    d = tmp_path / "repo"
    shutil.copytree(RENDER / "helm", d)
    (d / "plain.yaml").write_text("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: logs}\n"
                                  "spec: {storageClassName: fast}\n")
    return d


def test_a_failing_helm_is_a_finding_at_the_template_line_it_names(tmp_path):
    d = records(tmp_path)
    program = fake(tmp_path / "bin", "helm", """\
        echo 'Error: records/templates/database.yaml:9:5: executing "records/templates/database.yaml" at <.Values.x>:' >&2
        echo '  nil pointer evaluating interface {}.x' >&2
        exit 1
        """)
    result = scan(d, helm_bin=program)
    failed = [f for f in result.findings if f.rule_id == "HDS-PARSE-007"]
    assert [(f.file, f.line) for f in failed] == [("charts/records/templates/database.yaml", 9)]
    assert "nil pointer evaluating interface {}.x" in failed[0].message
    assert "PersistentVolumeClaim/logs" in {r.address for r in result.context.resources}  # the rest went on


def test_a_rendering_past_its_time_budget_is_stopped(tmp_path):
    d = records(tmp_path)
    program = fake(tmp_path / "bin", "helm", "{sleep} 30\n")
    result = scan(d, helm_bin=program, render_time_budget=0.5)
    (failed,) = [f for f in result.findings if f.rule_id == "HDS-PARSE-007"]
    assert "did not finish within 0.5 s (kubernetes.render_time_budget)" in failed.message
    assert failed.file == "charts/records/Chart.yaml"


def test_a_rendering_that_prints_too_much_is_stopped(tmp_path):
    d = records(tmp_path)
    program = fake(tmp_path / "bin", "helm", "{yes} 'apiVersion: v1' | {head} -c 100000000\n")
    result = scan(d, helm_bin=program, max_file_size=4096)
    (failed,) = [f for f in result.findings if f.rule_id == "HDS-PARSE-007"]
    assert "printed more than 16,384 bytes: stopped" in failed.message


def test_output_that_is_not_yaml_is_a_parse_finding(tmp_path):
    d = records(tmp_path)
    program = fake(tmp_path / "bin", "helm", "echo 'kind: [unclosed'\n")
    result = scan(d, helm_bin=program)
    assert [(f.rule_id, f.file) for f in result.findings if f.family == "parse"] == [
        ("HDS-PARSE-001", "charts/records/Chart.yaml")]
    assert "the rendered output is not YAML" in result.findings[0].message


def test_a_missing_dependency_is_reported_and_never_fetched(helm_bin, tmp_path):
    d = records(tmp_path)
    chart = d / "charts" / "records" / "Chart.yaml"
    chart.write_text(chart.read_text() + "dependencies:\n  - name: valkey\n    version: 0.9.4\n"
                     "    repository: https://valkey.io/valkey-helm\n")
    result = scan(d, helm_bin=helm_bin)
    (failed,) = [f for f in result.findings if f.rule_id == "HDS-PARSE-007"]
    assert failed.file == "charts/records/Chart.yaml"
    assert "found in Chart.yaml, but missing in charts/ directory: valkey" in failed.message
    assert "hdslint never runs `helm dependency build` (it downloads)" in failed.message
    assert not (d / "charts" / "records" / "charts").exists() and not (d / "charts" / "records" / "Chart.lock").exists()


def test_a_remote_values_schema_is_not_fetched_and_the_chart_still_renders(helm_bin, tmp_path):
    d = records(tmp_path)
    (d / "charts" / "records" / "values.schema.json").write_text(json.dumps({
        "$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
        "properties": {"backup": {"$ref": "https://schemas.example.org/backup.json"}}}))
    result = scan(d, helm_bin=helm_bin, k8s_provider="aws", k8s_region="eu-west-3")
    assert not [f for f in result.findings if f.family == "parse"]
    assert "Cluster/records-db" in {r.address for r in result.context.resources}


def test_a_chart_linking_out_of_the_scan_is_not_rendered(tmp_path):
    d = records(tmp_path)
    outside = tmp_path / "secret.txt"
    outside.write_text("not for the chart")
    os.symlink(outside, d / "charts" / "records" / "templates" / "secret.txt")
    ran = tmp_path / "ran"
    program = fake(tmp_path / "bin", "helm", "{touch} " + str(ran) + "\n")
    result = scan(d, helm_bin=program)
    (failed,) = [f for f in result.findings if f.rule_id == "HDS-PARSE-007"]
    assert "charts/records/templates/secret.txt is a symbolic link out of the scanned directory" in failed.message
    assert not ran.exists()


def test_programs_run_in_a_sandbox_with_arguments_never_through_a_shell(tmp_path):
    d = records(tmp_path)
    (d / "app.yaml").write_text(textwrap.dedent("""\
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: records
        spec:
          source:
            repoURL: https://git.example.org/health/infra.git
            path: charts/records
            helm:
              releaseName: "x; touch pwned-release"
              parameters:
                - name: encrypted
                  value: "$(touch pwned-parameter),true"
          destination:
            namespace: "`touch pwned-namespace`"
        """))
    log = tmp_path / "log"
    program = fake(tmp_path / "bin", "helm", """\
        printf '%s\\n' "$@" > LOG.argv
        {env} > LOG.env
        pwd > LOG.cwd
        """.replace("LOG", str(log)))
    before = tree(d)
    scan(d, helm_bin=program)
    argv = (tmp_path / "log.argv").read_text().splitlines()
    assert argv[:3] == ["template", "x; touch pwned-release", str(d / "charts" / "records")]
    assert argv[argv.index("--namespace") + 1] == "`touch pwned-namespace`"
    assert argv[argv.index("--set") + 1] == "encrypted=$(touch pwned-parameter)\\,true"
    assert not list(tmp_path.rglob("pwned*"))
    env = dict(line.split("=", 1) for line in (tmp_path / "log.env").read_text().splitlines() if "=" in line)
    sandbox = env["HELM_CACHE_HOME"].rsplit("/", 1)[0]
    assert sandbox.startswith(os.environ.get("TMPDIR", "/tmp")) and not os.path.exists(sandbox)  # removed after
    assert {env[k].startswith(sandbox) for k in ("HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME", "PATH")} == {True}
    assert env["HTTPS_PROXY"] == env["HTTP_PROXY"] == "http://127.0.0.1:9" and env["KUBECONFIG"] == os.devnull
    assert (tmp_path / "log.cwd").read_text().strip() == sandbox
    assert tree(d) == before


def test_a_program_named_explicitly_that_cannot_run_is_a_usage_error(tmp_path):
    (tmp_path / "x.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    out = hdslint("scan", ".", "--helm-bin", str(tmp_path / "nowhere" / "helm"), cwd=tmp_path)
    assert out.returncode == 2 and "--helm-bin" in out.stderr and "not an executable file" in out.stderr
    (tmp_path / ".hdslint.yaml").write_text("kubernetes:\n  kustomize_bin: ./bin/kubectl\n")
    out = hdslint("scan", ".", cwd=tmp_path)
    assert out.returncode == 2 and "--kustomize-bin" in out.stderr
    (tmp_path / ".hdslint.yaml").write_text("kubernetes:\n  render_time_budget: -1\n")
    out = hdslint("scan", ".", cwd=tmp_path)
    assert out.returncode == 2 and "render_time_budget" in out.stderr


def test_the_command_line_renders_with_the_programs_it_is_given(helm_bin, tmp_path):
    d = records(tmp_path)
    out = hdslint("scan", ".", "--helm-bin", helm_bin, "--format", "json", "--fail-on", "none", cwd=d)
    doc = json.loads(out.stdout)
    assert out.returncode == 0 and doc["summary"]["rendering"]["helm"]["rendered"] == 1
    assert {f["resource"] for f in doc["findings"] if f["rule_id"] == "HDS-BAK-001"} == {"Cluster/records-db"}


def test_findings_on_rendered_objects_in_french(helm_bin):
    result = scan(RENDER / "argocd", helm_bin=helm_bin, k8s_provider="ovh", k8s_region="GRA", lang="fr")
    got = {(f.rule_id, f.resource): str(f.message) for f in result.findings}
    assert got[("HDS-BAK-001", "Cluster/health-qa/api-qa-db")].endswith(
        "Rendu par `helm template api-qa charts/api --namespace health-qa --set-json "
        "'backup={\"enabled\":false,\"endpoint\":\"https://s3.gra.io.cloud.ovh.net\"}'` (fichiers de valeurs : "
        "charts/api/values.yaml) pour ApplicationSet api-qa (apps/per-env.yaml:1).")
    assert got[("HDS-PARSE-007", "")].startswith("Le chart Helm charts/api n'a pas pu être rendu comme le demande "
                                                 "ApplicationSet api-staging")


# ---- line placement -----------------------------------------------------------------------------------

def test_rendered_lines_are_placed_on_the_template():
    template = ["apiVersion: v1", "kind: Secret", "metadata:", "  name: {{ .Release.Name }}", "data:",
                "  {{- toYaml .Values.data | nindent 2 }}", "type: Opaque", "---", "apiVersion: v1", "kind: ConfigMap",
                "metadata:", "  name: settings", "data:", "  endpoint: {{ .Values.endpoint }}"]
    secret = ["apiVersion: v1", "kind: Secret", "metadata:", "  name: r", "data:", "  a: b", "  c: d", "type: Opaque"]
    assert helm.align(secret, template) == [1, 2, 3, 4, 5, 6, 6, 7]
    config = ["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: settings", "data:", "  endpoint: http://x"]
    assert helm.align(config, template) == [9, 10, 11, 12, 13, 14]
