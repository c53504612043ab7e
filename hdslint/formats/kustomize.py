"""Kustomizations: what a kustomization.yaml reads (files, bases, remote references), the wrapper
that builds it with origin annotations, and the placing of each built object back on the file
and lines it comes from.

hdslint never fetches a remote base (`github.com/org/repo//path?ref=v1`, `https://...`): a
kustomization that refers to one is reported with what is missing, not built. It never lets a
build read outside the scan: a local reference that leaves it is reported too. The build runs
on a wrapper kustomization in the sandbox (`resources: [<the directory>]`, `buildMetadata:
[originAnnotations]`, and the options an ArgoCD Application adds), so each object says which
file it comes from; its lines are then matched key by key with that file's object.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from hdslint.formats.targets import Target
from hdslint.syntax import text as fileio
from hdslint.syntax.jsonpos import JArray, JObject
from hdslint.syntax.yamlpos import YAMLError, load_all

NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
ORIGIN = "config.kubernetes.io/origin"
REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@|(?:github\.com|gitlab\.com|bitbucket\.org)/)|\?ref=|\?version=")
# the ArgoCD Application kustomize options a wrapper applies as kustomize itself would
WRAPPER_OPTIONS = ("namePrefix", "nameSuffix", "namespace", "commonLabels", "commonAnnotations", "images")


@dataclass
class Kustomization:
    path: str  # the directory, relative to the scan root
    file: str  # its kustomization file, relative
    bases: set[str] = field(default_factory=set)  # kustomization directories it builds on (relative)
    files: set[str] = field(default_factory=set)  # files it reads (resources, patches, generators)
    resources: set[str] = field(default_factory=set)  # of those, whole objects (resources, crds)
    remote: list[tuple[str, int]] = field(default_factory=list)  # (reference, line): never fetched
    outside: list[tuple[str, int]] = field(default_factory=list)  # local references leaving the scan
    helm_charts: int = 0  # helmCharts: line (needs --enable-helm, which downloads: not run)
    component: bool = False  # kind: Component: built only as part of another kustomization


def find_file(directory: str) -> str | None:
    for name in NAMES:
        if os.path.isfile(os.path.join(directory, name)):
            return name
    return None


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def read(root: str, path: str, max_bytes: int) -> Kustomization:
    full = os.path.join(root, path)
    name = find_file(full) or NAMES[0]
    k = Kustomization(path=path, file=name if path == "." else f"{path}/{name}")
    try:
        docs = load_all(fileio.read_text(os.path.join(full, name), max_bytes))
    except (fileio.Unreadable, YAMLError):
        return k  # kustomize says why
    doc = docs[0][0] if docs else None
    if not isinstance(doc, dict):
        return k
    real_root = os.path.realpath(root)
    k.component = doc.get("kind") == "Component"
    if doc.get("helmCharts"):
        k.helm_charts = doc.key_lines.get("helmCharts", 1) if isinstance(doc, JObject) else 1
    for ref, line, whole in _references(doc):
        if REMOTE.search(ref):
            k.remote.append((ref, line))
            continue
        target = os.path.realpath(os.path.join(full, ref))
        if not _inside(target, real_root):
            k.outside.append((ref, line))
            continue
        rel = os.path.relpath(target, real_root).replace(os.sep, "/")
        if os.path.isdir(target):
            if find_file(target):
                k.bases.add(rel)
        elif os.path.isfile(target):
            k.files.add(rel)
            if whole:
                k.resources.add(rel)
    return k


def _entries(value: Any, line: int, whole: bool) -> Iterator[tuple[str, int, bool]]:
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    lines = value.item_lines if isinstance(value, JArray) else []
    for i, item in enumerate(items):
        if isinstance(item, str) and item.strip() and "\n" not in item:
            yield item.strip(), lines[i] if i < len(lines) else line, whole


def _references(doc: dict[str, Any]) -> Iterator[tuple[str, int, bool]]:
    """Every local or remote path a kustomization reads (path, line, whether it holds whole
    objects): resources, bases, components, crds; patch files, generator files, transformer and
    generator configurations (parts of objects, or not objects)."""
    def line_of(key: str) -> int:
        return doc.key_lines.get(key, 1) if isinstance(doc, JObject) else 1

    for key in ("resources", "bases", "components", "crds"):
        yield from _entries(doc.get(key), line_of(key), True)
    for key in ("patchesStrategicMerge", "configurations", "transformers", "generators", "validators"):
        yield from _entries(doc.get(key), line_of(key), False)
    for key in ("patches", "patchesJson6902"):
        for item in doc.get(key) or [] if isinstance(doc.get(key), list) else []:
            if isinstance(item, dict) and isinstance(item.get("path"), str):
                yield item["path"], getattr(item, "line", line_of(key)), False
            elif isinstance(item, str) and "\n" not in item:
                yield item, line_of(key), False
    for key in ("configMapGenerator", "secretGenerator"):
        for gen in doc.get(key) or [] if isinstance(doc.get(key), list) else []:
            if not isinstance(gen, dict):
                continue
            line = getattr(gen, "line", line_of(key))
            for f in gen.get("files") or [] if isinstance(gen.get("files"), list) else []:
                if isinstance(f, str):
                    yield f.split("=", 1)[-1], line, False
            for e in ([gen["env"]] if isinstance(gen.get("env"), str) else []) + [
                    e for e in gen.get("envs") or [] if isinstance(e, str)]:
                yield e, line, False
    openapi = doc.get("openapi")
    if isinstance(openapi, dict) and isinstance(openapi.get("path"), str):
        yield openapi["path"], line_of("openapi"), False


def wrapper(target: Target, wrapper_dir: str, root: str) -> str:
    """The text of the wrapper kustomization.yaml written in wrapper_dir (the sandbox)."""
    import json

    rel = os.path.relpath(os.path.join(os.path.abspath(root), target.path), wrapper_dir)
    lines = [f"resources:\n  - {json.dumps(rel)}", "buildMetadata: [originAnnotations]"]
    for key, value in target.kustomize:
        if key in WRAPPER_OPTIONS:
            lines.append(f"{key}: {json.dumps(value)}")
    return "\n".join(lines) + "\n"


class Origins:
    """Where each built object comes from, for one build."""

    def __init__(self, root: str, wrapper_dir: str, target: Target, max_bytes: int) -> None:
        self.root = root
        self.real_root = os.path.realpath(root)
        self.wrapper_dir = wrapper_dir
        self.target = target
        self.max_bytes = max_bytes
        self._docs: dict[str, list[Any]] = {}

    def _source_docs(self, file: str) -> list[Any]:
        if file not in self._docs:
            try:
                self._docs[file] = [d for d, _line in load_all(fileio.read_text(os.path.join(self.root, file),
                                                                               self.max_bytes))]
            except (fileio.Unreadable, YAMLError):
                self._docs[file] = []
        return self._docs[file]

    def place(self, doc: Any, first: int, last: int) -> tuple[str, Callable[[int], int]]:
        """The file a built object comes from (its origin annotation, which is then removed) and
        the line there of each of its lines, matched key by key with the object written there."""
        origin = _pop_origin(doc)
        file, is_resource = self.target.file, False
        if origin:
            path = origin.get("path") or origin.get("configuredIn")
            if isinstance(path, str) and not origin.get("repo"):
                real = os.path.realpath(os.path.join(self.wrapper_dir, path))
                if _inside(real, self.real_root) and os.path.isfile(real):
                    file = os.path.relpath(real, self.real_root).replace(os.sep, "/")
                    is_resource = "path" in origin
        source = self._match(doc, file) if is_resource else None
        if source is None:
            return file, lambda n: 1
        mapping: dict[int, int] = {}
        _pair(doc, source, getattr(source, "line", 1), mapping)
        start = getattr(source, "line", 1)
        return file, lambda n: mapping.get(n, start)

    def _match(self, doc: Any, file: str) -> Any:
        """The object written in file that the built object comes from: same kind, and the
        name the build kept (namePrefix and nameSuffix added around it)."""
        if not isinstance(doc, dict):
            return None
        kind = doc.get("kind")
        name = str((doc.get("metadata") or {}).get("name") or "")
        candidates = [d for d in self._source_docs(file) if isinstance(d, dict) and d.get("kind") == kind]
        named = [d for d in candidates if str((d.get("metadata") or {}).get("name") or "") in name]
        named.sort(key=lambda d: -len(str((d.get("metadata") or {}).get("name") or "")))
        found = named or candidates
        return found[0] if found else None


def _pop_origin(doc: Any) -> dict[str, Any] | None:
    """The origin annotation kustomize added for the wrapper, removed from the object."""
    if not isinstance(doc, dict):
        return None
    meta = doc.get("metadata")
    if not isinstance(meta, dict):
        return None
    annotations = meta.get("annotations")
    if not isinstance(annotations, dict) or ORIGIN not in annotations:
        return None
    text = annotations.pop(ORIGIN)
    if isinstance(annotations, JObject):
        annotations.key_lines.pop(ORIGIN, None)
    if not annotations:
        meta.pop("annotations")
        if isinstance(meta, JObject):
            meta.key_lines.pop("annotations", None)
    try:
        parsed = load_all(str(text))
    except YAMLError:
        return None
    value = parsed[0][0] if parsed else None
    return value if isinstance(value, dict) else None


def _pair(built: Any, source: Any, default: int, out: dict[int, int]) -> None:
    """out[line of the built object] = line of the same key in the source object, else the line
    of its nearest parent there."""
    if isinstance(built, JObject):
        here = source.line if isinstance(source, JObject) else default
        out.setdefault(built.line, here)
        for key, value in built.items():
            same = source.get(key) if isinstance(source, dict) else None
            line = source.key_lines.get(key) if isinstance(source, JObject) and key in source else None
            if key in built.key_lines:
                out.setdefault(built.key_lines[key], line or here)
            _pair(value, same, line or here, out)
    elif isinstance(built, JArray):
        here = source.line if isinstance(source, JArray) else default
        out.setdefault(built.line, here)
        for i, value in enumerate(built):
            same = source[i] if isinstance(source, list) and i < len(source) else None
            line = source.item_lines[i] if isinstance(source, JArray) and i < len(source.item_lines) else here
            if i < len(built.item_lines):
                out.setdefault(built.item_lines[i], line)
            _pair(value, same, line, out)
