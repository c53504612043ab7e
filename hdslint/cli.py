"""Command line: hdslint scan | rules."""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
from dataclasses import dataclass

import click

from hdslint import __version__
from hdslint.model import SEVERITIES

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


@dataclass
class RenderOptions:
    fail_on: str
    color: bool


class _Group(click.Group):
    def format_epilog(self, ctx, formatter):
        if self.epilog:
            formatter.write_paragraph()
            for line in self.epilog.splitlines():
                formatter.write(line + "\n")


EPILOG = """Examples:
  hdslint scan                         scan the current directory
  hdslint scan infra/ --format json    JSON report (schema_version 1)
  hdslint scan plan.json               a plan from `terraform show -json plan.out`
  hdslint scan --var-file prod.tfvars --var region=eu-west-3
  hdslint rules                        every rule with its family, severity and basis
  hdslint rules HDS-LOC-001            one rule's documentation

Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it,
2 usage or configuration error."""


@click.group(cls=_Group, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="hdslint", message="%(prog)s %(version)s")
def main():
    """hdslint checks infrastructure code (Terraform, plans) against the French HDS
    health-data hosting rules: data stored only in the EEA, on certified providers,
    encrypted and backed up."""


@main.command(epilog=EPILOG)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report to FILE.")
@click.option("--fail-on", type=click.Choice([*SEVERITIES, "none"]), default=None,
              help="Lowest severity that fails the scan (exit 1). Default: medium, or fail_on in the config.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="Configuration file (default: .hdslint.yaml or [tool.hdslint] in pyproject.toml at the scan root).")
@click.option("--var-file", "var_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Terraform variables file applied to every root module, after terraform.tfvars "
                   "and *.auto.tfvars (repeatable).")
@click.option("--var", "cli_vars", multiple=True, metavar="NAME=VALUE",
              help="Terraform variable value, like terraform -var (repeatable).")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date used for expiry checks (suppressions, certificates), for reproducible runs.")
@click.option("--no-inline-suppressions", is_flag=True, help="Ignore hdslint:ignore comments (audit runs).")
@click.option("--color/--no-color", default=None, help="Colour output (default: only on a terminal).")
def scan(paths, fmt, output, fail_on, config_path, var_files, cli_vars, today, no_inline_suppressions, color):
    """Scan PATHS (default: the current directory) and report HDS findings.

    Directories are searched for Terraform files (.tf, .tf.json, .tfvars) and plan JSON
    files. Files named explicitly bring their whole Terraform module directory along, and
    only findings in those files are reported (what a pre-commit hook wants)."""
    from hdslint import config as config_mod
    from hdslint import engine
    from hdslint.discover import scan_root
    from hdslint.report import render

    paths = list(paths) or ["."]
    root = scan_root(paths)
    try:
        config = config_mod.load(config_path or config_mod.find_config_file(root))
    except config_mod.ConfigError as e:
        click.echo(f"hdslint: {e}", err=True)
        sys.exit(EXIT_USAGE)
    parsed_vars = []
    for item in cli_vars:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="--var")
        parsed_vars.append((name.strip(), value))
    config.var_files = config.var_files + [os.path.abspath(v) for v in var_files]
    config.vars = config.vars + parsed_vars
    if no_inline_suppressions:
        config.inline_suppressions = False
    fail_on = fail_on or config.fail_on
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))
    result = engine.scan(paths, config, today=today.date() if today else None)
    use_colour = color if color is not None else (output is None and sys.stdout.isatty() and fmt == "text")
    text = render(fmt, result, RenderOptions(fail_on=fail_on, color=use_colour))
    if output:
        with open(output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        click.echo(text, nl=False)
    sys.exit(EXIT_FINDINGS if result.failing(fail_on) else EXIT_OK)


@main.command()
@click.argument("rule_id", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(rule_id, fmt):
    """List every rule, or show one rule's documentation."""
    from hdslint.rules import all_rules

    mods = all_rules()
    if rule_id:
        mods = [m for m in mods if m.RULE.id == rule_id.upper() or m.RULE.name == rule_id]
        if not mods:
            click.echo(f"hdslint: no rule {rule_id!r}; `hdslint rules` lists them", err=True)
            sys.exit(EXIT_USAGE)
    if fmt == "json":
        click.echo(json.dumps([_rule_dict(m) for m in mods], indent=2, ensure_ascii=False))
        return
    if rule_id:
        r = mods[0].RULE
        click.echo(f"{r.id} {r.name} ({r.family}, {r.severity})\n\n{r.doc}\n\nBasis: {r.basis}\n"
                   f"Remediation: {r.remediation}")
        return
    for m in mods:
        r = m.RULE
        click.echo(f"{r.id:<15} {r.family:<12} {r.severity:<8} {r.title}")
        click.echo(f"{'':<15} basis: {r.basis}")


def _rule_dict(mod) -> dict:
    r = mod.RULE
    return {"id": r.id, "name": r.name, "family": r.family, "severity": r.severity, "title": r.title,
            "basis": r.basis, "perimeters": list(r.perimeters), "remediation": r.remediation,
            "documentation": r.doc}


