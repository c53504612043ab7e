"""Kubernetes manifests: YAML or JSON, multi-document, `List` kinds, standard input.

Each object becomes a Resource addressed `Kind/namespace/name` (`Kind/name` when it has no
namespace), with the facts of its kind (policies/kubernetes). Where its data lives is decided
once the cluster is known (hdslint.analysis.cluster). Template files are not read one by one:
Helm charts and kustomizations are rendered by their programs (hdslint.formats.render) and the
output is read here (`read_rendered`), each object placed back on the file and lines it comes
from; a template that is not rendered is reported.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from hdslint.i18n import _, join
from hdslint.knowledge.kubernetes import knowledge
from hdslint.model import Problem, Resource, Value
from hdslint.syntax import text as fileio
from hdslint.syntax.jsonpos import JArray, JObject, JSONError
from hdslint.syntax.jsonpos import loads as json_loads
from hdslint.syntax.yamlpos import YAMLError, load_all

# what only a Helm chart writes: whitespace trimming, the chart's objects, its functions
HELM_MARK = re.compile(r"\{\{-|\{\{\s*(?:\.Values|\.Release|\.Chart|\.Capabilities|\.Files|include\s|template\s"
                       r"|toYaml|if\s|range\s|with\s|define\s|end\s*\}\})")
SUPPRESS_ANNOTATION = "hdslint.io/ignore"


@dataclass
class KubernetesResult:
    resources: list[Resource] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    helm_templates: list[Problem] = field(default_factory=list)  # message: the file, or "template" for other tools
    comments: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    annotations: list[tuple[Resource, str]] = field(default_factory=list)  # (resource, annotation text)
    analysed_files: set[str] = field(default_factory=set)

    def extend(self, other: KubernetesResult) -> None:
        """other's objects and problems added to these (files read in a second pass)."""
        self.resources.extend(other.resources)
        self.problems.extend(other.problems)
        self.helm_templates.extend(other.helm_templates)
        self.comments.update(other.comments)
        self.annotations.extend(other.annotations)
        self.analysed_files |= other.analysed_files


def is_helm_template(text: str) -> bool:
    return bool(HELM_MARK.search(text))


def looks_like_manifest(head: str) -> bool:
    return "apiVersion" in head and "kind" in head


def read(paths: list[str], root: str, max_bytes: int, stdin_text: str | None = None) -> KubernetesResult:
    """Parse manifest files (relative paths under root) into resources."""
    import os

    result = KubernetesResult()
    sources: list[tuple[str, str | None]] = [(rel, None) for rel in paths]
    if stdin_text is not None:
        sources.append(("<stdin>", stdin_text))
    for rel, text in sources:
        if text is None:
            try:
                text = fileio.read_text(os.path.join(root, rel), max_bytes)
            except fileio.Unreadable as e:
                result.problems.append(Problem(rel, e.line, join((rel, e.message), " ")))
                continue
        if "{{" in text and ("/templates/" in f"/{rel}" or is_helm_template(text)):
            result.helm_templates.append(Problem(rel, _first_template_line(text), rel))
            continue
        try:
            docs = [(json_loads(text), 1)] if rel.endswith(".json") else load_all(text)
        except (YAMLError, JSONError) as e:
            if "{{" in text and "}}" in text:
                # placeholders of another templating tool (envsubst, mustache, Jinja): a template
                # to render first, not a broken manifest. Go templates inside strings (Prometheus
                # alert descriptions, Argo workflows) parse as YAML and are analysed.
                result.helm_templates.append(Problem(rel, _first_template_line(text), "template"))
                continue
            result.problems.append(Problem(rel, e.line, _("syntax error: {message}", message=e.message)))
            continue
        result.analysed_files.add(rel)
        result.comments[rel] = _comments(text)
        for doc, line in docs:
            for obj in _objects(doc):
                res = _resource(obj, rel, getattr(obj, "line", line))
                if res is not None:
                    result.resources.append(res)
                    note = _annotation(obj)
                    if note:
                        result.annotations.append((res, note))
    return result


# place(document, first line, last line) -> (the file it comes from, its line there of each rendered line)
Placer = Callable[[object, int, int], tuple[str, Callable[[int], int]]]


def read_rendered(result: KubernetesResult, text: str, where: tuple[str, int], place: Placer, root: str,
                  namespace: str = "") -> list[Resource]:
    """The objects of a rendered stream (helm template, kustomize build) into result: each one
    placed by place() on the file and lines it comes from, in the deployment `root` (one
    rendering). A namespaced object that names no namespace is in `namespace` (an ArgoCD
    Application's destination, which ArgoCD applies). A stream that is not YAML is a problem at
    `where` (the chart or kustomization)."""
    try:
        docs = load_all(text)
    except YAMLError as e:
        result.problems.append(Problem(where[0], where[1], _("the rendered output is not YAML (line {line}): "
                                                             "{message}", line=e.line, message=e.message)))
        return []
    total = text.count("\n") + 1
    out: list[Resource] = []
    for n, (doc, start) in enumerate(docs):
        last = docs[n + 1][1] - 1 if n + 1 < len(docs) else total
        file, line_of = place(doc, start, last)
        relocate(doc, line_of)
        for obj in _objects(doc):
            res = _resource(obj, file, getattr(obj, "line", line_of(start)), namespace)
            if res is None:
                continue
            res.root = root
            out.append(res)
            result.resources.append(res)
            note = _annotation(obj)
            if note:
                result.annotations.append((res, note))
    return out


