"""Rendering Helm charts and kustomizations with their own programs, as ArgoCD would, before
the Kubernetes reader reads the result.

What is rendered, in rounds: every Application (and every Application an ApplicationSet
generates) that points at a chart or kustomization of the scan, as it says; then every chart
and kustomization no Application points at, with its defaults, except those only used by
others (a chart vendored under another's charts/ or named by a `file://` dependency, a base or
component of another kustomization, a library chart). Applications that renderings produce
(app of apps) are rendered in the next round, up to MAX_ROUNDS.

A rendering that cannot be made says why (the program is missing; a values file is missing; a
remote base; a link out of the scan; the program's own error) and is reported by the parse
rules; the rest of the scan goes on. Programs run in parallel, each within
`kubernetes.render_time_budget`.
"""
from __future__ import annotations

import itertools
import os
import shlex
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from hdslint.config import Config
from hdslint.formats import argocd, helm, kubernetes, kustomize, programs
from hdslint.formats.discover import Discovery
from hdslint.formats.targets import (
    FAILED,
    HELM,
    KUSTOMIZE,
    NOT_RENDERED,
    RENDERED,
    Rendering,
    RenderResult,
    Target,
)
from hdslint.i18n import Text, _, join
from hdslint.syntax import text as fileio
from hdslint.syntax.yamlpos import YAMLError, load_all

MAX_ROUNDS = 4
MAX_LINK_WALK = 50_000  # entries looked at for links out of the scan, per directory


def needed(found: Discovery, kube: kubernetes.KubernetesResult | None) -> bool:
    """Whether the scan has anything to render: charts, kustomizations or ArgoCD objects."""
    return bool(found.charts or found.kustomizations or
                (kube is not None and any(kubernetes.is_argocd(r) for r in kube.resources)))


