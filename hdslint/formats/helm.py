"""Helm charts: read what Chart.yaml says, build the `helm template` command, and place each
rendered object back on the template it comes from.

`helm template` marks every document with `# Source: <chart>/templates/<file>` (subcharts:
`<chart>/charts/<sub>/templates/<file>`). The file is found in the scanned tree (through
vendored subchart directories, symbolic links inside the scan and aliases); a template inside a
vendored archive (`charts/<sub>-<version>.tgz`) is placed on the archive. Lines are placed by
aligning the rendered document with the template text: a line written as is in the template
keeps its line; a line produced by an expression (`{{ toYaml .Values.backup | nindent 4 }}`)
gets the line of that expression.
"""
from __future__ import annotations

import difflib
import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hdslint.formats.targets import Target
from hdslint.syntax import text as fileio
from hdslint.syntax.yamlpos import YAMLError, load_all

CHART_FILE = "Chart.yaml"
SOURCE_MARK = "# Source: "
MAX_ALIGN = 4_000_000  # rendered lines x template lines beyond which lines are not aligned
ERROR_AT = re.compile(r"([\w.@+~-]+(?:/[\w.@+~-]+)*/templates/[\w.@+~/-]+?):(\d+)(?::\d+)?")


@dataclass
class Chart:
    """A chart directory of the scan, as its Chart.yaml describes it."""

    path: str  # relative to the scan root ("." for the root)
    name: str
    library: bool = False
    dependencies: list[dict[str, Any]] = field(default_factory=list)
    subcharts: set[str] = field(default_factory=set)  # chart directories it vendors (relative, real paths)

    @property
    def file(self) -> str:
        return CHART_FILE if self.path == "." else f"{self.path}/{CHART_FILE}"


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _rel(path: str, root: str) -> str:
    rel = os.path.relpath(path, root).replace(os.sep, "/")
    return rel


def read_chart(root: str, path: str, max_bytes: int) -> Chart:
    """The chart at path (relative); what cannot be read leaves the defaults (helm says why)."""
    full = os.path.join(root, path)
    chart = Chart(path=path, name=posixpath.basename(os.path.abspath(full)))
    meta = _yaml_file(os.path.join(full, CHART_FILE), max_bytes)
    if isinstance(meta, dict):
        chart.name = str(meta.get("name") or chart.name)
        chart.library = meta.get("type") == "library"
        deps = meta.get("dependencies")
        chart.dependencies = [d for d in deps if isinstance(d, dict)] if isinstance(deps, list) else []
    real_root = os.path.realpath(root)
    charts_dir = os.path.join(full, "charts")
    entries = sorted(os.listdir(charts_dir)) if os.path.isdir(charts_dir) else []
    for entry in entries:
        sub = os.path.realpath(os.path.join(charts_dir, entry))
        if os.path.isfile(os.path.join(sub, CHART_FILE)) and _inside(sub, real_root):
            chart.subcharts.add(_rel(sub, real_root))
    for dep in chart.dependencies:
        repo = str(dep.get("repository") or "")
        if repo.startswith("file://"):
            sub = os.path.realpath(os.path.join(full, repo[len("file://"):]))
            if os.path.isfile(os.path.join(sub, CHART_FILE)) and _inside(sub, real_root):
                chart.subcharts.add(_rel(sub, real_root))
    return chart


def _yaml_file(path: str, max_bytes: int) -> Any:
    try:
        docs = load_all(fileio.read_text(path, max_bytes))
    except (fileio.Unreadable, YAMLError):
        return None
    return docs[0][0] if docs else None


def command(helm: str, target: Target, chart_dir: str, values: list[str], sets: list[str],
            skip_schema: bool = False) -> list[str]:
    """The argument list of `helm template`: never a shell. values: -f files in order; sets:
    --set, --set-string, --set-file options with their argument."""
    argv = [helm, "template", target.release or "release", chart_dir, "--skip-tests"]
    if target.namespace:
        argv += ["--namespace", target.namespace]
    if skip_schema:
        argv.append("--skip-schema-validation")
    for v in values:
        argv += ["--values", v]
    return argv + sets


REMOTE_REF = re.compile(rb'"\$ref"\s*:\s*"https?://')
MAX_ARCHIVE = 10 * 1024 * 1024


