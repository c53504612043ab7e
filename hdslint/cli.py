"""Command line: hdslint scan | transfers | rules."""
from __future__ import annotations

import json
import os
import sys
from typing import NoReturn

import click

from hdslint import __version__
from hdslint.model import SEVERITIES

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _epilog_as_written(self: click.Command, ctx: click.Context, formatter: click.HelpFormatter) -> None:
    """The examples one per line, as written (click would rewrap them into one paragraph)."""
    if self.epilog:
        formatter.write_paragraph()
        for line in self.epilog.splitlines():
            formatter.write(line + "\n")


class _Group(click.Group):
    format_epilog = _epilog_as_written


class _Command(click.Command):
    format_epilog = _epilog_as_written


EPILOG = """Examples:
  hdslint scan                         scan the current directory
  hdslint scan infra/ --format json    JSON report (schema_version 1)
  hdslint scan plan.json               a plan from `terraform show -json plan.out`
  hdslint scan scalingo.json           a Scalingo manifest (app.json too)
  hdslint scan --format html -o rapport.html --lang fr
                                       the audit report, in French
  hdslint scan --var-file prod.tfvars --var region=eu-west-3
  hdslint scan --checkov               merge checkov's encryption, backup, logging
                                       and exposure findings (checkov installed apart)
  hdslint transfers --format markdown  the map of transfers outside the EEA (EXI 31)
  hdslint rules                        every rule with its family, severity and basis
  hdslint rules HDS-LOC-001            one rule's documentation

Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it,
2 usage or configuration error."""


class _KnownRules:
    """What a configuration may name: an hdslint rule or a mapped checkov check; and, for an id
    it does not know, the closest known ones (the configuration loader does not know the rules)."""

    def __call__(self, rule_id: str) -> bool:
        from hdslint.rules import rule_by_id

        return rule_by_id(rule_id) is not None

    def closest(self, rule_id: str) -> list[str]:
        import difflib

        from hdslint.knowledge import checkov
        from hdslint.rules import all_rules

        ids = [m.RULE.id for m in all_rules()] + list(checkov.mapping()["checks"])
        return difflib.get_close_matches(rule_id.upper(), ids, n=3, cutoff=0.6)


known_rule = _KnownRules()


@click.group(cls=_Group, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="hdslint", message="%(prog)s %(version)s")
def main():
    """hdslint checks infrastructure code (Terraform, plans) against the French HDS
    health-data hosting rules: data stored only in the EEA, on certified providers,
    encrypted and backed up."""


def run() -> NoReturn:
    """The program (hdslint.__main__): the command line, then, once the output is
    flushed, an exit without the interpreter's teardown (freeing a scan's objects one by one
    took 5% of the run). Anything unusual on the way out (an exit message, an output that
    cannot be flushed) exits the ordinary way."""
    try:
        main(prog_name="hdslint")
        code: object = EXIT_OK
    except SystemExit as e:
        code = EXIT_OK if e.code is None else e.code
    if not isinstance(code, int):
        raise SystemExit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        raise SystemExit(code) from None
    os._exit(code)


@main.command(cls=_Command, epilog=EPILOG)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt",
              type=click.Choice(["text", "json", "sarif", "junit", "github", "gitlab", "markdown", "html"]),
              default="text", show_default=True,
              help="Output format: text, json, sarif (code scanning), junit, github (workflow annotations), "
                   "gitlab (Code Quality), markdown (pull-request comment), html (audit report, one file).")
@click.option("--lang", type=click.Choice(["en", "fr"]), default=None,
              help="Language of messages and reports: en, or fr. Default: en, or lang in the config.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report to FILE.")
@click.option("--fail-on", type=click.Choice([*SEVERITIES, "none"]), default=None,
              help="Lowest severity that fails the scan (exit 1). Default: medium, or fail_on in the config.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="Configuration file (default: the closest .hdslint.yaml, or pyproject.toml with [tool.hdslint], "
                   "from the scanned paths up to the repository root).")
@click.option("--var-file", "var_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Terraform variables file applied to every root module, after terraform.tfvars "
                   "and *.auto.tfvars (repeatable).")
@click.option("--var", "cli_vars", multiple=True, metavar="NAME=VALUE",
              help="Terraform variable value, like terraform -var (repeatable).")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date used for expiry checks (suppressions, certificates), for reproducible runs.")
@click.option("--no-inline-suppressions", is_flag=True, help="Ignore hdslint:ignore comments (audit runs).")
@click.option("--baseline", "baseline", type=click.Path(exists=True, dir_okay=False),
              help="Accept the findings recorded in this baseline file (they are kept, marked suppressed).")
@click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False),
              help="Record the current findings in a baseline file, then exit 0.")
