"""The map of transfers outside the EEA (hdslint transfers; EXI 29 to 31): stores outside the EEA,
SaaS endpoints in scalingo.json, Terraform and Kubernetes, an OVHcloud managed database operated
with Aiven, EU sites that must not appear, flows hdslint cannot place listed 'to check'."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import jsonschema
from conftest import FIXTURES, ROOT, line_of, scan

from hdslint import i18n
from hdslint.analysis.transfers import Variable, host_of, unplaced
from hdslint.knowledge import endpoints
from hdslint.policycheck import _registry
from hdslint.report import transfers as report

HERE = FIXTURES / "transfers"
SCHEMA = json.loads((ROOT / "policies" / "schemas" / "transfers.schema.json").read_text())


def rows(path, **config) -> list:
    """(status, what, setting, kind, recipient, country, basis, file, line) of each transfer."""
    return [(t.status, str(t.what), t.setting, t.kind, t.recipient, t.country, t.basis.kind, t.file, t.line)
            for t in scan(path, **config).context.transfers]


def test_stores_outside_the_eea_with_their_legal_basis():
    main = HERE / "stores" / "main.tf"
    assert rows(HERE / "stores") == [
        ("transfer", "aws_s3_bucket.exports", "", "storage", "Amazon Web Services", "US", "adequacy", "main.tf",
         line_of(main, '"aws_s3_bucket" "exports"')),
        ("transfer", "azurerm_storage_account.archive", "", "storage", "Microsoft Azure", "CH", "adequacy", "main.tf",
         line_of(main, 'location                 = "switzerlandnorth"')),
        ("transfer", "google_storage_bucket.cache", "", "storage", "Google Cloud", "SG", "safeguards_needed",
         "main.tf", line_of(main, 'location = "asia-southeast1"')),
        # a global service: edge locations worldwide
        ("transfer", "aws_cloudfront_distribution.portal", "", "processing", "Amazon Web Services", "GLOBAL",
         "safeguards_needed", "main.tf", line_of(main, '"aws_cloudfront_distribution" "portal"')),
        # the region comes from a variable without value: listed to check, never dropped
        ("to_check", "aws_s3_bucket.backups", "", "storage", "Amazon Web Services", None, "none_known", "main.tf",
         line_of(main, '"aws_s3_bucket" "backups"')),
    ]
    exports = scan(HERE / "stores").context.transfers[0]
    assert exports.basis.decision.startswith("Commission Implementing Decision (EU) 2023/1795")
    assert "Data Privacy Framework list" in exports.basis.scope  # the decision covers certified organisations only
    assert exports.risk.exposed is True and "US CLOUD Act" in exports.risk.laws
    assert exports.place == "us-east-1"
    assert any(e.file == "main.tf" and e.line == line_of(main, 'region = "us-east-1"') for e in exports.evidence)


def test_a_sentry_dsn_in_scalingo_json_and_the_flows_to_check():
    manifest = HERE / "scalingo" / "scalingo.json"
    assert rows(HERE / "scalingo") == [
        ("transfer", "scalingo.json", "env.SENTRY_DSN", "storage", "Sentry", "US", "adequacy", "scalingo.json",
         line_of(manifest, '"SENTRY_DSN"')),
        # a vendor without value: the places its endpoints document, to check
        ("to_check", "scalingo.json", "env.MAILGUN_API_KEY", "storage", "Mailgun", None, "none_known",
         "scalingo.json", line_of(manifest, '"MAILGUN_API_KEY"')),
        # an unknown host
        ("to_check", "scalingo.json", "env.PARTNER_API_URL", "storage", "", None, "none_known", "scalingo.json",
         line_of(manifest, '"PARTNER_API_URL"')),
        # a variable that names a destination, without value
        ("to_check", "scalingo.json", "env.SMTP_HOST", "storage", "", None, "none_known", "scalingo.json",
         line_of(manifest, '"SMTP_HOST"')),
    ]
    # not there: the Datadog EU site (DD_API_KEY goes with DD_SITE=datadoghq.eu), Plausible (EEA only),
    # the Scalingo add-on's URL, a host inside the app, the app's own URL, generated secrets
    result = scan(HERE / "scalingo")
    sentry, mailgun, partner, smtp = result.context.transfers
    assert sentry.service == "Sentry US" and sentry.risk.laws == ("US CLOUD Act (18 U.S.C. 2713)",)
    assert "https://docs.sentry.io/organization/data-storage-location/" in [e.source for e in sentry.evidence]
    assert mailgun.candidates == ("EU", "US")
    assert str(mailgun.reason) == "MAILGUN_API_KEY has no value in the code"
    assert str(partner.reason) == "'api.partner-lab.example.com' is not a service hdslint can place"
    assert str(smtp.reason) == "SMTP_HOST has no value in the code"


def test_an_ovhcloud_managed_database_gives_aivens_remote_access():
    main = HERE / "ovh_database" / "main.tf"
    line = line_of(main, '"ovh_cloud_project_database" "patients"')
    assert rows(HERE / "ovh_database") == [
        ("transfer", "ovh_cloud_project_database.patients", "", "remote_access", "Aiven OY", "CA", "adequacy",
         "main.tf", line),
        ("transfer", "ovh_cloud_project_database.patients", "", "remote_access", "Aiven OY", "GB", "adequacy",
         "main.tf", line),
    ]
    canada = scan(HERE / "ovh_database").context.transfers[0]
    assert canada.recipient_kind == "subcontractor" and canada.basis.declared_by == "OVHcloud"
    assert canada.basis.decision == "Commission Decision 2002/2/EC (Canadian PIPEDA)"
    assert canada.risk.exposed is True and canada.risk.countries == ("CA",)  # OVHcloud's EXI 30 answer
    assert canada.via == "OVHcloud"


def test_saas_wired_in_through_terraform():
    main = HERE / "terraform_saas" / "main.tf"
    env = line_of(main, "environment = {")
    assert rows(HERE / "terraform_saas") == [
        ("transfer", "scalingo_app.api", "environment.POSTHOG_HOST", "storage", "PostHog", "US", "adequacy",
         "main.tf", env),
        ("transfer", "scalingo_log_drain.papertrail", "url", "storage", "Papertrail", "US", "adequacy", "main.tf",
         line_of(main, 'url = "syslog+tls://logs7.papertrailapp.com:12345"')),
        ("to_check", "scalingo_app.api", "environment.NEW_RELIC_LICENSE_KEY", "storage", "New Relic", None,
         "none_known", "main.tf", env),
        # a SaaS provider whose region is not in the code; the Datadog provider's EU api_url is no transfer,
        # nor is the Sentry DSN on its EU (de) ingest host
        ("to_check", "provider.sentry", "", "storage", "Sentry", None, "none_known", "main.tf",
         line_of(main, '"sentry_project" "api"')),
    ]


def test_kubernetes_env_configmaps_and_sealed_secrets():
    app = HERE / "kubernetes" / "app.yaml"
    assert rows(HERE / "kubernetes", k8s_provider="ovh", k8s_region="GRA") == [
        ("transfer", "ConfigMap/health/apm", "data.DD_SITE", "storage", "Datadog", "US", "adequacy", "app.yaml",
         line_of(app, 'DD_SITE: "datadoghq.com"')),
        ("to_check", "Deployment/health/api", "env.SENTRY_DSN", "storage", "Sentry", None, "none_known", "app.yaml",
         line_of(app, "- name: SENTRY_DSN")),
        ("to_check", "Deployment/health/api", "env.LOGS_ENDPOINT", "storage", "", None, "none_known", "app.yaml",
         line_of(app, 'value: "https://logs.collector.example.net/ingest"')),
        # the SealedSecret is in the scan, but its key "host" names no destination: the variable stays
        ("to_check", "Deployment/health/api", "env.PGHOST", "storage", "", None, "none_known", "app.yaml",
         line_of(app, "- name: PGHOST")),
        ("to_check", "SealedSecret/health/pg-app", "spec.encryptedData.SMTP_HOST", "storage", "", None,
         "none_known", "app.yaml", line_of(app, "SMTP_HOST: ")),
    ]


def test_the_cluster_unknown_is_one_flow_to_check():
    got = rows(HERE / "kubernetes")
    assert ("to_check", "the Kubernetes cluster of 1 object(s)", "", "storage", "", None, "none_known", "app.yaml",
            line_of(HERE / "kubernetes" / "app.yaml", "apiVersion: apps/v1")) in got


def test_a_repository_without_transfers_says_so_in_the_words_of_exi_31():
    result = scan(HERE / "none")
    assert result.context.transfers == []
    assert report.render("markdown", result).count("**No transfer to a third country.**") == 1
    with i18n.using("fr"):
        assert "Aucun transfert vers un pays tiers." in report.render("text", result)


def test_variables_that_name_no_destination_or_stay_inside():
    def reason(name, value):
        got = unplaced(Variable(name, value, "f", 1, name))
        return str(got) if got is not None else None

    assert reason("REDIS_URL", "redis://redis:6379") is None
    assert reason("CACHE_URL", "redis://cache.health.svc.cluster.local:6379") is None
    assert reason("API_URL", "http://10.0.3.4:8080") is None
    assert reason("DATABASE_URL", "$SCALINGO_POSTGRESQL_URL") is None
    assert reason("SENTRY_DSN", "https://k@o1.ingest.de.sentry.io/2") is None  # placed with its resource
    assert reason("DATABASE_URL", "$OTHER_URL") == "DATABASE_URL takes its value from $OTHER_URL"
    assert reason("API_URL", "https://51.91.12.34/v1") == "'51.91.12.34' is not a service hdslint can place"
    assert reason("S3_REGION", "eu-west-3") is None
    assert reason("S3_REGION", "us-east-1").startswith("S3_REGION = us-east-1, a region outside the EEA for some")
    assert endpoints.names_destination("SMTP_SERVER") and endpoints.names_destination("AWS_ENDPOINT_URL_DEV")
    for own in ("CANONICAL_HOST_URL", "PUBLIC_URL", "HOST", "SMTP_FROM_ADDRESS", "EMAIL_HOST_PASSWORD", "BUILDPACK_URL",
                "APP_URL", "SMTP_PORT"):
        assert not endpoints.names_destination(own), own
    assert host_of("https://user:pw@db.example.org:5432/x") == "db.example.org"
    assert host_of("production") is None and host_of("smtp.example.org:587") == "smtp.example.org"


def test_every_vendor_has_non_empty_places():
    assert all(v.places for v in endpoints.vendors())
    sentry = endpoints.vendor_of_variable("NEXT_PUBLIC_SENTRY_DSN")
    assert sentry is not None and sentry.name == "Sentry" and sentry.countries == ("DE", "US")
    assert endpoints.vendor_of_variable("LD_LIBRARY_PATH") is None
    assert endpoints.vendor_of_provider("datadog").name == "Datadog"


def hdslint(*args, cwd):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_VAR_")}
    env["PYTHONPATH"] = str(ROOT)  # the fixture is the working directory: this checkout, not an installed one
    return subprocess.run([sys.executable, "-m", "hdslint", *args], cwd=cwd, capture_output=True, text=True, env=env,
                          timeout=120)


def test_the_command_writes_json_csv_markdown_in_both_languages():
    done = hdslint("transfers", ".", "--format", "json", "--today", "2026-12-06", cwd=HERE / "scalingo")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    jsonschema.Draft202012Validator(SCHEMA, registry=_registry()).validate(doc)
    assert doc["summary"] == {"transfers": 1, "to_check": 3}
    first = doc["transfers"][0]
    assert (first["what"], first["setting"], first["country"], first["status"], first["basis"]["kind"]) == (
        "scalingo.json", "env.SENTRY_DSN", "US", "transfer", "adequacy")
    assert first["note"].startswith("HDS EXI 28")

    done = hdslint("transfers", ".", "--format", "csv", cwd=HERE / "ovh_database")
    table = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [(r["recipient"], r["country"], r["kind"], r["basis"]) for r in table] == [
        ("Aiven OY", "CA", "remote_access", "adequacy"), ("Aiven OY", "GB", "remote_access", "adequacy")]
    assert table[0]["risk"] == "the law of Canada (Aiven OY)"
    assert table[1]["risk"] == "the law of United Kingdom (Aiven OY)"

    done = hdslint("transfers", ".", "--format", "markdown", "--lang", "fr", cwd=HERE / "ovh_database")
    assert "## Cartographie des transferts de données de santé hors de l'EEE" in done.stdout
    assert "| ovh_cloud_project_database.patients | accès à distance | Aiven OY (sous-traitant pour OVHcloud) |" in done.stdout
    assert "Royaume-Uni (GB)" in done.stdout and "déclarée par OVHcloud" in done.stdout

    done = hdslint("transfers", ".", "--format", "markdown", cwd=HERE / "none")
    assert "No transfer to a third country." in done.stdout and done.returncode == 0


def test_the_json_report_holds_the_transfers():
    done = hdslint("scan", ".", "--format", "json", "--fail-on", "none", cwd=HERE / "stores")
    doc = json.loads(done.stdout)
    jsonschema.validate(doc, json.loads((ROOT / "policies" / "schemas" / "report.schema.json").read_text()))
    assert [(t["what"], t["country"], t["worldwide"], t["status"]) for t in doc["transfers"]] == [
        ("aws_s3_bucket.exports", "US", False, "transfer"), ("azurerm_storage_account.archive", "CH", False, "transfer"),
        ("google_storage_bucket.cache", "SG", False, "transfer"),
        ("aws_cloudfront_distribution.portal", None, True, "transfer"), ("aws_s3_bucket.backups", None, False, "to_check")]


def test_a_part_of_the_map_that_fails_is_a_flow_to_check(monkeypatch):
    from hdslint.analysis import transfers as analysis

    def broken(coverage, res):
        raise KeyError("a bug")

    monkeypatch.setattr(analysis, "_placed", broken)
    got = [(t.status, str(t.what), str(t.reason)) for t in scan(HERE / "ovh_database").context.transfers]
    assert got[-1] == ("to_check", "ovh_cloud_project_database.patients",
                       "hdslint met an internal error here (KeyError): check this flow by hand and report the error")
    assert [g[0] for g in got[:2]] == ["transfer", "transfer"]  # the subcontractors are still there


def test_what_hdslint_cannot_read_is_to_check_never_no_transfer():
    unread = HERE / "unread"
    assert rows(unread) == [
        ("to_check", "broken.tf", "", "storage", "", None, "none_known", "broken.tf",
         len((unread / "broken.tf").read_text().splitlines()) + 1),
        ("to_check", "1 template(s) not rendered", "", "storage", "", None, "none_known",
         "chart/templates/deployment.yaml", line_of(unread / "chart" / "templates" / "deployment.yaml", "{{")),
        ("to_check", "1 remote module(s) not scanned", "", "storage", "", None, "none_known", "main.tf",
         line_of(unread / "main.tf", 'module "storage"')),
    ]
    markdown = report.render("markdown", scan(unread))
    assert "No transfer to a third country." not in markdown
    assert "cannot place 3 flow(s): check them before stating that there is no transfer" in markdown
