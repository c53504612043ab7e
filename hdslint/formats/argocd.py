"""ArgoCD: the Applications and ApplicationSets of the scan, turned into renderings.

An Application whose source is a chart or a kustomization directory of the scanned repository
is rendered as it says: `helm.valueFiles` (relative to the chart, or `$ref/...` from another
source of the same repository), `values`, `valuesObject`, `parameters`, `fileParameters`,
`releaseName`, the destination namespace; kustomize's `namePrefix`, `nameSuffix`, `namespace`,
`commonLabels`, `commonAnnotations` and `images`. An ApplicationSet is expanded where its
generators are static: `list`, `git` directories and files of this repository (read in the
scanned tree, not at a revision), and `matrix` of those; its template is filled as ArgoCD
fills it (fasttemplate `{{name}}`, or Go templates with `goTemplate: true`: fields, `index`,
`default`, `lower`, `upper`, `quote`, `trimPrefix`, `trimSuffix`, `replace`, `printf`).
Generators that need a cluster or a service (clusters, clusterDecisionResource, scmProvider,
pullRequest, plugin) are reported as not expanded, with the reason. Sources in another
repository, or charts from a Helm repository, are reported as not checked.

A repoURL is this repository when it matches a remote of the scanned checkout's .git/config;
without one, when the path it names exists in the scan.
"""
from __future__ import annotations

import fnmatch
import json
import os
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from hdslint.formats.kubernetes import is_argocd
from hdslint.formats.targets import HELM, KUSTOMIZE, AppRef, NotExpanded, RemoteSource, Target
from hdslint.i18n import Text, _
from hdslint.model import Resource
from hdslint.syntax import text as fileio
from hdslint.syntax.yamlpos import YAMLError, load_all

MAX_GENERATED = 2000  # Applications one ApplicationSet may generate here
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".terraform"}
CLUSTER_GENERATORS = {
    "clusters": _("the clusters registered in ArgoCD"),
    "clusterDecisionResource": _("a resource of the cluster"),
    "scmProvider": _("an SCM provider's API"),
    "pullRequest": _("an SCM provider's pull requests"),
    "plugin": _("a generator plugin service"),
}


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


class Unexpandable(Exception):
    def __init__(self, reason: Text) -> None:
        super().__init__(str(reason))
        self.reason = reason


@dataclass
class Repository:
    """The scanned checkout: where Application paths start, and its remotes.

    Paths in Applications are relative to the repository's top. The top is the nearest folder
    holding .git above the scan root; a path is looked up there, then under the scan root (a
    scanned folder that is a repository of its own, vendored or extracted). The remotes are read
    only when the scan root is the checkout's top."""

    scan_root: str
    root: str
    remotes: set[str] = field(default_factory=set)  # from .git/config
    seen: set[str] = field(default_factory=set)  # without remotes: the repoURLs whose paths are in the scan
    _walks: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)

    @property
    def bases(self) -> list[str]:
        return [self.root] if self.root == self.scan_root else [self.root, self.scan_root]

    def is_this(self, url: str, path: str) -> bool:
        if self.remotes:
            return normalize_url(url) in self.remotes
        return self.local(path) is not None

    def known(self, url: str) -> bool | None:
        """Whether a repoURL is this repository: its remotes say; without them, a URL whose
        paths are found in the scan is; None when nothing tells."""
        if self.remotes:
            return normalize_url(url) in self.remotes
        return True if normalize_url(url) in self.seen else None

    def learn(self, sources: Iterator[dict[str, Any]]) -> None:
        """Without remotes, the repoURLs of Application sources whose paths are in the scan."""
        if self.remotes:
            return
        for s in sources:
            url, path = str(s.get("repoURL") or ""), str(s.get("path") or "")
            if url and path and "{{" not in url + path and self.local(path) is not None:
                self.seen.add(normalize_url(url))

    def local(self, path: str) -> str | None:
        """A repository path as a path relative to the scan root, when it is inside the scan."""
        real_scan = os.path.realpath(self.scan_root)
        for base in self.bases:
            full = os.path.normpath(os.path.join(base, path or "."))
            real = os.path.realpath(full)
            if (real == real_scan or real.startswith(real_scan.rstrip(os.sep) + os.sep)) and os.path.exists(real):
                rel = os.path.relpath(full, self.scan_root).replace(os.sep, "/")
                if not rel.startswith("../"):
                    return rel
        return None

    def walk(self, base: str) -> tuple[list[str], list[str]]:
        """Every directory and file inside the scan, as paths relative to base."""
        if base not in self._walks:
            dirs: list[str] = []
            files: list[str] = []
            top = os.path.realpath(self.scan_root)
            for dirpath, dirnames, filenames in os.walk(top):
                dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS
                                     and not os.path.islink(os.path.join(dirpath, d)))
                rel = os.path.relpath(dirpath, os.path.realpath(base)).replace(os.sep, "/")
                if rel != ".":
                    dirs.append(rel)
                files.extend(f if rel == "." else f"{rel}/{f}" for f in sorted(filenames))
            self._walks[base] = (dirs, files)
        return self._walks[base]