@click.option("--color/--no-color", default=None, help="Colour output (default: only on a terminal).")
@click.option("--no-cache", is_flag=True,
              help="Do not keep parsed knowledge files in ~/.cache/hdslint (HDSLINT_NO_CACHE=1 does the same).")
@click.option("--checkov", "use_checkov", is_flag=True,
              help="Also run checkov (a separate program) on the same paths and merge its HDS-relevant findings.")
@click.option("--checkov-bin", type=click.Path(dir_okay=False),
              help="The checkov executable for --checkov (default: checkov on PATH).")
@click.option("--checkov-report", "checkov_reports", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Merge a checkov JSON report made earlier (checkov -o json); repeatable.")
@click.option("--fail-if-no-files", is_flag=True,
              help="Exit 2 when no infrastructure file is found (a CI job scanning the wrong folder).")
@click.option("--helm-bin", type=click.Path(dir_okay=False),
              help="The helm program that renders Helm charts (default: helm on PATH; without one, charts are "
                   "reported).")
@click.option("--kustomize-bin", type=click.Path(dir_okay=False),
              help="kubectl or kustomize, to build kustomizations (default: kubectl, else kustomize, on PATH).")
@click.option("--profile", "profiles", multiple=True, type=click.Choice(["default", "strict", "audit"]),
              help="strict: customer-managed keys held in the EEA; audit: paperwork (certificates' perimeters not "
                   "verified) fails the build too. Repeatable; replaces the configuration's profile.")
def scan(paths, fmt, lang, output, fail_on, config_path, var_files, cli_vars, today, no_inline_suppressions, baseline,
         write_baseline, color, no_cache, use_checkov, checkov_bin, checkov_reports, fail_if_no_files, helm_bin,
         kustomize_bin, profiles):
    """Scan PATHS (default: the current directory) and report HDS findings.

    Directories are searched for Terraform files (.tf, .tf.json, .tfvars), plan JSON files,
    Kubernetes manifests (YAML or JSON) and Scalingo manifests (scalingo.json, app.json).
    `-` reads manifests from standard input (helm template ... | hdslint scan -). Files named
    explicitly bring their whole Terraform module directory along, and only findings in or
    caused by those files are reported (what a pre-commit hook wants)."""
    from hdslint import config as config_mod
    from hdslint import engine
    from hdslint.knowledge.store import PolicyError
    from hdslint.report import RenderOptions, render

    if no_cache:
        os.environ["HDSLINT_NO_CACHE"] = "1"
    paths = list(paths) or ["."]
    _check_paths(paths, {"--output": output, "--write-baseline": write_baseline})
    try:
        config = config_mod.load(config_path or config_mod.find_config_file(_start_of(paths)), known_rule)
    except config_mod.ConfigError as e:
        click.echo(f"hdslint: {e}", err=True)
        sys.exit(EXIT_USAGE)
    parsed_vars = []
    for item in cli_vars:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="--var")
        parsed_vars.append((name.strip(), value))
    if var_files:
        config.set("var_files", config.var_files + [os.path.abspath(v) for v in var_files])
    if parsed_vars:
        config.set("vars", config.vars + parsed_vars)
    if no_inline_suppressions:
        config.set("inline_suppressions", False)
    if baseline:
        config.set("baseline", os.path.abspath(baseline))
    if fail_on:
        config.set("fail_on", fail_on)
    if lang:
        config.set("lang", lang)
    if profiles:
        config.set("profile", profiles[0] if len(profiles) == 1 else list(profiles))
    for name, program in (("helm_bin", helm_bin), ("kustomize_bin", kustomize_bin)):
        if program:
            config.set(name, os.path.abspath(program) if os.sep in program else program)
    fail_on = config.fail_on
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))
    stdin_text = sys.stdin.read() if "-" in paths else None
    reports = None
    if use_checkov or checkov_bin or checkov_reports:
        from hdslint.triage import checkov

        try:
            reports = [r for path in checkov_reports for r in checkov.read_report(path)]
            if use_checkov or checkov_bin:
                reports += checkov.run(paths, checkov_bin)
        except checkov.CheckovError as e:
            click.echo(f"hdslint: {e}", err=True)
            sys.exit(EXIT_USAGE)
    try:
        result = engine.scan(paths, config, today=today.date() if today else None, stdin_text=stdin_text,
                             checkov_reports=reports)
    except (config_mod.ConfigError, PolicyError) as e:  # an unreadable baseline, a broken policy file
        click.echo(f"hdslint: {e}", err=True)
        sys.exit(EXIT_USAGE)
    if write_baseline:
        from hdslint.triage import baseline as baseline_mod

        try:
            count = baseline_mod.write(write_baseline, result)
        except OSError as e:
            _usage_error(f"cannot write the baseline {write_baseline}: {e.strerror or e}")
        click.echo(f"hdslint: {count} finding(s) recorded in {write_baseline}", err=True)
        sys.exit(EXIT_OK)
    use_colour = color if color is not None else (output is None and sys.stdout.isatty() and fmt == "text")
    text = render(fmt, result, RenderOptions(fail_on=fail_on, color=use_colour))
    if output:
        try:
            with open(output, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as e:
            _usage_error(f"cannot write {output}: {e.strerror or e}")
    else:
        click.echo(text, nl=False)
    if not result.files_discovered:
        where = " ".join(p for p in paths if p != "-") or "standard input"
        nothing = f"no infrastructure file found in {where}: nothing was checked"
        if fail_if_no_files:
            _usage_error(f"{nothing} (--fail-if-no-files)")
        if fmt != "text" or output:
            click.echo(f"hdslint: {nothing}", err=True)
    sys.exit(EXIT_FINDINGS if result.failing(fail_on) else EXIT_OK)


def _usage_error(message: str) -> NoReturn:
    """One line on standard error, exit code 2."""
    click.echo(f"hdslint: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _check_paths(paths: list[str], outputs: dict[str, str | None]) -> None:
    """Usage errors found before scanning: a path that does not exist, a report or baseline to
    write into a folder that does not exist."""
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    if missing:
        _usage_error(f"no such file or directory: {', '.join(missing)}")
    for option, target in outputs.items():
        if not target:
            continue
        folder = os.path.dirname(os.path.abspath(target))
        if not os.path.isdir(folder):
            _usage_error(f"{option} {target}: the folder {folder} does not exist")
        if os.path.isdir(target):
            _usage_error(f"{option} {target}: is a folder, not a file")


def _start_of(paths: list[str]) -> str:
    """Where the search for a configuration file starts: the folder holding every scanned path."""
    named = [os.path.abspath(p) for p in paths if p != "-"] or [os.getcwd()]
    common = os.path.commonpath(named)
    return common if os.path.isdir(common) else os.path.dirname(common)


@main.command("transfers")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "csv", "json"]), default="text",
              show_default=True, help="text; markdown (a draft of the public page, EXI 31); csv; json.")
