"""Finds the files to scan and classifies them by name and content.

Directories that hold tools' caches or downloaded code are skipped (.git, .terraform,
node_modules...). Symbolic links are never followed out of the scan root; a link that
points outside is reported, not read.
"""
from __future__ import annotations

import fnmatch
import os
import posixpath
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field

from hdslint.i18n import _
from hdslint.model import Problem
from hdslint.syntax.text import relative

SKIP_DIRS = {
    ".git", ".hg", ".svn", ".terraform", ".terragrunt-cache", "node_modules", ".venv", "venv",
    "__pycache__", ".tox", ".mypy_cache", ".pytest_cache", ".ruff_cache",
}
SNIFF_BYTES = 65536
CHART_FILE = "Chart.yaml"
KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")


# Terraform configuration files; OpenTofu adds .tofu and .tofu.json (same language).
TERRAFORM_SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json")


@dataclass
class Discovery:
    terraform_dirs: list[str] = field(default_factory=list)  # module directories (relative, posix)
    terraform_files: list[str] = field(default_factory=list)  # .tf / .tf.json / .tofu / .tofu.json
    tfvars: list[str] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)  # plan JSON files
    manifests: list[str] = field(default_factory=list)  # Kubernetes manifests (YAML or JSON), Helm templates
    scalingo: list[str] = field(default_factory=list)  # scalingo.json / app.json
    charts: list[str] = field(default_factory=list)  # Helm chart directories (a Chart.yaml)
    kustomizations: list[str] = field(default_factory=list)  # directories with a kustomization.yaml
    chart_files: dict[str, str] = field(default_factory=dict)  # a chart's own YAML files -> its directory
    problems: list[Problem] = field(default_factory=list)  # links out of the root, unreadable entries
    only_files: list[str] | None = None  # set when files were named: report findings on them only

    @property
    def all_files(self) -> list[str]:
        return self.terraform_files + self.tfvars + self.plans + self.manifests + self.scalingo + list(self.chart_files)


def scan_root(paths: list[str]) -> str:
    """The directory file paths are reported relative to: the working directory when every
    path is inside it (so SARIF and CI annotations get repository paths), else their common parent."""
    cwd = os.getcwd()
    absolute = [os.path.abspath(p) for p in paths]
    if all(p == cwd or p.startswith(cwd.rstrip(os.sep) + os.sep) for p in absolute):
        return cwd
    common = os.path.commonpath(absolute)
    return common if os.path.isdir(common) else os.path.dirname(common)


def outside_link(rel: str, kind: str = "file") -> Problem:
    if kind == "directory":
        message = _("{file} is a symbolic link to a directory outside the scanned directory: not followed", file=rel)
    else:
        message = _("{file} is a symbolic link to a file outside the scanned directory: not followed", file=rel)
    return Problem(rel, 0, message)


def _rel(path: str, root: str) -> str:
    rel = relative(path, root).replace(os.sep, "/")
    return rel


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class _Exclude:
    """Glob patterns matched against paths relative to their base folder."""

    def __init__(self, patterns: list[str], base: str) -> None:
        self.patterns, self.base = patterns, base

    def __call__(self, full: str) -> bool:
        if not self.patterns:
            return False
        rel = _rel(full, self.base)
        return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel, p.rstrip("/") + "/*") for p in self.patterns)


def discover(paths: list[str], root: str, exclude: Iterable[str] = (), base: str | None = None) -> Discovery:
    """The files under paths, classified; `exclude` patterns are relative to `base` (the
    configuration file's folder), else to the root."""
    found = Discovery()
    excluded = _Exclude(list(exclude), base or root)
    real_root = os.path.realpath(root)
    named_files = []
    seen: set[str] = set()
    for p in paths:
        ap = os.path.abspath(p)
        if os.path.isdir(ap):
            _walk(ap, root, real_root, excluded, found, seen)
        elif os.path.lexists(ap):
            rel = _rel(ap, root)
            named_files.append(rel)
            chart = _named_chart(rel, root)
            if chart is not None:  # a chart's own file (a values file, a template): its chart is rendered
                found.chart_files[rel] = chart
                if chart not in found.charts:
                    found.charts.append(chart)
                continue
            _classify(ap, rel, real_root, found, seen, named=True)
        else:
            found.problems.append(Problem(_rel(ap, root), 0, _("{path} does not exist", path=p)))
    if named_files:
        found.only_files = named_files if not any(os.path.isdir(p) for p in paths) else None
        # A named .tf file brings its whole module directory, so cross-file references resolve.
        for rel in named_files:
            if rel.endswith(TERRAFORM_SUFFIXES + (".tfvars", ".tfvars.json")):
                d = posixpath.dirname(rel) or "."
                if d not in found.terraform_dirs:
                    found.terraform_dirs.append(d)
    found.terraform_dirs = sorted(set(found.terraform_dirs))
    return found


