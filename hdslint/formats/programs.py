"""helm and kustomize as peer programs: found, then run in a sandbox, like checkov.

They are separate processes, never imported. Each run gets an argument list (never a shell), a
temporary home for its caches and configuration (HELM_CACHE_HOME, HELM_CONFIG_HOME,
HELM_DATA_HOME, HELM_PLUGINS, KUBECONFIG...), no network (proxies pointed at a closed port, no
`git` on its PATH), a time budget (the process group is killed past it) and a cap on what it may
print (RLIMIT_FSIZE on the file its output goes to). Nothing is written into the scanned tree:
the output is read back into memory from the sandbox.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass

from hdslint.config import Config, ConfigError
from hdslint.i18n import Text, _

# past this, a rendering is refused (a chart that prints gigabytes is not a deployment)
OUTPUT_LIMIT_FACTOR = 4  # times max_file_size
CLOSED_PORT = "http://127.0.0.1:9"  # discard: refused at once


@dataclass(frozen=True)
class Programs:
    """The programs a scan renders with; None when not found (the renderings are reported)."""

    helm: str | None
    kustomize: tuple[str, ...] | None  # argv prefix: (kubectl, "kustomize") or (kustomize, "build")
    helm_named: str  # how a person calls it, for the commands hdslint prints
    kustomize_named: str


def _executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def kustomize_argv(binary: str) -> tuple[str, ...]:
    """`kubectl kustomize DIR` or `kustomize build DIR`, by the program's name."""
    return (binary, "kustomize") if os.path.basename(binary).startswith("kubectl") else (binary, "build")


def find(config: Config) -> Programs:
    """helm and kustomize as configured (kubernetes.helm_bin, --helm-bin...), else on PATH.
    A program named explicitly that cannot be run is a usage error (ConfigError: exit 2)."""
    helm: str | None
    if config.helm_bin:
        helm = shutil.which(config.helm_bin) if os.sep not in config.helm_bin else config.helm_bin
        if not helm or not _executable(helm):
            raise ConfigError(f"--helm-bin {config.helm_bin}: not an executable file")
    else:
        helm = shutil.which("helm")
    kustomize: tuple[str, ...] | None = None
    if config.kustomize_bin:
        found = shutil.which(config.kustomize_bin) if os.sep not in config.kustomize_bin else config.kustomize_bin
        if not found or not _executable(found):
            raise ConfigError(f"--kustomize-bin {config.kustomize_bin}: not an executable file")
        kustomize = kustomize_argv(found)
    else:
        for name in ("kubectl", "kustomize"):
            found = shutil.which(name)
            if found:
                kustomize = kustomize_argv(found)
                break
    named = "kubectl kustomize" if kustomize is None or kustomize[1] == "kustomize" else "kustomize build"
    return Programs(helm=helm, kustomize=kustomize, helm_named="helm", kustomize_named=named)


@dataclass
class Outcome:
    """What one run gave: its output when it exited 0, else why not (the program's own words)."""

    ok: bool
    stdout: str
    message: Text  # the program's last words on stderr, or why the run did not finish
    seconds: float
    timed_out: bool = False