class Renderer:
    def __init__(self, root: str, found: Discovery, config: Config) -> None:
        self.root = root
        self.real_root = os.path.realpath(root)
        self.config = config
        self.max_bytes = config.max_file_size
        self.charts = {p: helm.read_chart(root, p, self.max_bytes) for p in found.charts}
        self.kustomizations = {p: kustomize.read(root, p, self.max_bytes) for p in found.kustomizations}
        self.subcharts = {s for c in self.charts.values() for s in c.subcharts}
        self.bases = {b for k in self.kustomizations.values() for b in k.bases}
        self.held = {f for k in self.kustomizations.values() for f in k.files}
        self.programs: programs.Programs | None = None
        self.schemas: dict[str, bool] = {}  # chart or archive -> whether its values schema refers out
        self.sandbox: programs.Sandbox | None = None

    # ---- what to render --------------------------------------------------------------------------

    def defaults(self, pointed: set[str]) -> list[Target]:
        """Charts and kustomizations no Application points at and no other one uses."""
        out = []
        for path, chart in sorted(self.charts.items()):
            if path in pointed or path in self.subcharts or chart.library:
                continue
            out.append(Target(kind=HELM, path=path, file=chart.file, release=chart.name))
        for path, k in sorted(self.kustomizations.items()):
            if path in pointed or path in self.bases or k.component:
                continue
            out.append(Target(kind=KUSTOMIZE, path=path, file=k.file))
        return out

    def command(self, target: Target) -> str:
        """What a person runs to render it and scan the result (shell words; read, never run)."""
        if target.kind == KUSTOMIZE:
            named = self.programs.kustomize_named if self.programs else "kubectl kustomize"
            return f"{named} {shlex.quote(target.path)} | hdslint scan -"
        words = ["helm", "template", target.release or "release", target.path]
        if target.namespace:
            words += ["--namespace", target.namespace]
        for f in target.value_files:
            words += ["-f", f]
        for inline in target.values:
            words += _set_json(inline)
        for name, value, force in target.parameters:
            words += ["--set-string" if force else "--set", f"{name}={value}"]
        for name, path in target.file_parameters:
            words += ["--set-file", f"{name}={path}"]
        return shlex.join(words) + " | hdslint scan -"

    # ---- rendering ------------------------------------------------------------------------------

    def render(self, targets: list[Target]) -> list[Rendering]:
        out: list[Rendering] = []
        jobs: list[Rendering] = []
        for t in targets:
            r = Rendering(target=t, command=self.command(t), file=t.file)
            if t.kind == HELM:
                own = "values.yaml" if t.path == "." else f"{t.path}/values.yaml"
                r.values_files = ((own,) if os.path.isfile(os.path.join(self.root, own)) else ()) + t.value_files
            out.append(r)
            why = self._refused(t)
            if why is not None:
                r.state, r.reason = FAILED, why
                if t.app is not None and t.error:
                    r.file, r.line = t.app.file, t.app.line
                continue
            missing = self._missing_program(t)
            if missing is not None:
                r.state, r.reason = NOT_RENDERED, missing
                continue
            jobs.append(r)
        if jobs:
            workers = max(1, min(8, os.cpu_count() or 1, len(jobs)))
            with ThreadPoolExecutor(max_workers=workers) as pool:
                list(pool.map(self._run, jobs))
        return out

    def _missing_program(self, t: Target) -> Text | None:
        assert self.programs is not None
        if t.kind == HELM and not self.programs.helm:
            return _("helm is not on PATH (give it with --helm-bin or kubernetes.helm_bin)")
        if t.kind == KUSTOMIZE and not self.programs.kustomize:
            return _("neither kubectl nor kustomize is on PATH (give one with --kustomize-bin or "
                     "kubernetes.kustomize_bin)")
        return None

    def _refused(self, t: Target) -> Text | None:
        """Why hdslint will not render t: what the Application asks cannot be had, a remote
        reference (never fetched), something out of the scan (never read)."""
        if t.error:
            return t.error
        link = self._link_out(t.path)
        if link:
            return _("{path} is a symbolic link out of the scanned directory: not rendered", path=link)
        if t.kind == KUSTOMIZE:
            return self._kustomize_refused(t.path, set())
        return None

    def _kustomize_refused(self, path: str, seen: set[str]) -> Text | None:
        k = self.kustomizations.get(path)
        if k is None or path in seen:
            return None
        seen.add(path)
        if k.remote:
            ref, line = k.remote[0]
            return _("{file}:{line} refers to the remote base {ref}: hdslint never fetches it (vendor it, or build "
                     "it yourself and pipe the result into `hdslint scan -`)", file=k.file, line=line, ref=ref)
        if k.outside:
            ref, line = k.outside[0]
            return _("{file}:{line} refers to {ref}, outside the scanned directory: not read", file=k.file, line=line,
                     ref=ref)
        if k.helm_charts:
            return _("{file}:{line} inflates Helm charts (helmCharts), which needs `--enable-helm` and downloads "
                     "them: not built", file=k.file, line=k.helm_charts)
        for base in sorted(k.bases):
            why = self._kustomize_refused(base, seen) or (self._link_out(base) and _(
                "{path} is a symbolic link out of the scanned directory: not rendered", path=self._link_out(base)))
            if why:
                return why
        return None

    def _link_out(self, path: str) -> str | None:
        """The first symbolic link under path (followed while inside the scan) that leads out
        of the scanned directory: the program would read through it."""
        seen: set[str] = set()
        count = 0
        for dirpath, dirnames, filenames in os.walk(os.path.join(self.root, path), followlinks=True):
            real = os.path.realpath(dirpath)
            if real in seen:
                dirnames[:] = []
                continue
            seen.add(real)
            for name in dirnames + filenames:
                count += 1
                full = os.path.join(dirpath, name)
                if os.path.islink(full) and not _inside(os.path.realpath(full), self.real_root):
                    return os.path.relpath(full, self.root).replace(os.sep, "/")
            if count > MAX_LINK_WALK:
                break
        return None

    def _run(self, r: Rendering) -> None:
        try:
            self._render(r)
        except Exception as e:  # noqa: BLE001 - a bug met on one rendering must not stop the others
            r.state, r.text = FAILED, ""
            r.reason = _("hdslint failed while rendering it: {error}", error=f"{type(e).__name__}: {e}")

    def _render(self, r: Rendering) -> None:
        assert self.programs is not None and self.sandbox is not None
        t = r.target
        budget, limit = self.config.render_time_budget, self.max_bytes * programs.OUTPUT_LIMIT_FACTOR
        if t.kind == HELM:
            assert self.programs.helm is not None
            values = [os.path.join(self.root, f) for f in t.value_files]
            values += [self.sandbox.write("values.yaml", v) for v in t.values]
            sets: list[str] = []
            for name, value, force in t.parameters:
                sets += ["--set-string" if force else "--set", f"{name}={_escape(value)}"]
            for name, path in t.file_parameters:
                sets += ["--set-file", f"{name}={os.path.join(self.root, path)}"]
            chart_dir = os.path.abspath(os.path.join(self.root, t.path))
            skip = helm.remote_schema(self.root, t.path, self.schemas)
            outcome = self.sandbox.run(helm.command(self.programs.helm, t, chart_dir, values, sets, skip),
                                       self.sandbox.dir, budget, limit)
            if not outcome.ok and not skip and helm.needs_schema_skip(str(outcome.message)):
                outcome = self.sandbox.run(helm.command(self.programs.helm, t, chart_dir, values, sets, True),
                                           self.sandbox.dir, budget, limit)
        else:
            assert self.programs.kustomize is not None
            wrap = self.sandbox.folder("kustomize")
            with open(os.path.join(wrap, "kustomization.yaml"), "w", encoding="utf-8") as f:
                f.write(kustomize.wrapper(t, wrap, self.root))
            r.workdir = wrap
            outcome = self.sandbox.run([*self.programs.kustomize, wrap], self.sandbox.dir, budget, limit)
        r.seconds = outcome.seconds
        if outcome.ok:
            r.state = RENDERED
            r.text = outcome.stdout
            return
        r.state, r.reason, r.text = FAILED, outcome.message, ""
        if t.kind == HELM:
            where = helm.Sources(self.root, t.path, self.max_bytes).error_location(str(outcome.message))
            if where:
                r.file, r.line = where
            if helm.missing_dependency(str(outcome.message)):
                r.reason = join((outcome.message, _(
                    "hdslint never runs `helm dependency build` (it downloads): vendor the dependencies under "
                    "charts/, or render the chart yourself and pipe the result into `hdslint scan -`.")), "\n")

    # ---- reading ---------------------------------------------------------------------------------

    def read(self, r: Rendering, kube: kubernetes.KubernetesResult) -> list[Any]:
        """The rendered objects into kube, placed on their files; the output is then dropped."""
        t = r.target
        where = (t.file, 1)
        r.text = _without_definitions(r.text)
        root_id = f"{t.kind}:{t.path}" + (f"@{t.app.name}" if t.app else "")
        namespace = t.namespace if t.app is not None else ""
        if t.kind == HELM:
            place = helm.Sources(self.root, t.path, self.max_bytes).placer(r.text)
            resources = kubernetes.read_rendered(kube, r.text, where, place, root_id, namespace)
        else:
            origins = kustomize.Origins(self.root, r.workdir, t, self.max_bytes)
            resources = kubernetes.read_rendered(kube, r.text, where, origins.place, root_id, namespace)
        r.text = ""
        r.resources = resources
        r.files = {res.file for res in resources}
        for f in r.files:
            if f not in kube.comments and f.endswith((".yaml", ".yml")):
                try:
                    kube.comments[f] = kubernetes.comments_of(fileio.read_text(os.path.join(self.root, f),
                                                                               self.max_bytes))
                except fileio.Unreadable:
                    kube.comments[f] = []
        return resources

    def covered_charts(self, renderings: Iterable[Rendering]) -> set[str]:
        """The chart directories a successful rendering read: the charts and their subcharts."""
        stack = [r.target.path for r in renderings if r.state == RENDERED and r.target.kind == HELM]
        seen: set[str] = set()
        while stack:
            path = stack.pop()
            if path in seen:
                continue
            seen.add(path)
            if path in self.charts:
                stack.extend(self.charts[path].subcharts)
        return seen

    def covered_files(self, renderings: Iterable[Rendering]) -> set[str]:
        """The files of every kustomization (and base) that a successful build read."""
        covered: set[str] = set()
        stack = [r.target.path for r in renderings if r.state == RENDERED and r.target.kind == KUSTOMIZE]
        seen: set[str] = set()
        while stack:
            path = stack.pop()
            if path in seen or path not in self.kustomizations:
                continue
            seen.add(path)
            covered |= self.kustomizations[path].files
            stack.extend(self.kustomizations[path].bases)
        return covered