def repository(scan_root: str) -> Repository:
    """The checkout holding the scan root (the nearest folder with .git), and its remotes."""
    root = os.path.abspath(scan_root)
    probe = root
    while True:
        if os.path.exists(os.path.join(probe, ".git")):
            remotes = _remotes(os.path.join(probe, ".git", "config")) if probe == root else set()
            return Repository(scan_root=root, root=probe, remotes=remotes)
        parent = os.path.dirname(probe)
        if parent == probe:
            return Repository(scan_root=root, root=root)
        probe = parent


def _remotes(config: str) -> set[str]:
    try:
        text = fileio.read_text(config, 1 << 20)
    except fileio.Unreadable:
        return set()
    return {normalize_url(m.group(1)) for m in re.finditer(r"^\s*url\s*=\s*(\S+)", text, re.MULTILINE)}


def normalize_url(url: str) -> str:
    """github.com/org/repo for https://github.com/org/repo.git, git@github.com:org/repo..."""
    u = url.strip().lower()
    u = re.sub(r"^[a-z][a-z0-9+.-]*://", "", u)
    u = re.sub(r"^[^@/]+@", "", u)
    if ":" in u.split("/", 1)[0]:
        host, _sep, rest = u.partition(":")
        u = f"{host}/{rest}" if not rest.isdigit() else host
    u = u.rstrip("/")
    return u[:-4] if u.endswith(".git") else u


@dataclass
class Expansion:
    targets: list[Target] = field(default_factory=list)
    not_expanded: list[NotExpanded] = field(default_factory=list)
    remote: list[RemoteSource] = field(default_factory=list)
    pointed: set[str] = field(default_factory=set)  # chart and kustomization directories some Application renders


def expand(resources: list[Resource], repo: Repository, charts: dict[str, str], kustomizations: dict[str, str],
           max_bytes: int) -> Expansion:
    """Targets for every Application (and generated Application) of resources. charts and
    kustomizations: directory -> its Chart.yaml or kustomization file (relative to the scan root)."""
    out = Expansion()
    argo = [res for res in resources if is_argocd(res) and isinstance(res.manifest, dict)]
    repo.learn(s for res in argo for s in _sources(res.manifest))
    for res in argo:
        if res.type == "Application":
            _application(res.manifest, AppRef(res.name, "Application", res.file, res.line), repo, charts,
                         kustomizations, out)
            continue
        try:
            apps = generate(res.manifest, repo, max_bytes)
        except Unexpandable as e:
            out.not_expanded.append(NotExpanded(res.file, res.line, res.name, e.reason))
            continue
        for app in apps:
            name = str(((app.get("metadata") or {}).get("name")) or res.name)
            _application(app, AppRef(name, "ApplicationSet", res.file, res.line), repo, charts, kustomizations, out)
    return out


