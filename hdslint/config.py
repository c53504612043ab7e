"""Configuration: .hdslint.yaml (or [tool.hdslint] in pyproject.toml), then command-line options.

A configuration file is validated against policies/schemas/config.schema.json; an invalid
one is a usage error (exit 2) with every problem listed, never a half-applied config.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

import yaml

from hdslint.files import DEFAULT_MAX_BYTES
from hdslint.knowledge import POLICIES_DIR

CONFIG_NAMES = (".hdslint.yaml", ".hdslint.yml")


class ConfigError(Exception):
    """The configuration cannot be used; the message lists why."""


@dataclass
class Config:
    fail_on: str = "medium"
    exclude: list = field(default_factory=list)
    max_file_size: int = DEFAULT_MAX_BYTES
    inline_suppressions: bool = True
    allowed_countries: list | None = None
    undetermined_severity: str = "medium"
    var_files: list = field(default_factory=list)
    vars: list = field(default_factory=list)  # [(name, text)]
    rules: dict = field(default_factory=dict)
    source: str | None = None  # the file the configuration came from

    def rule_enabled(self, rule_id: str) -> bool:
        return self.rules.get(rule_id, {}).get("enabled", True)

    def rule_severity(self, rule_id: str, default: str) -> str:
        if rule_id == "HDS-LOC-002" and "severity" not in self.rules.get(rule_id, {}):
            return self.undetermined_severity
        return self.rules.get(rule_id, {}).get("severity", default)


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


def load(path: str | None) -> Config:
    config = Config()
    if path is None:
        return config
    text = _read(path)
    if path.endswith(".toml"):
        try:
            import tomllib
        except ImportError:  # Python 3.10
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
    validate(data, path)
    config.source = path
    config.fail_on = data.get("fail_on", config.fail_on)
    config.exclude = list(data.get("exclude", []))
    config.max_file_size = data.get("max_file_size", config.max_file_size)
    config.inline_suppressions = data.get("inline_suppressions", True)
    locality = data.get("locality", {})
    config.allowed_countries = locality.get("allowed_countries")
    config.undetermined_severity = locality.get("undetermined_severity", config.undetermined_severity)
    tf = data.get("terraform", {})
    base = os.path.dirname(os.path.abspath(path))
    config.var_files = [os.path.join(base, p) for p in tf.get("var_files", [])]
    config.vars = [(k, _scalar(v)) for k, v in tf.get("vars", {}).items()]
    config.rules = data.get("rules", {})
    return config


def _scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def validate(data, path: str) -> None:
    import jsonschema

    schema = json.loads((POLICIES_DIR / "schemas" / "config.schema.json").read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"{path}: invalid configuration:"]
        for e in errors:
            where = "/".join(str(p) for p in e.absolute_path) or "(top level)"
            lines.append(f"  {where}: {e.message}")
        raise ConfigError("\n".join(lines))
    from hdslint.rules import rule_by_id

    unknown = [r for r in data.get("rules", {}) if rule_by_id(r) is None]
    if unknown:
        raise ConfigError(f"{path}: invalid configuration:\n  rules: unknown rule id(s): {', '.join(unknown)}")