def _walk(top: str, root: str, real_root: str, exclude: _Exclude, found: Discovery, seen: set[str]) -> None:
    charts: set[str] = set()  # chart directories met on the way down
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        rel_dir = _rel(dirpath, root)
        if CHART_FILE in filenames:
            found.charts.append(rel_dir)
            charts.add(rel_dir)
        if any(name in filenames for name in KUSTOMIZATION_FILES):
            found.kustomizations.append(rel_dir)
        kept = []
        for d in sorted(dirnames):
            full = os.path.join(dirpath, d)
            rel = _rel(full, root)
            if d in SKIP_DIRS or exclude(full):
                continue
            if os.path.islink(full):
                target = os.path.realpath(full)
                if not _inside(target, real_root):
                    found.problems.append(outside_link(rel, "directory"))
                # links inside the root are not followed either: their target is scanned where it is
                continue
            kept.append(d)
        dirnames[:] = kept
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            rel = _rel(full, root) if rel_dir != "." else name
            if exclude(full):
                continue
            chart = _chart_of(rel, charts)
            if chart is not None and name.endswith((".yaml", ".yml", ".json")):
                found.chart_files[rel] = chart  # rendered with its chart (hdslint.formats.render), not read alone
                continue
            _classify(full, rel, real_root, found, seen, named=False)


def _classify(full: str, rel: str, real_root: str, found: Discovery, seen: set[str], named: bool) -> None:
    name = os.path.basename(full)
    is_tf = name.endswith(TERRAFORM_SUFFIXES)
    is_vars = name.endswith((".tfvars", ".tfvars.json"))
    is_json = name.endswith(".json") and not is_tf and not is_vars
    is_yaml = name.endswith((".yaml", ".yml"))
    if not (is_tf or is_vars or is_json or is_yaml):
        return
    if os.path.islink(full) and not _inside(os.path.realpath(full), real_root):
        found.problems.append(outside_link(rel))
        return
    if rel in seen:
        return
    seen.add(rel)
    if (is_json or is_yaml) and not _regular_or_missing(full):
        # sniffing a FIFO would block the scan; .tf and .tfvars readers refuse them the same way
        found.problems.append(Problem(rel, 0, _("{file} is not a regular file (a pipe, socket or device): not read",
                                                 file=rel)))
        return
    if is_tf:
        found.terraform_files.append(rel)
        found.terraform_dirs.append(posixpath.dirname(rel) or ".")
    elif is_vars:
        found.tfvars.append(rel)
    elif name in ("scalingo.json", "app.json"):
        found.scalingo.append(rel)
    elif is_json and _looks_like_plan(full):
        found.plans.append(rel)
    elif (is_json or is_yaml) and _looks_like_manifest(full, rel):
        found.manifests.append(rel)


def _named_chart(rel: str, root: str) -> str | None:
    """The chart (inside the scan root) whose own file a named file is."""
    charts = []
    parts = rel.split("/")[:-1]
    for n in range(len(parts) + 1):
        d = "/".join(parts[:n]) or "."
        if not d.startswith("..") and os.path.isfile(os.path.join(root, d, CHART_FILE)):
            charts.append(d)
    return _chart_of(rel, charts) if charts else None


def _chart_of(rel: str, charts: Iterable[str]) -> str | None:
    """The innermost chart whose own file rel is: Chart.yaml, values files, anything under its
    templates/, charts/ or crds/ folders (what helm reads). Other files in a chart's folder are
    read as usual. Only rel's own folders are looked at (charts: a set, or a short list)."""
    known = charts if isinstance(charts, (set, frozenset)) else set(charts)
    parts = rel.split("/")
    for n in range(len(parts) - 1, -1, -1):  # deepest folder first
        chart = "/".join(parts[:n]) or "."
        if chart not in known:
            continue
        inner = parts[n:]
        if (len(inner) == 1 and (inner[0] in (CHART_FILE, "Chart.lock", "values.schema.json") or
                                 inner[0].startswith("values"))) or \
                (len(inner) > 1 and inner[0] in ("templates", "charts", "crds")):
            return chart
    return None


def _regular_or_missing(path: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True  # dangling or unreadable: taken in, so that its reader says why


def _head(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(SNIFF_BYTES)
    except OSError:
        return b""


def _looks_like_manifest(path: str, rel: str) -> bool:
    """A Kubernetes object (apiVersion and kind), or a Helm chart template (reported, not parsed).
    A file that cannot be read is taken in, so that it is reported rather than skipped."""
    if not os.access(path, os.R_OK):
        return True
    head = _head(path)
    if "/templates/" in f"/{rel}" and b"{{" in head:
        return True
    return b"apiVersion" in head and b"kind" in head


def _looks_like_plan(path: str) -> bool:
    """terraform show -json output starts with format_version and holds planned_values."""
    try:
        with open(path, "rb") as f:
            head = f.read(SNIFF_BYTES)
    except OSError:
        return False
    return b'"format_version"' in head and (b'"planned_values"' in head or b'"resource_changes"' in head
                                            or b'"terraform_version"' in head)