def _sources(obj: dict[str, Any]) -> Iterator[dict[str, Any]]:
    spec = _dict(obj.get("spec"))
    if obj.get("kind") == "ApplicationSet":
        spec = _dict(_dict(spec.get("template")).get("spec"))
    for s in _list(spec.get("sources")) or [spec.get("source")]:
        if isinstance(s, dict):
            yield s


def _application(app: dict[str, Any], ref: AppRef, repo: Repository, charts: dict[str, str],
                 kustomizations: dict[str, str], out: Expansion) -> None:
    spec = _dict(app.get("spec"))
    dest = _dict(spec.get("destination"))
    ref = AppRef(ref.name, ref.kind, ref.file, ref.line, str(dest.get("name") or dest.get("server") or ""))
    namespace = str(dest.get("namespace") or "")
    sources: list[dict[str, Any]] = [s for s in (_list(spec.get("sources")) or [spec.get("source")])
                                     if isinstance(s, dict)]
    refs = {str(s["ref"]): s for s in sources if s.get("ref")}
    for source in sources:
        if source.get("ref") and not source.get("path") and not source.get("chart"):
            continue  # a source of values files for the others
        url = str(source.get("repoURL") or "")
        if source.get("chart"):
            version = str(source.get("targetRevision") or "")
            out.remote.append(RemoteSource(ref.file, ref.line, ref.name, f"{url} {source['chart']} {version}".strip()))
            continue
        path = str(source.get("path") or "")
        local = repo.local(path) if repo.is_this(url, path) else None
        if local is None:
            out.remote.append(RemoteSource(ref.file, ref.line, ref.name, f"{url} {path}".strip()))
            continue
        local = local or "."
        if local in charts:
            out.pointed.add(local)
            out.targets.append(_helm_target(source, local, charts[local], ref, namespace, repo, refs))
        elif local in kustomizations:
            out.pointed.add(local)
            options = _dict(source.get("kustomize"))
            kept = tuple(sorted((k, v) for k, v in options.items() if k in ("namePrefix", "nameSuffix", "namespace",
                                                                            "commonLabels", "commonAnnotations",
                                                                            "images")))
            out.targets.append(Target(kind=KUSTOMIZE, path=local, file=kustomizations[local], namespace=namespace,
                                      kustomize=kept, app=ref))
        # a plain directory of manifests is read as it is, like any other file of the scan


def _helm_target(source: dict[str, Any], chart: str, chart_file: str, ref: AppRef, namespace: str,
                 repo: Repository, refs: dict[str, dict[str, Any]]) -> Target:
    helm = _dict(source.get("helm"))
    release = str(helm.get("releaseName") or ref.name)
    namespace = str(helm.get("namespace") or namespace)
    files: list[str] = []
    missing: list[str] = []
    error: Text = ""
    for value_file in _list(helm.get("valueFiles")):
        value_file = str(value_file)
        found, why = _value_file(value_file, chart, repo, refs)
        if found:
            files.append(found)
        elif helm.get("ignoreMissingValueFiles") and why is None:
            missing.append(value_file)
        elif not error:
            error = why or _("values file {file} does not exist", file=value_file)
    inline: list[str] = []
    if isinstance(helm.get("values"), str) and helm["values"].strip():
        inline.append(helm["values"])
    if isinstance(helm.get("valuesObject"), dict) and helm["valuesObject"]:
        inline.append(json.dumps(helm["valuesObject"]))
    params = tuple((str(p.get("name")), "" if p.get("value") is None else _scalar(p.get("value")),
                    bool(p.get("forceString")))
                   for p in _list(helm.get("parameters")) if isinstance(p, dict) and p.get("name"))
    file_params: list[tuple[str, str]] = []
    for p in _list(helm.get("fileParameters")):
        if not isinstance(p, dict) or not p.get("name") or not p.get("path"):
            continue
        found = _inside_chart(str(p["path"]), chart, repo)
        if found is None and not error:
            error = _("file parameter {name}: {file} does not exist in the scan", name=p["name"], file=p["path"])
        elif found:
            file_params.append((str(p["name"]), found))
    return Target(kind=HELM, path=chart, file=chart_file, release=release, namespace=namespace,
                  value_files=tuple(files), values=tuple(inline), parameters=params,
                  file_parameters=tuple(file_params), app=ref, missing_ignored=tuple(missing), error=error)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _inside_chart(path: str, chart: str, repo: Repository) -> str | None:
    rel = posixpath.normpath(posixpath.join(chart, path))
    full = os.path.realpath(os.path.join(repo.scan_root, rel))
    scan = os.path.realpath(repo.scan_root)
    if rel.startswith("../") or not full.startswith(scan.rstrip(os.sep) + os.sep) or not os.path.isfile(full):
        return None
    return rel