def relocate(value: object, line_of: Callable[[int], int]) -> None:
    """Every line a parsed value remembers, moved by line_of (rendered line -> source line)."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, JObject):
            v.line = line_of(v.line)
            v.key_lines = {k: line_of(n) for k, n in v.key_lines.items()}
            stack.extend(x for x in v.values() if isinstance(x, (dict, list)))
        elif isinstance(v, JArray):
            v.line = line_of(v.line)
            v.item_lines = [line_of(n) for n in v.item_lines]
            stack.extend(x for x in v if isinstance(x, (dict, list)))


def comments_of(text: str) -> list[tuple[int, str]]:
    """The YAML comments of a file (hdslint:ignore suppressions), by line."""
    return _comments(text)


def _first_template_line(text: str) -> int:
    for n, line in enumerate(text.splitlines(), 1):
        if "{{" in line:
            return n
    return 1


def _objects(doc: Any) -> Iterator[dict[str, Any]]:
    """The Kubernetes objects in a document: itself, or the items of a List."""
    if not isinstance(doc, dict):
        return
    if str(doc.get("kind", "")).endswith("List") and isinstance(doc.get("items"), list):
        for item in doc["items"]:
            if isinstance(item, dict) and "kind" in item:
                yield item
    elif "kind" in doc and "apiVersion" in doc:
        yield doc


def _comments(text: str) -> list[tuple[int, str]]:
    """(line, text) of YAML comments: a # at a line start or after a space, outside quotes."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if "#" not in line:
            continue
        quote = None
        for i, ch in enumerate(line):
            if quote:
                if ch == quote:
                    quote = None
            elif ch in "\"'":
                quote = ch
            elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
                out.append((n, line[i:]))
                break
    return out


def _annotation(obj: dict[str, Any]) -> str | None:
    metadata = obj.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None  # metadata: a string, at worst
    value = annotations.get(SUPPRESS_ANNOTATION) if isinstance(annotations, dict) else None
    return str(value) if value else None


def _end_line(obj: Any, start: int) -> int:
    end = start
    stack: list[Any] = [obj]
    while stack:
        o = stack.pop()
        if isinstance(o, dict):
            if isinstance(o, JObject) and o.key_lines:
                end = max(end, max(o.key_lines.values()))
            stack.extend(v for v in o.values() if isinstance(v, (dict, list)))
        elif isinstance(o, list):
            stack.extend(v for v in o if isinstance(v, (dict, list)))
    return end


def _resource(obj: dict[str, Any], rel: str, line: int, default_namespace: str = "") -> Resource | None:
    kind = str(obj.get("kind", ""))
    meta: dict[str, Any] = obj["metadata"] if isinstance(obj.get("metadata"), dict) else {}
    name = str(meta.get("name", "") or meta.get("generateName", "") or "(unnamed)")
    namespace = meta.get("namespace")
    if not namespace and default_namespace and kind not in knowledge()["cluster_scoped"]["kinds"]:
        namespace = default_namespace
    address = f"{kind}/{namespace}/{name}" if namespace else f"{kind}/{name}"
    facts = knowledge()["kinds"].get(kind)
    group = str(obj.get("apiVersion", "")).split("/")[0]
    if facts and facts.get("api_group") and facts["api_group"] != group:
        facts = None
    res = Resource(
        address=address, type=kind, name=name, file=rel, line=line, end_line=_end_line(obj, line),
        source_format="kubernetes", provider="kubernetes", module=str(namespace or ""), root="kubernetes",
        facts=dict(facts) if facts else None, data_role=(facts or {}).get("data", "none"),
    )
    res.values = functools.partial(values, obj, rel)
    res.manifest = obj
    return res


def values(obj: Any, rel: str, path: str) -> list[Value]:
    """Values at a dotted path (keys may contain '/', as labels and annotations do)."""
    current: list[tuple[Any, int | None]] = [(obj, getattr(obj, "line", None))]
    parts = _split(path)
    for part in parts:
        nxt: list[tuple[Any, int | None]] = []
        for value, line in current:
            if part == "*":
                if isinstance(value, list):
                    nxt.extend((v, getattr(v, "line", line)) for v in value)
            elif isinstance(value, dict) and part in value:
                ln = value.key_lines.get(part, line) if isinstance(value, JObject) else line
                nxt.append((value[part], ln))
        current = nxt
    return [Value(v, rel, ln) for v, ln in current]


def _split(path: str) -> list[str]:
    """spec.template.spec.nodeSelector[topology.kubernetes.io/region] -> [..., 'topology...region']"""
    out = []
    for m in re.finditer(r"\[([^\]]*)\]|([^.\[]+)", path):
        out.append(m.group(1) if m.group(1) is not None else m.group(2))
    return out


def is_argocd(res: Resource) -> bool:
    """An ArgoCD Application or ApplicationSet: what the scan renders (hdslint.formats.argocd)."""
    api = str((res.manifest or {}).get("apiVersion", "")) if isinstance(res.manifest, dict) else ""
    return res.type in ("Application", "ApplicationSet") and api.startswith("argoproj.io/")
