"""HDS-EXP-001 hard-coded-secret: a secret written in the code.

Why: a database password or an API key in a repository gives access to health data to anyone who
can read the repository, its forks and its history. ISO/IEC 27001:2022 A.5.17 (authentication
information) asks that such secrets be managed, not shared in code.

What it checks: environment values of scalingo.json / app.json (without a `generator`), and the
environment maps of Terraform application resources (scalingo_app environment, aws_lambda_function
environment variables, App Service app_settings) when the value is a literal in a .tf file: known
key formats (AWS access keys, private keys, GitHub, Slack and Stripe tokens, passwords inside
URLs) and variables named like secrets (PASSWORD, SECRET, TOKEN, API_KEY...) with a literal value.

Passing example:   "SECRET_KEY_BASE": {"generator": "secret"}
Failing example:   "DATABASE_URL": {"value": "postgres://app:s3cret@db.example.com/ehr"}
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.i18n import _
from hdslint.knowledge.secrets import environment_path, looks_secret
from hdslint.model import Finding, Resource, Rule
from hdslint.model.values import TStr
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-EXP-001",
    name="hard-coded-secret",
    family="exposure",
    severity="high",
    title="Secret written in the code",
    basis="ISO/IEC 27001:2022 A.5.17 (authentication information) through the certified ISMS (HDS EXI 01)",
    remediation="Move the secret to the platform's secret store (Scalingo environment set outside the repository, "
                "a generator in scalingo.json, a secrets manager) and rotate it: it is in the history.",
    looks_at="resource",
)

def check(ctx: ScanContext, res: Resource) -> Iterator[Finding]:
    if res.type == "scalingo_manifest" and ctx.manifests:
        for file, line, name, kind in ctx.manifests.secrets:
            if file == res.file:
                yield RULE.finding(ctx, file=file, line=line, attribute=f"env:{name}",
                                   message=_("env.{name} in {file} holds {kind} in clear.", name=name, file=file,
                                             kind=kind),
                                   remediation=_("Remove the value of env.{name} from {file}: set it with the "
                                                 "Scalingo dashboard or CLI (scalingo env-set), or give it a "
                                                 "generator; and rotate the secret: it is in the history.",
                                                 name=name, file=file))
        return
    path = environment_path(res.type)
    if not path:
        return
    for v in res.values(path):
        env = v.value[0] if isinstance(v.value, list) and v.value else v.value
        if not isinstance(env, dict):
            continue
        for name, value in env.items():
            if not _literal_in_code(value):
                continue
            secret = looks_secret(str(name), str(value))
            if secret:
                hop = value.hops[-1]
                yield RULE.finding(ctx, resource=res, file=hop.file, line=hop.line, attribute=f"env:{name}",
                                   message=_("{address} {path}[\"{name}\"] holds {kind} in clear.",
                                             address=res.address, path=path, name=name, kind=secret),
                                   remediation=_("Pass {name} as a sensitive variable (sensitive = true, its value "
                                                 "set outside the repository: TF_VAR_, a secrets manager data "
                                                 "source) and rotate the secret: it is in the history.", name=name))


def _literal_in_code(value: object) -> bool:
    """A string written as a literal in a .tf file (not a variable, not a tfvars file)."""
    return (isinstance(value, TStr) and bool(value.hops) and str(value.hops[-1].text).startswith('"')
            and value.hops[-1].file.endswith((".tf", ".tf.json", ".tofu", ".tofu.json")))