def _value_file(value_file: str, chart: str, repo: Repository,
                refs: dict[str, dict[str, Any]]) -> tuple[str | None, Text | None]:
    """(the values file relative to the scan root, None) or (None, why it cannot be had; None
    when it is simply missing)."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", value_file):
        return None, _("values file {file} is fetched from the network: not read", file=value_file)
    if value_file.startswith("$"):
        name, _sep, rest = value_file[1:].partition("/")
        src = refs.get(name)
        if src is None:
            return None, _("values file {file}: no source has ref {ref}", file=value_file, ref=name)
        if not repo.is_this(str(src.get("repoURL") or ""), str(src.get("path") or "")):
            return None, _("values file {file} comes from {url}, another repository: not in the scan", file=value_file,
                           url=src.get("repoURL"))
        base = repo.local(str(src.get("path") or "")) or "."
        rel = posixpath.normpath(posixpath.join(base, rest))
    else:
        rel = posixpath.normpath(posixpath.join(chart, value_file))
    full = os.path.realpath(os.path.join(repo.scan_root, rel))
    scan = os.path.realpath(repo.scan_root)
    if rel.startswith("../") or not full.startswith(scan.rstrip(os.sep) + os.sep):
        return None, _("values file {file} is outside the scanned directory: not read", file=value_file)
    return (rel, None) if os.path.isfile(full) else (None, None)


# ---- ApplicationSets ---------------------------------------------------------------------------------

def generate(appset: dict[str, Any], repo: Repository, max_bytes: int) -> list[dict[str, Any]]:
    """The Applications an ApplicationSet generates from what is in the scan; raises Unexpandable."""
    spec = _dict(appset.get("spec"))
    go = bool(spec.get("goTemplate"))
    template = spec.get("template")
    if not isinstance(template, dict):
        raise Unexpandable(_("it has no template"))
    if spec.get("templatePatch"):
        raise Unexpandable(_("templatePatch is not applied by hdslint"))
    apps = []
    for gen in _list(spec.get("generators")):
        for params in _generator(gen, repo, go, max_bytes, 0):
            apps.append(fill(template, params, go))
            if len(apps) > MAX_GENERATED:
                raise Unexpandable(_("it generates more than {count} Applications", count=MAX_GENERATED))
    return apps


def _generator(gen: Any, repo: Repository, go: bool, max_bytes: int, depth: int) -> list[dict[str, Any]]:
    if not isinstance(gen, dict) or len(gen) == 0:
        return []
    if gen.get("selector") is not None:
        raise Unexpandable(_("a generator selector is not applied by hdslint"))
    kind = next(iter(k for k in gen if k not in ("selector",)), "")
    body = gen.get(kind)
    if kind in CLUSTER_GENERATORS:
        raise Unexpandable(_("the {generator} generator reads {what}, which only a running ArgoCD knows",
                             generator=kind, what=CLUSTER_GENERATORS[kind]))
    if not isinstance(body, dict):
        raise Unexpandable(_("the {generator} generator is not one hdslint expands", generator=kind))
    if body.get("template"):
        raise Unexpandable(_("a generator template override is not applied by hdslint"))
    if kind == "list":
        if body.get("elementsYaml"):
            raise Unexpandable(_("list elementsYaml is not expanded by hdslint"))
        elements = body.get("elements") or []
        return [(e if go else _flatten(e)) for e in elements if isinstance(e, dict)] if isinstance(elements, list) \
            else []
    if kind == "git":
        return _git(body, repo, go, max_bytes)
    if kind == "matrix" and depth < 2:
        children = _list(body.get("generators"))
        if len(children) != 2:
            raise Unexpandable(_("a matrix generator needs exactly two generators"))
        out = []
        for first in _generator(children[0], repo, go, max_bytes, depth + 1):
            second_gen = fill(children[1], first, go)
            for second in _generator(second_gen, repo, go, max_bytes, depth + 1):
                out.append({**first, **second})
        return out
    raise Unexpandable(_("the {generator} generator is not one hdslint expands", generator=kind))


def _git(body: dict[str, Any], repo: Repository, go: bool, max_bytes: int) -> list[dict[str, Any]]:
    url = str(body.get("repoURL") or "")
    known = repo.known(url)
    if known is False:
        raise Unexpandable(_("its git generator reads {url}, another repository", url=url))
    out = _git_params(body, repo, go, max_bytes)
    if not out and known is None:  # nothing says it is this repository, and nothing here matches
        raise Unexpandable(_("its git generator reads {url}, and nothing in the scan matches its paths (another "
                             "repository?)", url=url))
    return out


def _git_params(body: dict[str, Any], repo: Repository, go: bool, max_bytes: int) -> list[dict[str, Any]]:
    for base in repo.bases:
        out = _git_params_from(body, repo, base, go, max_bytes)
        if out:
            return out
    return []


def _git_params_from(body: dict[str, Any], repo: Repository, base: str, go: bool,
                     max_bytes: int) -> list[dict[str, Any]]:
    prefix = str(body.get("pathParamPrefix") or "")
    values = _dict(body.get("values"))
    dirs, files = repo.walk(base)
    out: list[dict[str, Any]] = []
    if body.get("directories"):
        items = [d for d in body["directories"] if isinstance(d, dict) and d.get("path")]
        for d in dirs:
            matched = [i for i in items if _match(str(i["path"]), d, doublestar=False)]
            if matched and not any(i.get("exclude") for i in matched):
                out.append(_with_values(_path_params(d, None, prefix, go), values, go))
        return out
    if body.get("files"):
        items = [f for f in body["files"] if isinstance(f, dict) and f.get("path")]
        chosen = [f for f in files if any(_match(str(i["path"]), f, doublestar=True) for i in items
                                          if not i.get("exclude"))
                  and not any(_match(str(i["path"]), f, doublestar=True) for i in items if i.get("exclude"))]
        for f in sorted(chosen):
            for obj in _file_objects(repo, base, f, max_bytes):
                params = dict(obj) if go else _flatten(obj)
                params.update(_path_params(posixpath.dirname(f), f, prefix, go))
                out.append(_with_values(params, values, go))
        return out
    raise Unexpandable(_("its git generator has neither directories nor files"))


def _file_objects(repo: Repository, base: str, rel: str, max_bytes: int) -> list[dict[str, Any]]:
    local = os.path.relpath(os.path.join(base, rel), repo.scan_root)
    try:
        docs = load_all(fileio.read_text(os.path.join(repo.scan_root, local), max_bytes))
    except (fileio.Unreadable, YAMLError) as e:
        raise Unexpandable(_("its git generator reads {file}, which cannot be parsed", file=rel)) from e
    doc = docs[0][0] if docs else {}
    if isinstance(doc, dict):
        return [doc]
    if isinstance(doc, list):
        return [d for d in doc if isinstance(d, dict)]
    return [{}] if doc is None else []


def _path_params(path: str, file: str | None, prefix: str, go: bool) -> dict[str, Any]:
    base = posixpath.basename(path)
    if go:
        p: dict[str, Any] = {"path": path, "basename": base, "basenameNormalized": sanitize(base),
                             "segments": path.split("/")}
        if file is not None:
            p["filename"] = posixpath.basename(file)
            p["filenameNormalized"] = sanitize(posixpath.basename(file))
        return {prefix: {"path": p}} if prefix else {"path": p}
    name = f"{prefix}.path" if prefix else "path"
    flat = {name: path, f"{name}.basename": base, f"{name}.basenameNormalized": sanitize(base)}
    if file is not None:
        flat[f"{name}.filename"] = posixpath.basename(file)
        flat[f"{name}.filenameNormalized"] = sanitize(posixpath.basename(file))
    for i, seg in enumerate(path.split("/")):
        if seg:
            flat[f"{name}[{i}]"] = seg
    return flat


def _with_values(params: dict[str, Any], values: dict[str, Any], go: bool) -> dict[str, Any]:
    if not values:
        return params
    rendered = {str(k): fill(str(v), params, go) for k, v in values.items()}
    if go:
        return {**params, "values": rendered}
    return {**params, **{f"values.{k}": v for k, v in rendered.items()}}


def sanitize(name: str) -> str:
    """ArgoCD's SanitizeName: a valid Kubernetes name (lower case, '-' for other characters)."""
    s = re.sub(r"[^a-z0-9.-]", "-", name.lower())
    return s.strip("-.")[:253]