def remote_schema(root: str, chart: str, cache: dict[str, bool]) -> bool:
    """Whether a chart or one of its vendored subcharts (directories, archives) has a
    values.schema.json that refers to a schema over HTTP: helm would fetch it while validating
    the values, so the rendering skips validation (--skip-schema-validation) rather than fail
    without network. cache: real path -> answer, shared by the renderings of a scan."""
    real_root = os.path.realpath(root)
    stack, seen, found = [os.path.realpath(os.path.join(root, chart))], set(), False
    while stack and not found:
        d = stack.pop()
        if d in seen or not _inside(d, real_root):
            continue
        seen.add(d)
        if d not in cache:
            cache[d] = _schema_refers_out(os.path.join(d, "values.schema.json"))
            charts = os.path.join(d, "charts")
            for entry in sorted(os.listdir(charts)) if os.path.isdir(charts) else []:
                full = os.path.realpath(os.path.join(charts, entry))
                if entry.endswith(".tgz") and os.path.isfile(full) and _inside(full, real_root):
                    if full not in cache:
                        cache[full] = _archive_refers_out(full)
                    cache[d] = cache[d] or cache[full]
                elif os.path.isdir(full):
                    stack.append(full)
        found = cache[d]
    return found


def _schema_refers_out(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            return bool(REMOTE_REF.search(f.read(MAX_ARCHIVE)))
    except OSError:
        return False


def _archive_refers_out(path: str) -> bool:
    """A vendored chart archive: its values.schema.json files, read in memory (never unpacked)."""
    import tarfile

    try:
        if os.path.getsize(path) > MAX_ARCHIVE:
            return False
        with tarfile.open(path, "r:gz") as tar:
            for member in tar:
                if member.isfile() and member.name.endswith("/values.schema.json") and member.size < MAX_ARCHIVE:
                    data = tar.extractfile(member)
                    if data is not None and REMOTE_REF.search(data.read()):
                        return True
    except (OSError, tarfile.TarError, EOFError):
        return False
    return False


def needs_schema_skip(message: str) -> bool:
    """helm validates values against a values.schema.json, and fetches the schemas it refers
    to over HTTP: with no network that fails; the rendering is made again without validation."""
    return "failing loading \"http" in message or "HTTP request failed" in message


def missing_dependency(message: str) -> bool:
    return "missing in charts/ directory" in message or "found in Chart.yaml, but missing" in message


class Sources:
    """Where each rendered document comes from, for one rendering of one chart."""

    def __init__(self, root: str, chart_path: str, max_bytes: int) -> None:
        self.root = root
        self.real_root = os.path.realpath(root)
        self.chart_dir = os.path.join(root, chart_path)
        self.max_bytes = max_bytes
        self.chart_file = CHART_FILE if chart_path == "." else f"{chart_path}/{CHART_FILE}"
        self._templates: dict[str, list[str] | None] = {}
        self._names: dict[str, dict[str, str]] = {}

    def file_of(self, source: str) -> tuple[str, bool]:
        """(file relative to the scan root, whether it is the template itself) for a `# Source:`
        path: the template file, else the vendored archive holding it, else the chart's Chart.yaml."""
        parts = [p for p in source.split("/") if p]
        if len(parts) < 2:
            return self.chart_file, False
        current, i = self.chart_dir, 1
        while i + 2 < len(parts) and parts[i] == "charts":
            found = self._subchart(current, parts[i + 1])
            if found is None:
                return self.chart_file, False
            if found.endswith(".tgz"):
                return _rel(found, self.real_root), False
            current, i = found, i + 2
        path = os.path.realpath(os.path.join(current, *parts[i:]))
        if os.path.isfile(path) and _inside(path, self.real_root):
            return _rel(path, self.real_root), True
        return self.chart_file, False

    def _subchart(self, parent: str, name: str) -> str | None:
        """The subchart called `name` in parent/charts: a directory (by its name, its Chart.yaml
        name or a dependency alias) or an archive <name>-<version>.tgz. Real paths inside the scan."""
        charts = os.path.join(parent, "charts")
        if parent not in self._names:
            names: dict[str, str] = {}
            entries = sorted(os.listdir(charts)) if os.path.isdir(charts) else []
            for entry in entries:
                full = os.path.realpath(os.path.join(charts, entry))
                if not _inside(full, self.real_root):
                    continue
                if entry.endswith(".tgz"):
                    names.setdefault(re.sub(r"-v?\d+(\.\d+)*([-+][\w.+-]*)?\.tgz$", "", entry), full)
                elif os.path.isdir(full):
                    meta = _yaml_file(os.path.join(full, CHART_FILE), self.max_bytes)
                    names.setdefault(entry, full)
                    if isinstance(meta, dict) and meta.get("name"):
                        names.setdefault(str(meta["name"]), full)
            meta = _yaml_file(os.path.join(parent, CHART_FILE), self.max_bytes)
            deps = meta.get("dependencies") if isinstance(meta, dict) else None
            for dep in deps if isinstance(deps, list) else []:
                if isinstance(dep, dict) and dep.get("alias") and str(dep.get("name")) in names:
                    names.setdefault(str(dep["alias"]), names[str(dep["name"])])
            self._names[parent] = names
        return self._names[parent].get(name)

    def lines(self, file: str) -> list[str] | None:
        if file not in self._templates:
            try:
                self._templates[file] = fileio.read_text(os.path.join(self.root, file), self.max_bytes).splitlines()
            except fileio.Unreadable:
                self._templates[file] = None
        return self._templates[file]

    def placer(self, output: str) -> Callable[[Any, int, int], tuple[str, Callable[[int], int]]]:
        """place(document, first line, last line) for kubernetes.read_rendered: the template file
        each document comes from (its `# Source:` comment) and the line there of each rendered line."""
        out_lines = output.splitlines()
        source_at: list[str] = []
        current = ""
        for line in out_lines:
            if line.startswith(SOURCE_MARK):
                current = line[len(SOURCE_MARK):].strip()
            elif line.startswith("---"):
                current = ""
            source_at.append(current)

        def place(doc: Any, first: int, last: int) -> tuple[str, Callable[[int], int]]:
            source = source_at[first - 1] if 0 < first <= len(source_at) else ""
            if not source:
                return self.chart_file, lambda n: 1
            file, is_template = self.file_of(source)
            template = self.lines(file) if is_template else None
            if template is None:
                return file, lambda n: 1
            mapping = align(out_lines[first - 1:last], template)
            return file, lambda n: mapping[n - first] if 0 <= n - first < len(mapping) else (mapping[0] if mapping
                                                                                            else 1)
        return place

    def error_location(self, message: str) -> tuple[str, int] | None:
        """The template file and line helm names in its error, when it is in the scan."""
        m = ERROR_AT.search(message)
        if not m:
            return None
        file, is_template = self.file_of(m.group(1))
        return (file, int(m.group(2))) if is_template else (file, 1)


def _key(line: str, i: int, side: str) -> str:
    """What a line is compared by: its text without indentation; blank lines and comments never
    match (they would pull the alignment astray)."""
    s = line.strip()
    return f"\0{side}{i}" if not s or s.startswith("#") or s == "---" else s


KEY = re.compile(r"^\s*(?:- )?([\w./-]+):(?:\s|$)")


def _fill_gap(rendered: list[str], template: list[str], lines: range, gap: range, last: int, out: list[int]) -> None:
    """Rendered lines between two aligned blocks: a line whose key is written in the template gap
    (`endpointURL: {{ .Values.endpoint }}`) gets that line; the others the gap's first expression
    (`{{ toYaml .Values.backup | nindent 4 }}`), else its first line, else the last aligned line."""
    expressions = [k for k in gap if "{{" in template[k]] or list(gap)
    keyed = [(k, m.group(1)) for k in gap for m in [KEY.match(template[k])] if m]
    at = gap.start
    for r in lines:
        m = KEY.match(rendered[r])
        same = next((k for k, key in keyed if k >= at and m and key == m.group(1)), None)
        if same is not None:
            out[r], at = same + 1, same
            continue
        following = [k for k in expressions if k >= at] or expressions
        out[r] = following[0] + 1 if following else last


def align(rendered: list[str], template: list[str]) -> list[int]:
    """For each rendered line, its line (1-based) in the template: lines written as is keep
    theirs, the others get the line of the expression that printed them. A template holding
    several documents is aligned on the one that matches best."""
    if not rendered:
        return []
    if not template or len(rendered) * len(template) > MAX_ALIGN:
        return [1] * len(rendered)
    a = [_key(s, i, "r") for i, s in enumerate(rendered)]
    b = [_key(s, j, "t") for j, s in enumerate(template)]
    starts = [0] + [j + 1 for j, s in enumerate(template) if s.startswith("---")]
    best: tuple[int, int, list[tuple[int, int, int]]] = (-1, 0, [])
    for n_seg, start in enumerate(starts):
        end = starts[n_seg + 1] - 1 if n_seg + 1 < len(starts) else len(b)
        blocks = difflib.SequenceMatcher(None, a, b[start:end], autojunk=False).get_matching_blocks()
        score = sum(m.size for m in blocks)
        if score > best[0]:
            best = (score, start, [(m.a, m.b + start, m.size) for m in blocks])
    _score, start, matched = best
    out = [start + 1] * len(a)
    a_pos, b_pos, last = 0, start, start + 1
    for i, j, n in matched:
        if a_pos < i:
            _fill_gap(rendered, template, range(a_pos, i), range(b_pos, j), last, out)
        for k in range(n):
            out[i + k] = j + k + 1
        if n:
            last = j + n
        a_pos, b_pos = i + n, j + n
    return out