class Sandbox:
    """A temporary folder for one scan's renderings: the programs' home, caches and
    configuration, their output files, the values an Application writes inline. Removed on close."""

    def __init__(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="hdslint-render-")
        self._count = 0
        bin_dir = os.path.join(self.dir, "bin")  # an empty PATH: no git, no plugin, no shell
        os.mkdir(bin_dir)
        self.env = {
            "PATH": bin_dir, "HOME": self.dir, "TMPDIR": self.dir, "LANG": "C", "LC_ALL": "C",
            "XDG_CACHE_HOME": os.path.join(self.dir, "cache"), "XDG_CONFIG_HOME": os.path.join(self.dir, "config"),
            "XDG_DATA_HOME": os.path.join(self.dir, "data"),
            "HELM_CACHE_HOME": os.path.join(self.dir, "helm-cache"),
            "HELM_CONFIG_HOME": os.path.join(self.dir, "helm-config"),
            "HELM_DATA_HOME": os.path.join(self.dir, "helm-data"),
            "HELM_PLUGINS": os.path.join(self.dir, "helm-plugins"),
            "HELM_NO_PLUGINS": "1",
            "KUBECONFIG": os.devnull,
            "HTTP_PROXY": CLOSED_PORT, "HTTPS_PROXY": CLOSED_PORT, "http_proxy": CLOSED_PORT,
            "https_proxy": CLOSED_PORT, "NO_PROXY": "", "no_proxy": "",
            "GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1",
        }

    def path(self, name: str) -> str:
        """A fresh path in the sandbox."""
        self._count += 1
        return os.path.join(self.dir, f"{self._count}-{name}")

    def write(self, name: str, text: str) -> str:
        """A file of ours (an Application's inline values, a kustomize wrapper) in the sandbox."""
        path = self.path(name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def folder(self, name: str) -> str:
        path = self.path(name)
        os.mkdir(path)
        return path

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def run(self, argv: list[str], cwd: str, timeout: float, max_bytes: int) -> Outcome:
        """Run argv (a list, never a shell) with the sandbox's environment; stdout captured up to
        max_bytes, the process group killed past timeout seconds."""
        out_path, err_path = self.path("stdout"), self.path("stderr")
        start = time.perf_counter()
        limit = max(max_bytes, 1024)
        try:
            with open(out_path, "wb") as out, open(err_path, "wb") as err:
                # no preexec_fn (unsafe with the threads renderings run in): the cap on what the
                # program may write is set on it at once, and its output is measured after
                proc = subprocess.Popen(argv, cwd=cwd, env=self.env, stdin=subprocess.DEVNULL, stdout=out,
                                        stderr=err, start_new_session=True)
                _cap_output(proc.pid, limit)
                try:
                    code = proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    _kill(proc)
                    return Outcome(False, "", _("did not finish within {seconds:g} s (kubernetes.render_time_budget)",
                                                     seconds=timeout), time.perf_counter() - start, timed_out=True)
        except OSError as e:
            return Outcome(False, "", _("could not be started ({program}): {reason}", program=argv[0],
                                       reason=e.strerror or str(e)), time.perf_counter() - start)
        seconds = time.perf_counter() - start
        stderr = _read(err_path, 65536)
        if code == -signal.SIGXFSZ or os.path.getsize(out_path) >= limit:
            return Outcome(False, "", _("printed more than {limit:,} bytes: stopped", limit=limit), seconds)
        if code != 0:
            return Outcome(False, "", _tail(stderr) or _("exited with code {code}", code=code), seconds)
        return Outcome(True, _read(out_path, limit), _tail(stderr), seconds)


def _cap_output(pid: int, limit: int) -> None:
    """RLIMIT_FSIZE on a running program (Linux): past `limit` bytes in a file, it is stopped
    by SIGXFSZ, which subprocess restores to its default in the child."""
    try:
        import resource

        resource.prlimit(pid, resource.RLIMIT_FSIZE, (limit, limit))  # type: ignore[attr-defined,unused-ignore]
    except (ImportError, AttributeError, OSError, ValueError):
        pass  # elsewhere the output is measured once the program is done


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # its own process group (start_new_session)
    except (OSError, AttributeError):
        proc.kill()
    proc.wait()


def _read(path: str, limit: int) -> str:
    try:
        with open(path, "rb") as f:
            return f.read(limit).decode("utf-8", errors="replace")
    except OSError:
        return ""


def _tail(text: str, lines: int = 8) -> str:
    """The program's last words, without helm's informational log lines."""
    kept = [line.rstrip() for line in text.splitlines() if line.strip() and not line.startswith("level=INFO")]
    return "\n".join(kept[-lines:])
