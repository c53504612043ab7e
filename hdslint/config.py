"""Configuration: .hdslint.yaml (or [tool.hdslint] in pyproject.toml), then command-line options.

A configuration file is validated against policies/schemas/config.schema.json; an invalid
one is a usage error (exit 2) with every problem listed, never a half-applied config.
Each effective value remembers where it came from (`hdslint config` prints it).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

import yaml

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
    profile: str = "default"  # strict: customer-managed keys, held in the EEA
    min_retention_days: float = 7
    k8s_provider: str | None = None  # kubernetes.provider: catalog id of the cluster's provider
    k8s_region: str | None = None
    helm_bin: str | None = None  # kubernetes.helm_bin, --helm-bin: else helm on PATH
    kustomize_bin: str | None = None  # kubernetes.kustomize_bin, --kustomize-bin: else kubectl or kustomize on PATH
    render_time_budget: float = 60.0  # kubernetes.render_time_budget: seconds for one chart or kustomization
    separate_site: str = "zone"  # zone or region
    lang: str = "en"  # messages and reports: en or fr
    source: str | None = None  # the file the configuration came from
    origins: dict[str, str] = field(default_factory=dict)  # field name -> where its value came from

    def set(self, name: str, value: Any, origin: str = COMMAND_LINE) -> None:
        setattr(self, name, value)
        self.origins[name] = origin

    def origin(self, name: str) -> str:
        return self.origins.get(name, DEFAULT)

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
            if f.name in ("source", "origins"):
                continue
            out.append((f.name, getattr(self, f.name), self.origin(f.name)))
        return out


def find_config_file(root: str) -> str | None:
    for name in CONFIG_NAMES:
        path = os.path.join(root, name)
        if os.path.isfile(path):
            return path
    pyproject = os.path.join(root, "pyproject.toml")
    if os.path.isfile(pyproject) and "[tool.hdslint]" in _read(pyproject):
        return pyproject
    return None


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


def load(path: str | None, known_rule: Callable[[str], bool] | None = None) -> Config:
    config = Config()
    if path is None:
        return config
    data = parse_file(path, known_rule)
    config.source = path
    origin = os.path.basename(path) if os.path.dirname(os.path.abspath(path)) == os.getcwd() else path
    base = os.path.dirname(os.path.abspath(path))
    locality = data.get("locality", {})
    tf = data.get("terraform", {})
    coverage = data.get("coverage", {})
    values = {
        "fail_on": data.get("fail_on"),
        "exclude": data.get("exclude"),
        "max_file_size": data.get("max_file_size"),
        "file_time_budget": data.get("file_time_budget"),
        "inline_suppressions": data.get("inline_suppressions"),
        "allowed_countries": locality.get("allowed_countries"),
        "undetermined_severity": locality.get("undetermined_severity"),
        "var_files": [os.path.join(base, p) for p in tf["var_files"]] if "var_files" in tf else None,
        "vars": [(k, _scalar(v)) for k, v in tf["vars"].items()] if "vars" in tf else None,
        "rules": data.get("rules"),
        "declarations": coverage.get("declarations"),
        "catalog_overrides": coverage.get("catalog_overrides"),
        "suppressions": data.get("suppressions"),
        "baseline": os.path.join(base, data["baseline"]) if "baseline" in data else None,
        "profile": data.get("profile"),
        "lang": data.get("lang"),
        "min_retention_days": data.get("backup", {}).get("min_retention_days"),
        "separate_site": data.get("backup", {}).get("separate_site"),
        "k8s_provider": data.get("kubernetes", {}).get("provider"),
        "k8s_region": data.get("kubernetes", {}).get("region"),
        "helm_bin": _program(base, data.get("kubernetes", {}).get("helm_bin")),
        "kustomize_bin": _program(base, data.get("kubernetes", {}).get("kustomize_bin")),
        "render_time_budget": data.get("kubernetes", {}).get("render_time_budget"),
    }
    for name, value in values.items():
        if value is not None:
            config.set(name, value, origin)
    return config


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
    """Raises ConfigError listing every problem; rule ids are checked with known_rule, given by
    the caller (the configuration does not know the rules)."""
    import jsonschema

    schema = json.loads((POLICIES_DIR / "schemas" / "config.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        lines = [f"{path}: invalid configuration:"]
        for e in errors:
            where = "/".join(str(p) for p in e.absolute_path) or "(top level)"
            lines.append(f"  {where}: {e.message}")
        raise ConfigError("\n".join(lines))
    if known_rule is None:
        return
    unknown = [r for r in data.get("rules", {}) if not known_rule(r)]
    for s in data.get("suppressions", []):
        unknown += [r for r in _as_list(s["rule"]) if "*" not in r and not known_rule(r)]
    if unknown:
        raise ConfigError(f"{path}: invalid configuration:\n  unknown rule id(s): {', '.join(unknown)}")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