def run(renderer: Renderer, found: Discovery, config: Config, kube: kubernetes.KubernetesResult) -> RenderResult:
    """Render what the scan holds (see the module's documentation) and read it into kube, which
    holds the plain manifests read so far (all but the files of kustomizations: held_files)."""
    start = time.perf_counter()
    root = renderer.root
    result = RenderResult(held_files=renderer.held & set(found.manifests))
    renderer.programs = programs.find(config)
    renderer.sandbox = programs.Sandbox()
    repo = argocd.repository(root)
    charts = {p: c.file for p, c in renderer.charts.items()}
    kusts = {p: k.file for p, k in renderer.kustomizations.items()}
    done: set[tuple[Any, ...]] = set()
    pointed: set[str] = set()
    looking_at = list(kube.resources)
    defaults_done = False
    try:
        for _round in range(MAX_ROUNDS):
            expansion = argocd.expand(looking_at, repo, charts, kusts, config.max_file_size)
            result.not_expanded += expansion.not_expanded
            result.remote += expansion.remote
            pointed |= expansion.pointed
            targets = [t for t in expansion.targets if t.key not in done]
            if not targets and not defaults_done:
                defaults_done = True
                targets = [t for t in renderer.defaults(pointed) if t.key not in done]
            if not targets:
                break
            done |= {t.key for t in targets}
            looking_at = []
            for r in renderer.render(targets):
                result.renderings.append(r)
                if r.state == RENDERED:
                    try:
                        looking_at += renderer.read(r, kube)
                    except Exception as e:  # noqa: BLE001 - placing one rendering's objects failed: say so
                        r.state, r.text = FAILED, ""
                        r.reason = _("hdslint failed while reading its output: {error}",
                                     error=f"{type(e).__name__}: {e}")
    finally:
        renderer.sandbox.close()
    _instances(result.renderings)
    result.covered_charts = renderer.covered_charts(result.renderings)
    result.covered_files = renderer.covered_files(result.renderings) & result.held_files
    unread = result.held_files - result.covered_files
    whole = {f for k in renderer.kustomizations.values() for f in k.resources}
    if unread & whole:  # a kustomization that was not built: its resources are read as they are written
        kube.extend(kubernetes.read(sorted(unread & whole), root, config.max_file_size))
    result.unread_files = unread - whole  # its patches are parts of objects: not read alone
    literal = _literal_templates(root, found, result.covered_charts, config.max_file_size)
    if literal:  # a chart that was not rendered: its templates without {{ }} are deployed as written
        kube.extend(kubernetes.read(literal, root, config.max_file_size))
    result.seconds = time.perf_counter() - start
    return result


