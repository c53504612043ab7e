"""Configuration: .hdslint.yaml (or [tool.hdslint] in pyproject.toml), then command-line options.

A configuration file is validated against policies/schemas/config.schema.json; an invalid
one is a usage error (exit 2) with every problem listed, never a half-applied config.
Each effective value remembers where it came from (`hdslint config` prints it).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from hdslint.knowledge.store import POLICIES_DIR
from hdslint.syntax.text import DEFAULT_MAX_BYTES

CONFIG_NAMES = (".hdslint.yaml", ".hdslint.yml")
DEFAULT = "default"
COMMAND_LINE = "command line"


class ConfigError(Exception):
    """The configuration cannot be used; the message lists why."""


@dataclass
class Config:
    fail_on: str = "medium"
    exclude: list[str] = field(default_factory=list)
    max_file_size: int = DEFAULT_MAX_BYTES
    file_time_budget: float = 10.0  # seconds to parse one file; a module gets six times more
    inline_suppressions: bool = True
    allowed_countries: list[str] | None = None
    undetermined_severity: str = "medium"
    var_files: list[str] = field(default_factory=list)
    vars: list[tuple[str, str]] = field(default_factory=list)  # [(name, text)]
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    declarations: list[dict[str, Any]] = field(default_factory=list)  # coverage.declarations
    catalog_overrides: dict[str, Any] = field(default_factory=dict)  # coverage.catalog_overrides
    suppressions: list[dict[str, Any]] = field(default_factory=list)  # config-file suppressions (JSON has no comments)
    baseline: str | None = None
    profile: str | list[str] = "default"  # strict: customer-managed keys in the EEA; audit: paperwork fails too
    min_retention_days: float = 7
    k8s_provider: str | None = None  # kubernetes.provider: catalog id of the cluster's provider
    k8s_region: str | None = None
    helm_bin: str | None = None  # kubernetes.helm_bin, --helm-bin: else helm on PATH
    kustomize_bin: str | None = None  # kubernetes.kustomize_bin, --kustomize-bin: else kubectl or kustomize on PATH
    render_time_budget: float = 60.0  # kubernetes.render_time_budget: seconds for one chart or kustomization
    separate_site: str = "zone"  # zone or region
    lang: str = "en"  # messages and reports: en or fr
    source: str | None = None  # the file the configuration came from
    directory: str | None = None  # its folder: paths written in it (exclude, suppressions) are relative to it
    origins: dict[str, str] = field(default_factory=dict)  # field name -> where its value came from

    def set(self, name: str, value: Any, origin: str = COMMAND_LINE) -> None:
        setattr(self, name, value)
        self.origins[name] = origin

    def origin(self, name: str) -> str:
        return self.origins.get(name, DEFAULT)

    def has_profile(self, name: str) -> bool:
        """Profiles combine (profile: [strict, audit])."""
        return name in ([self.profile] if isinstance(self.profile, str) else self.profile)

    def rule_enabled(self, rule_id: str) -> bool:
        return bool(self.rules.get(rule_id, {}).get("enabled", True))

    def rule_severity(self, rule_id: str, default: str) -> str:
        """The severity `rules:` gives a rule, else its default (which a rule may take from a
        setting of its own, e.g. locality.undetermined_severity)."""
        return str(self.rules.get(rule_id, {}).get("severity", default))

    def effective(self) -> list[tuple[str, Any, str]]:
        """[(name, value, origin)] of every setting, for `hdslint config`."""
        out = []
        for f in fields(self):
            if f.name in ("source", "directory", "origins"):
                continue
            out.append((f.name, getattr(self, f.name), self.origin(f.name)))
        return out


def find_config_file(start: str) -> str | None:
    """The closest configuration file, like ruff and yamllint: .hdslint.yaml (or .yml, or
    pyproject.toml with [tool.hdslint]) in `start` (a folder, or a file's folder), else in its
    parents, up to the repository root (the folder holding .git) or the filesystem root."""
    here = os.path.abspath(start)
    if not os.path.isdir(here):
        here = os.path.dirname(here)
    while True:
        for name in CONFIG_NAMES:
            path = os.path.join(here, name)
            if os.path.isfile(path):
                return path
        pyproject = os.path.join(here, "pyproject.toml")
        if os.path.isfile(pyproject) and "[tool.hdslint]" in _read(pyproject):
            return pyproject
        parent = os.path.dirname(here)
        if parent == here or os.path.exists(os.path.join(here, ".git")):
            return None
        here = parent


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot be read: {e}") from None


def parse_file(path: str, known_rule: Callable[[str], bool] | None = None) -> dict[str, Any]:
    """The configuration mapping in a file, validated; raises ConfigError."""
    text = _read(path)
    if path.endswith(".toml"):
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # Python 3.10
            import tomli as tomllib
        try:
            data = tomllib.loads(text).get("tool", {}).get("hdslint", {})
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"{path}: invalid TOML: {e}") from None
    else:
        import yaml  # here: a scan without a configuration file reads no YAML of its own

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark else ""
            raise ConfigError(f"{path}: invalid YAML{where}: {getattr(e, 'problem', e)}") from None
        if data is None:
            data = {}
    data = _dates_as_text(data)
    validate(data, path, known_rule)
    return data


# Where each setting is written in a configuration file (its keys, section first).
FILE_KEYS: dict[str, tuple[str, ...]] = {
    "fail_on": ("fail_on",),
    "lang": ("lang",),
    "profile": ("profile",),
    "exclude": ("exclude",),
    "max_file_size": ("max_file_size",),
    "file_time_budget": ("file_time_budget",),
    "inline_suppressions": ("inline_suppressions",),
    "baseline": ("baseline",),
    "allowed_countries": ("locality", "allowed_countries"),
    "undetermined_severity": ("locality", "undetermined_severity"),
    "var_files": ("terraform", "var_files"),
    "vars": ("terraform", "vars"),
    "min_retention_days": ("backup", "min_retention_days"),
    "separate_site": ("backup", "separate_site"),
    "k8s_provider": ("kubernetes", "provider"),
    "k8s_region": ("kubernetes", "region"),
    "helm_bin": ("kubernetes", "helm_bin"),
    "kustomize_bin": ("kubernetes", "kustomize_bin"),
    "render_time_budget": ("kubernetes", "render_time_budget"),
    "declarations": ("coverage", "declarations"),
    "catalog_overrides": ("coverage", "catalog_overrides"),
    "suppressions": ("suppressions",),
    "rules": ("rules",),
}


def load(path: str | None, known_rule: Callable[[str], bool] | None = None) -> Config:
    config = Config()
    if path is None:
        return config
    data = parse_file(path, known_rule)
    config.source = path
    config.directory = base = os.path.dirname(os.path.abspath(path))
    shown = os.path.relpath(path)
    origin = path if shown.startswith("..") else shown.replace(os.sep, "/")
    for name, keys in FILE_KEYS.items():
        section = data.get(keys[0]) if len(keys) > 1 else data
        if not isinstance(section, dict) or keys[-1] not in section:
            continue
        value = section[keys[-1]]
        if name == "var_files":
            value = [os.path.join(base, p) for p in value]
        elif name == "vars":
            value = [(k, _scalar(v)) for k, v in value.items()]
        elif name == "baseline":
            value = os.path.join(base, value)
        elif name in ("helm_bin", "kustomize_bin"):
            value = _program(base, value)
        config.set(name, value, origin)
    return config


def as_file(config: Config) -> list[tuple[tuple[str, ...], Any, str]]:
    """[(keys, value, origin)] of every setting as a configuration file writes it (None: not
    set), paths relative to the configuration file's folder: what `hdslint config` prints."""
    base = config.directory or os.getcwd()
    out: list[tuple[tuple[str, ...], Any, str]] = []
    for name, keys in FILE_KEYS.items():
        value = getattr(config, name)
        if name == "var_files":
            value = [_relative(p, base) for p in value]
        elif name == "vars":
            value = dict(value)
        elif name in ("baseline", "helm_bin", "kustomize_bin") and value is not None and (
                name == "baseline" or "/" in value):
            value = _relative(value, base)
        out.append((keys, value, config.origin(name)))
    return out


def _relative(path: str, base: str) -> str:
    rel = os.path.relpath(os.path.abspath(path), base)
    return path if rel.startswith("..") else rel.replace(os.sep, "/")


def _program(base: str, value: str | None) -> str | None:
    """A program named in the configuration: a path relative to the file's directory, or a
    bare name looked up on PATH."""
    if value is None or "/" not in value:
        return value
    return os.path.join(base, os.path.expanduser(value))


def _dates_as_text(value: Any) -> Any:
    """YAML reads 2027-03-31 as a date; the schema and the code want the text."""
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return value


def _scalar(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def validate(data: dict[str, Any], path: str, known_rule: Callable[[str], bool] | None = None) -> None:
    """Raises ConfigError listing every problem. Rule ids are checked with known_rule, given by
    the caller (the configuration does not know the rules); when it also has a `closest(rule_id)`
    method, an unknown id comes with the closest known ones."""
    import jsonschema

    schema = json.loads((POLICIES_DIR / "schemas" / "config.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    named = _rule_ids(data) if known_rule is not None else []
    named_at = {where for where, _ in named}
    lines = []
    for e in errors:
        where = "/".join(str(p) for p in e.absolute_path) or "(top level)"
        if where in named_at or where.rsplit("/", 1)[0] in named_at:
            continue  # a rule id: checked below, with the closest known ones
        lines.append(f"  {where}: {e.message}")
    if known_rule is not None:
        pattern = re.compile(schema["$defs"]["rule_pattern"]["pattern"])
        for where, rule_id in named:
            if "*" in rule_id:
                if not pattern.match(rule_id):
                    lines.append(f"  {where}: {rule_id!r} is neither a rule id nor a family wildcard (HDS-LOC-*)")
            elif not known_rule(rule_id):
                lines.append(f"  {where}: {_unknown(rule_id, known_rule)}")
    if lines:
        raise ConfigError("\n".join([f"{path}: invalid configuration:", *lines]))


def _rule_ids(data: dict[str, Any]) -> list[tuple[str, str]]:
    """[(where, rule id)] of the rule ids a configuration names (under rules:, in suppressions),
    where they are written as ids (strings)."""
    rules = data.get("rules")
    named = [("rules", r) for r in rules] if isinstance(rules, dict) else []
    suppressions = data.get("suppressions")
    for n, entry in enumerate(suppressions if isinstance(suppressions, list) else []):
        rule = entry.get("rule") if isinstance(entry, dict) else None
        ids = _as_list(rule)
        if ids and all(isinstance(r, str) for r in ids):
            named += [(f"suppressions/{n}/rule", r) for r in ids]
    return named


def _unknown(rule_id: str, known_rule: Callable[[str], bool]) -> str:
    closest = getattr(known_rule, "closest", None)
    near = closest(rule_id) if callable(closest) else []
    hint = f" (closest known: {', '.join(near)})" if near else ""
    return f"unknown rule id {rule_id!r}{hint}; `hdslint rules` lists them all"


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