@click.option("--lang", type=click.Choice(["en", "fr"]), default=None,
              help="Language of the map: en, or fr. Default: en, or lang in the config.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the map to FILE.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="Configuration file (default: .hdslint.yaml or [tool.hdslint] in pyproject.toml at the scan root).")
@click.option("--var-file", "var_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Terraform variables file applied to every root module (repeatable).")
@click.option("--var", "cli_vars", multiple=True, metavar="NAME=VALUE", help="Terraform variable value (repeatable).")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date of the scan (certificates' validity, the map's date), for reproducible runs.")
def transfers_command(paths, fmt, lang, output, config_path, var_files, cli_vars, today):
    """Draw the map of transfers of health data outside the EEA from PATHS (HDS EXI 29 to 31,
    article R.1111-11 of the Code de la santé publique): one row per flow, with what leaves, the
    recipient, the country, the legal basis, the third-country-law risk and the evidence. A flow
    whose destination hdslint cannot place, or a file it cannot read, is listed "to check", never
    dropped. `-` reads manifests from standard input (helm template ... | hdslint transfers -).
    Exit code 0, or 2 on a usage or configuration error."""
    from hdslint import config as config_mod
    from hdslint import engine, i18n
    from hdslint.knowledge.store import PolicyError
    from hdslint.report import transfers as transfers_report

    paths = list(paths) or ["."]
    _check_paths(paths, {"--output": output})
    try:
        config = config_mod.load(config_path or config_mod.find_config_file(_start_of(paths)), known_rule)
        for name, value in (("var_files", config.var_files + [os.path.abspath(v) for v in var_files]),
                            ("vars", config.vars + [_name_value(item) for item in cli_vars]), ("lang", lang)):
            if value:
                config.set(name, value)
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))
        stdin_text = sys.stdin.read() if "-" in paths else None
        result = engine.scan(paths, config, today=today.date() if today else None, stdin_text=stdin_text)
    except (config_mod.ConfigError, PolicyError) as e:
        click.echo(f"hdslint: {e}", err=True)
        sys.exit(EXIT_USAGE)
    with i18n.using(config.lang):
        text = transfers_report.render(fmt, result)
    if output:
        try:
            with open(output, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        except OSError as e:
            _usage_error(f"cannot write {output}: {e.strerror or e}")
    else:
        click.echo(text, nl=False)


def _name_value(item: str) -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not sep or not name.strip():
        raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="--var")
    return name.strip(), value