def _literal_templates(root: str, found: Discovery, covered: set[str], max_bytes: int) -> list[str]:
    """The template files, of charts no rendering read, that hold no template action: helm
    deploys them as they are written, so they are read as manifests."""
    out = []
    for file, chart in sorted(found.chart_files.items()):
        inner = file if chart == "." else file[len(chart) + 1:]
        if chart in covered or not inner.startswith("templates/") or not file.endswith((".yaml", ".yml", ".json")):
            continue
        try:
            text = fileio.read_text(os.path.join(root, file), max_bytes)
        except fileio.Unreadable:
            continue
        if "{{" not in text and kubernetes.looks_like_manifest(text):
            out.append(file)
    return out


def _instances(renderings: list[Rendering]) -> None:
    """An address that more than one rendering gives (one chart, several Applications into the
    same namespace; the same template shared by several charts): each such object gets its
    rendering's name as an instance key, like Terraform's for_each (`Cluster/cnpg/pg[cnpg-prod]`).
    Addresses that only one rendering gives stay as they are."""
    owners: dict[str, set[int]] = {}
    for n, r in enumerate(renderings):
        for res in r.resources:
            owners.setdefault(res.address, set()).add(n)
    for r in renderings:
        r.instance = r.target.app.name if r.target.app else r.target.path
        for res in r.resources:
            if len(owners.get(res.address, ())) > 1:
                res.address = f"{res.address}[{r.instance}]"


def _without_definitions(text: str) -> str:
    """The output with its CustomResourceDefinitions blanked (their lines kept): schemas that
    hold no data, often most of an operator chart's output, not worth parsing."""
    if "kind: CustomResourceDefinition" not in text:
        return text
    lines = text.split("\n")
    starts = [0] + [i for i, line in enumerate(lines) if line.startswith("---")] + [len(lines)]
    for a, b in itertools.pairwise(starts):
        if any(line == "kind: CustomResourceDefinition" for line in lines[a:b]):
            for i in range(a + (1 if lines[a].startswith("---") else 0), b):
                lines[i] = ""
    return "\n".join(lines)


def _escape(value: str) -> str:
    """A --set value as ArgoCD passes it: commas escaped (helm would split on them)."""
    out, prev = [], ""
    for ch in value:
        out.append("\\," if ch == "," and prev != "\\" else ch)
        prev = ch
    return "".join(out)


def _set_json(inline: str) -> list[str]:
    """An Application's inline values as --set-json options, for the command a person runs."""
    import json

    try:
        docs = load_all(inline)
    except YAMLError:
        return ["-f", "<the Application's inline values>"]
    doc = docs[0][0] if docs else None
    if not isinstance(doc, dict):
        return []
    return [w for k, v in doc.items() for w in ("--set-json", f"{k}={json.dumps(v, separators=(',', ':'))}")]


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


__all__ = ["FAILED", "NOT_RENDERED", "RENDERED", "RenderResult", "Rendering", "needed", "run"]