def _match(pattern: str, path: str, doublestar: bool) -> bool:
    regex = ""
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if doublestar and pattern.startswith("**", i):
            regex += ".*"
            i += 2
            if i < len(pattern) and pattern[i] == "/":
                regex = regex[:-2] + "(?:.*/)?"
                i += 1
            continue
        regex += "[^/]*" if ch == "*" else "[^/]" if ch == "?" else re.escape(ch) if ch not in "[]" else ch
        i += 1
    try:
        return re.fullmatch(regex, path) is not None
    except re.error:
        return fnmatch.fnmatchcase(path, pattern)


def _flatten(obj: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out.update(_flatten(v, f"{prefix}.{i}" if prefix else str(i)))
    else:
        out[prefix] = _scalar(obj) if obj is not None else ""
    return out


# ---- templates --------------------------------------------------------------------------------------

ACTION = re.compile(r"\{\{(-?)(.*?)(-?)\}\}", re.DOTALL)


def fill(value: Any, params: dict[str, Any], go: bool) -> Any:
    """value with every string filled from params (fasttemplate, or Go templates)."""
    if isinstance(value, dict):
        return {k: fill(v, params, go) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, params, go) for v in value]
    if isinstance(value, str) and "{{" in value:
        return _go(value, params) if go else _fast(value, params)
    return value