@main.command()
@click.argument("path", required=False, default=".", type=click.Path(exists=True, file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite an existing .hdslint.yaml.")
def init(path, force):
    """Write a commented starter .hdslint.yaml in PATH (default: the current directory).

    The code under PATH is scanned first: each provider found gets a commented
    coverage.catalog_overrides entry saying where its HDS certificate is obtained."""
    from hdslint import engine
    from hdslint.config import Config

    target = os.path.join(path, ".hdslint.yaml")
    if os.path.exists(target) and not force:
        click.echo(f"hdslint: {target} already exists (use --force to overwrite)", err=True)
        sys.exit(EXIT_USAGE)
    context = engine.scan([path], Config()).context
    found = sorted({r.catalog for r in context.resources if r.catalog})
    try:
        with open(target, "w", encoding="utf-8") as f:
            f.write(STARTER.replace("@OVERRIDES@\n", _overrides_starter(found, context.coverage.entries)))
    except OSError as e:
        _usage_error(f"cannot write {target}: {e.strerror or e}")
    click.echo(f"wrote {target}" + (f" (providers found: {', '.join(found)})" if found else ""))


def _overrides_starter(found: list[str], entries: dict) -> str:
    """Commented catalog_overrides entries, one per provider found in the code, each saying
    what the catalog knows of its certificate and where the team obtains it."""
    if not found:
        return ("  # Your own evidence of a provider's certificate (e.g. the one downloaded from AWS Artifact):\n"
                "  # catalog_overrides: {aws: {certification: {perimeters: [1, 2, 3, 4, 5, 6]}}}\n")
    lines = ["  # Your own evidence of the certificates of the providers found in this code. Record only what the",
             "  # certificate (or the HDS annex of your contract) says; uncomment the entries you fill in.",
             "  # catalog_overrides:"]
    for catalog_id in found:
        entry = entries.get(catalog_id)
        if entry is None:
            lines += [f"  #   {catalog_id}:   # not in hdslint's catalog: record the certificate if there is one"]
        else:
            cert = entry.get("certification") or {}
            status, perimeters = cert.get("status"), cert.get("perimeters")
            known = (f"the catalog holds perimeters {', '.join(map(str, perimeters))}" if perimeters
                     else "perimeters not published" if status == "certified"
                     else f"HDS status in the catalog: {status}")
            lines += [f"  #   {catalog_id}:   # {entry.get('name', catalog_id)}: {known}"]
            access = entry.get("certificate_access") or {}
            if access.get("where"):
                lines += [f"  #     # where to obtain the certificate: {access['where']}"]
            if access.get("url"):
                lines += [f"  #     # {access['url']}"]
        lines += ["  #     certification:",
                  "  #       perimeters: []          # the activities the certificate lists, 1 to 6",
                  '  #       certificate: {number: "", issuer: "", valid_from: "", valid_until: ""}']
    return "\n".join(lines) + "\n"


@main.command("config")
@click.argument("path", required=False, default=".")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="Configuration file (default: the closest .hdslint.yaml, or pyproject.toml with [tool.hdslint], "
                   "from PATH up to the repository root).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def config_command(path, config_path, fmt):
    """Print the effective configuration for PATH, with where each value comes from, as a
    .hdslint.yaml that hdslint reads back."""
    from hdslint import config as config_mod

    _check_paths([path], {})
    try:
        config = config_mod.load(config_path or config_mod.find_config_file(_start_of([path])), known_rule)
    except config_mod.ConfigError as e:
        click.echo(f"hdslint: {e}", err=True)
        sys.exit(EXIT_USAGE)
    items = config.effective()
    if fmt == "json":
        click.echo(json.dumps({"source": config.source, "settings": {n: {"value": v, "from": o} for n, v, o in items}},
                              indent=2, default=str))
        return
    click.echo(f"# hdslint configuration for {path}: every setting, with where its value comes from.")
    click.echo(f"# configuration file: {config.source or 'none (defaults)'}")
    click.echo("# This is itself a valid .hdslint.yaml (paths relative to the configuration file's folder).")
    sections: dict[str, list[str]] = {}
    for keys, value, origin in config_mod.as_file(config):
        *section, key = keys
        indent = "  " if section else ""
        if value is None:
            written = f"{indent}# {key}: not set  # {origin}"
        else:
            written = f"{indent}{key}: {json.dumps(value, ensure_ascii=False)}  # {origin}"
        sections.setdefault(section[0] if section else "", []).append(written)
    for name, lines in sections.items():
        if name and all(line.lstrip().startswith("#") for line in lines):
            click.echo(f"{name}: {{}}")
        elif name:
            click.echo(f"{name}:")
        click.echo("\n".join(lines))


@main.command()
@click.argument("rule_id", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True,
              help="Language of titles, bases and remediations (documentation stays in English).")
def rules(rule_id, fmt, lang):
    """List every rule, or show one rule's documentation."""
    from hdslint import i18n

    with i18n.using(lang):
        _rules(rule_id, fmt)


def _rules(rule_id, fmt):
    from hdslint.i18n import say_text as text
    from hdslint.rules import all_rules

    mods = all_rules()
    if rule_id:
        mods = [m for m in mods if m.RULE.id == rule_id.upper() or m.RULE.name == rule_id]
        from hdslint.knowledge import checkov

        if not mods and checkov.is_mapped(rule_id.upper()):
            r = checkov.rule_for(rule_id.upper())
            if fmt == "json":
                click.echo(json.dumps({"id": r.id, "family": r.family, "severity": r.severity, "basis": r.basis,
                                       "perimeters": list(r.perimeters), "remediation": r.remediation,
                                       "documentation": r.doc}, indent=2, ensure_ascii=False))
            else:
                click.echo(f"{r.id} ({r.family}, {r.severity})\n\n{r.doc}\n\n"
                           f"Basis: {r.basis}\nRemediation: {r.remediation}")
            return
        if not mods:
            click.echo(f"hdslint: no rule {rule_id!r}; `hdslint rules` lists them", err=True)
            sys.exit(EXIT_USAGE)
    if fmt == "json":
        click.echo(json.dumps([_rule_dict(m) for m in mods], indent=2, ensure_ascii=False))
        return
    from hdslint.rules import known_types

    if rule_id:
        r = mods[0].RULE
        known = known_types(r.knows) if r.knows else []
        title = f"{text(r.title)}\n\n" if text(r.title) != r.title else ""  # the doc says it in English
        click.echo(f"{r.id} {r.name} ({r.family}, {r.severity})\n\n{title}{r.doc}\n\n"
                   f"Basis: {text(r.basis)}\nRemediation: {text(r.remediation)}")
        if known:
            click.echo(f"\nResource types it knows ({len(known)}): {', '.join(known)}")
        return
    for m in mods:
        r = m.RULE
        types = f", {len(known_types(r.knows))} resource types" if r.knows else ""
        click.echo(f"{r.id:<15} {r.family:<12} {r.severity:<8} {text(r.title)}")
        click.echo(f"{'':<15} basis: {text(r.basis)}{types}")


@main.command()
@click.argument("name", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date used to flag expired certificates and facts older than 12 months.")
def providers(name, fmt, today):
    """The HDS certification catalog: every provider, or one in detail."""
    import datetime as dt

    from hdslint.knowledge.catalog import catalog, fact_date, stale, validity

    day = today.date() if today else dt.date.today()
    entries = catalog()
    if name:
        key = name.lower()
        found = {k: v for k, v in entries.items() if k == key or v["name"].lower() == key}
        if not found:
            click.echo(f"hdslint: no provider {name!r} in the catalog; `hdslint providers` lists them", err=True)
            sys.exit(EXIT_USAGE)
        entries = found
    if fmt == "json":
        out = []
        for entry in entries.values():
            facts = _facts_of(entry)
            out.append({**entry, "validity_at_date": validity(entry, day), "date": day.isoformat(),
                        "stale_facts": [k for k, f in facts if stale(f, day)]})
        click.echo(json.dumps(out, indent=2, ensure_ascii=False, default=str))
        return
    if name:
        for entry in entries.values():
            click.echo(_provider_detail(entry, day))
        return
    width = max(len("provider"), *(len(e["name"]) for e in entries.values()))
    click.echo(f"{'id':<13} {'provider':<{width}} {'HDS':<14} {'référentiel':<12} {'perimeters':<12} "
               f"{'valid until':<12} {'SecNumCloud':<13} {'non-EEA law':<12} fact date")
    for entry in entries.values():
        cert = entry["certification"]
        perims = ",".join(map(str, cert["perimeters"])) if cert.get("perimeters") else "unknown"
        until = (cert.get("certificate") or {}).get("valid_until") or "-"
        law = entry["non_eea_law"]["exposed"]
        law = "yes" if law is True else "no" if law is False else "unknown"
        d = fact_date(cert)
        warn = " (older than 12 months)" if stale(cert, day) else ""
        status = cert["status"] + ("!" if validity(entry, day) in ("expired", "not_yet_valid") else "")
        click.echo(f"{entry['provider']:<13} {entry['name']:<{width}} {status:<14} "
                   f"{(cert.get('referentiel') or 'unknown'):<12} {perims:<12} {until:<12} "
                   f"{entry['secnumcloud']['status']:<13} {law:<12} {d.isoformat() if d else 'n.d.'}{warn}")


def _facts_of(entry) -> list:
    out = [("certification", entry["certification"]), ("secnumcloud", entry["secnumcloud"]),
           ("non_eea_law", entry["non_eea_law"]), ("transparency_page", entry["transparency_page"])]
    out += [(f"service:{s['name']}", s) for s in entry.get("services", [])]
    out += [(f"condition:{c['id']}", c) for c in entry.get("conditions", [])]
    return out


def _provider_detail(entry, day) -> str:
    from hdslint.knowledge.catalog import evidence, fact_date, stale, validity
    from hdslint.model import PERIMETERS

    cert = entry["certification"]
    lines = [f"{entry['name']} ({entry['provider']}) — {', '.join(entry['legal_entities'])}",
             f"  HDS: {cert['status']}, {evidence(entry) or 'no certificate details published'}; "
             f"validity at {day.isoformat()}: {validity(entry, day)}"]
    for prev in cert.get("previous_certificates", []):
        c = prev["certificate"]
        lines.append(f"  previous certificate: HDS {prev['referentiel']}, {c.get('number') or 'n.d.'}, "
                     f"by {c.get('issuer') or 'n.d.'}, {c['valid_from']} to {c['valid_until']}")
    if cert.get("perimeters"):
        lines.append("  perimeters: " + "; ".join(f"{p} {PERIMETERS[p]}" for p in cert["perimeters"]))
    else:
        lines.append("  perimeters: unknown")
    if cert.get("regions"):
        lines.append(f"  regions in scope: {', '.join(cert['regions'])}")
    for s in entry.get("services", []):
        perims = ",".join(map(str, s.get("perimeters", []))) or "-"
        lines.append(f"  service {s['name']}: {s['status']}, perimeters {perims}"
                     + (f"; {s['note']}" if s.get("note") else ""))
    sc = entry["secnumcloud"]
    lines.append(f"  SecNumCloud: {sc['status']}" + (f" ({sc['scope']})" if sc.get("scope") else ""))
    law = entry["non_eea_law"]
    laws = f" ({', '.join(law['laws'])})" if law.get("laws") else ""
    lines.append(f"  non-EEA law (EXI 30): {law['exposed']}{laws}")
    lines.append(f"  transparency page (EXI 31): {entry['transparency_page'].get('url') or 'not found'}")
    for c in entry.get("conditions", []):
        lines.append(f"  condition {c['id']}{' [checked]' if c.get('check') else ''}: {c['text']}")
    old: dict[str, list[str]] = {}  # date -> the facts of that date older than 12 months
    for key, fact in _facts_of(entry):
        when = fact_date(fact)
        if when is not None and stale(fact, day):
            old.setdefault(when.isoformat(), []).append(key)
    for date, keys in sorted(old.items()):
        lines.append(f"  warning: {_facts_named(keys)} dated {date}, more than 12 months ago: check again")
    lines.append("  sources:")
    lines.extend(f"    {s['id']}: {s['url']} (read {s['retrieved']})" for s in entry.get("sources", []))
    return "\n".join(lines)


def _facts_named(keys: list[str]) -> str:
    """certification, non_eea_law, 3 services and 10 conditions: facts of one date, folded."""
    if len(keys) == 1:
        return keys[0]
    named = [k for k in keys if ":" not in k]
    for kind in ("service", "condition"):
        n = sum(1 for k in keys if k.startswith(kind + ":"))
        if n:
            named.append(f"{n} {kind}{'s' if n > 1 else ''}")
    return f"{len(keys)} facts ({', '.join(named)})"


def _rule_dict(mod) -> dict:
    from hdslint.i18n import say_text as text
    from hdslint.rules import known_types

    r = mod.RULE
    return {"id": r.id, "name": r.name, "family": r.family, "severity": r.severity, "title": text(r.title),
            "basis": text(r.basis), "perimeters": list(r.perimeters), "remediation": text(r.remediation),
            "resource_types": known_types(r.knows) if r.knows else [], "documentation": r.doc}


# What `hdslint init` writes: every key, commented, with its default.
STARTER = """\
# hdslint configuration. Every key is optional; `hdslint config` shows the effective values.
# Schema: https://github.com/hdslint/hdslint/blob/main/policies/schemas/config.schema.json

# Lowest severity that fails the scan (exit code 1): critical, high, medium, low, info, none.
fail_on: medium

# Paths not to scan (glob patterns, relative to this file's directory).
exclude: []

locality:
  # Keep data in these countries only (ISO codes), stricter than the EEA rule (HDS EXI 28).
  # allowed_countries: [FR]
  # Severity when a location cannot be determined from the code (HDS-LOC-002).
  undetermined_severity: medium

terraform:
  # Variables files applied to every root module, after terraform.tfvars and *.auto.tfvars.
  var_files: []
  # vars: {region: eu-west-3}

coverage:
  # Perimeters you perform yourself (by: self) or through a contracted, certified provider.
  declarations: []
  #  - perimeters: [5]
  #    by: "Acme Infogérance"
  #    certificate: "HDS-0000"
  #    issuer: "Certification body"
  #    valid_until: "2027-12-31"
@OVERRIDES@

# Suppressions for inputs without comments (JSON): rule, path glob, optional resource, reason.
suppressions: []
#  - rule: HDS-LOC-001
#    path: "infra/plan.json"
#    resource: "aws_s3_bucket.public_assets"
#    reason: "Public assets only, approved by the DPO"
#    until: "2027-06-30"

# strict: encryption at rest with customer-managed keys, the keys held in the EEA;
# audit: what only paperwork settles (certificates' perimeters not verified) fails the build too.
# Profiles combine: profile: [strict, audit]
profile: default

# Language of messages and reports: en or fr (what auditors in France read).
lang: en

backup:
  # Backups kept fewer days are reported (HDS-BAK-004).
  min_retention_days: 7
  # zone: copies in another availability zone or region; region: in another region.
  separate_site: zone

# Where the cluster of the scanned manifests runs (else inferred from the Terraform in the scan):
# kubernetes: {provider: ovh, region: GRA}   # provider: aws, azure, google, ovh, scaleway, outscale...
kubernetes: {}

# Per-rule settings: enabled, severity.
rules: {}
#  HDS-LOC-004: {enabled: false}
"""
