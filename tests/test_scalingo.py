"""Scalingo: the Terraform provider's resources and the scalingo.json / app.json manifest."""
from __future__ import annotations

from conftest import FIXTURES, finding, line_of, rows, scan

SCL = FIXTURES / "scalingo"
ALL = ("locality", "coverage", "encryption", "backup", "exposure", "parse", "suppression")


def test_manifest_conditions_secrets_exposure_and_schema():
    d = SCL / "manifest_fail"
    m = d / "scalingo.json"
    result = scan(d)
    assert rows(result, families=ALL) == [
        ("HDS-PARSE-006", "", "scalingo.json", 1),
        ("HDS-EXP-002", "scalingo.json", "scalingo.json", line_of(m, "copy_parent_database_urls")),
        ("HDS-EXP-001", "", "scalingo.json", line_of(m, '"DATABASE_URL"')),
        ("HDS-LOC-001", "scalingo.json", "scalingo.json", line_of(m, '"SENTRY_DSN"')),
        ("HDS-EXP-001", "", "scalingo.json", line_of(m, '"MAILER_API_KEY"')),
        ("HDS-COV-004", "addons[0]", "scalingo.json", line_of(m, "postgresql-starter-512")),
        ("HDS-BAK-001", "addons[1]", "scalingo.json", line_of(m, "redis-sandbox")),
        ("HDS-COV-004", "addons[1]", "scalingo.json", line_of(m, "redis-sandbox")),
        ("HDS-COV-004", "addons[2]", "scalingo.json", line_of(m, "mongodb:mongo-starter-256")),
        ("HDS-COV-004", "addons[2]", "scalingo.json", line_of(m, "mongodb:mongo-starter-256")),
        ("HDS-PARSE-006", "", "scalingo.json", line_of(m, '{"plan": "postgresql"}')),
        ("HDS-COV-004", "formation.web", "scalingo.json", line_of(m, '"web"')),
    ]
    msgs = [f.message for f in result.findings]
    assert "scalingo.json: (top level): Additional properties are not allowed ('buildpacks' was unexpected)" in msgs
    assert any("addons[3]" in m_ and "is not valid" in m_ for m_ in msgs)
    assert "env.DATABASE_URL in scalingo.json holds password in a URL in clear." in msgs
    assert any('provider_id = "mongodb"' in m_ and "not eligible" in m_ for m_ in msgs)
    assert "sends data to o1.ingest.sentry.io (United States)" in finding(result, "HDS-LOC-001", "scalingo.json").message


def test_valid_manifest_with_documented_extensions_passes():
    result = scan(SCL / "manifest_pass")
    assert rows(result, families=ALL) == []  # firewall_rules, scripts.postdeploy, scalingo-24, options.version


def test_app_json_and_broken_manifest():
    result = scan(SCL / "app_json")
    assert [(r[0], r[1]) for r in rows(result, families=ALL)] == [("HDS-COV-004", "addons[0]")]
    broken = scan(SCL / "broken")
    assert rows(broken, families=ALL) == [("HDS-PARSE-001", "", "scalingo.json", 4)]


def test_app_json_is_ignored_beside_scalingo_json(tmp_path):
    (tmp_path / "scalingo.json").write_text('{"addons": [{"plan": "postgresql:postgresql-business-512"}]}')
    (tmp_path / "app.json").write_text('{"addons": ["mongodb:mongo-sandbox"]}')
    result = scan(tmp_path)
    assert {r.file for r in result.context.resources} == {"scalingo.json"}


def test_terraform_provider_resources():
    d = SCL / "terraform"
    main = d / "main.tf"
    result = scan(d)
    assert rows(result, families=ALL) == [
        ("HDS-EXP-001", "scalingo_app.api", "main.tf", line_of(main, "DATABASE_PASSWORD")),
        ("HDS-EXP-001", "scalingo_app.api", "main.tf", line_of(main, "AKIAIOSFODNN7EXAMPLE")),
        ("HDS-LOC-001", "scalingo_log_drain.datadog_us", "main.tf", line_of(main, "logs.datadoghq.com")),
        ("HDS-ENC-002", "scalingo_log_drain.syslog", "main.tf", line_of(main, '"scalingo_log_drain" "syslog"')),
        ("HDS-LOC-002", "scalingo_log_drain.syslog", "main.tf", line_of(main, "logs.internal.example.fr")),
        ("HDS-EXP-002", "scalingo_scm_repo_link.github", "main.tf", line_of(main, "automatic_creation_from_forks_allowed")),
    ]
    app = next(r for r in result.context.resources if r.address == "scalingo_app.api")
    assert app.location.places[0].region.parent == "osc-secnum-fr1"  # from api_url


def test_configuration_suppresses_manifest_findings(tmp_path):
    (tmp_path / "scalingo.json").write_text('{"addons": ["redis:redis-sandbox"]}')
    (tmp_path / ".hdslint.yaml").write_text(
        "suppressions:\n  - rule: HDS-BAK-001\n    path: scalingo.json\n    resource: addons[0]\n"
        "    reason: cache only, no health data\n")
    result = scan(tmp_path, suppressions=[{"rule": "HDS-BAK-001", "path": "scalingo.json", "resource": "addons[0]",
                                          "reason": "cache only, no health data"}])
    assert ("HDS-BAK-001", "addons[0]") in [(r[0], r[1]) for r in rows(result, suppressed=True)]