def _fast(text: str, params: dict[str, Any]) -> str:
    def sub(m: re.Match[str]) -> str:
        key = m.group(1).strip()
        return str(params[key]) if key in params else m.group(0)
    return re.sub(r"\{\{([^{}]*)\}\}", sub, text)


def _go(text: str, params: dict[str, Any]) -> str:
    out: list[str] = []
    pos = 0
    for m in ACTION.finditer(text):
        literal = text[pos:m.start()]
        if m.group(1):
            literal = literal.rstrip()
        out.append(literal)
        try:
            out.append(_pipeline(m.group(2).strip(), params))
        except (ValueError, TypeError, AttributeError, RecursionError):
            raise Unexpandable(_("template {{{{ {expr} }}}} is not one hdslint evaluates",
                                 expr=m.group(2).strip())) from None
        pos = m.end()
        if m.group(3):
            while pos < len(text) and text[pos].isspace():
                pos += 1
    out.append(text[pos:])
    return "".join(out)


TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|`[^`]*`|\(|\)|[^\s()]+')


def _pipeline(expr: str, params: dict[str, Any]) -> str:
    if not expr or expr.startswith("/*"):
        return ""
    value: Any = None
    for n, command in enumerate(_split_pipes(expr)):
        tokens = TOKEN.findall(command)
        if not tokens:
            raise Unexpandable(_("template {{{{ {expr} }}}} is empty", expr=expr))
        args = [_arg(t, params, expr) for t in tokens[1:]]
        if n > 0:
            args.append(value)
        head = tokens[0]
        if n == 0 and len(tokens) == 1 and not head.isidentifier():
            value = _arg(head, params, expr)
        else:
            value = _call(head, args, expr)
    return "" if value is None else _scalar(value) if not isinstance(value, (dict, list)) else json.dumps(value)


def _split_pipes(expr: str) -> Iterator[str]:
    part, quote = "", ""
    for ch in expr:
        if quote:
            part += ch
            if ch == quote:
                quote = ""
        elif ch in "\"`":
            quote = ch
            part += ch
        elif ch == "|":
            yield part.strip()
            part = ""
        else:
            part += ch
    yield part.strip()


def _arg(token: str, params: dict[str, Any], expr: str) -> Any:
    if token.startswith('"'):
        return json.loads(token)
    if token.startswith("`"):
        return token[1:-1]
    if re.fullmatch(r"-?\d+", token):
        return int(token)
    if token in ("true", "false"):
        return token == "true"
    if token.startswith("."):
        value: Any = params
        for part in [p for p in token.split(".") if p]:
            if not isinstance(value, dict) or part not in value:
                raise Unexpandable(_("template {{{{ {expr} }}}}: {field} is not a parameter here", expr=expr,
                                     field=token))
            value = value[part]
        return value
    raise Unexpandable(_("template {{{{ {expr} }}}} is not one hdslint evaluates", expr=expr))


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "lower": lambda s: str(s).lower(),
    "upper": lambda s: str(s).upper(),
    "quote": lambda s: json.dumps(_scalar(s)),
    "trim": lambda s: str(s).strip(),
    "trimPrefix": lambda p, s: str(s)[len(p):] if str(s).startswith(p) else str(s),
    "trimSuffix": lambda p, s: str(s)[:-len(p)] if p and str(s).endswith(p) else str(s),
    "replace": lambda old, new, s: str(s).replace(old, new),
    "default": lambda d, v=None: v if v not in (None, "", [], {}, 0, False) else d,
    "toString": lambda s: _scalar(s),
    "normalize": lambda s: sanitize(str(s)),
}


def _call(name: str, args: list[Any], expr: str) -> Any:
    if name == "index":
        value = args[0] if args else None
        for key in args[1:]:
            try:
                value = value[key]  # type: ignore[index]
            except (KeyError, IndexError, TypeError):
                raise Unexpandable(_("template {{{{ {expr} }}}}: index {key} is out of range", expr=expr,
                                     key=key)) from None
        return value
    if name == "printf" and args:
        values = iter(args[1:])
        try:
            return re.sub(r"%[sdv]", lambda m: _scalar(next(values)), str(args[0]))
        except StopIteration:
            raise Unexpandable(_("template {{{{ {expr} }}}}: printf lacks arguments", expr=expr)) from None
    func = FUNCTIONS.get(name)
    if func is None:
        raise Unexpandable(_("template {{{{ {expr} }}}} uses {function}, which hdslint does not evaluate", expr=expr,
                             function=name))
    try:
        return func(*args)
    except TypeError:
        raise Unexpandable(_("template {{{{ {expr} }}}}: wrong arguments to {function}", expr=expr,
                             function=name)) from None
