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
        ("HDS-EXP-002", "scalingo.json", "scalingo.json", line_of(m, "copy_parent_database_urls")),
        ("HDS-EXP-001", "", "scalingo.json", line_of(m, '"DATABASE_URL"')),
        ("HDS-LOC-001", "scalingo.json", "scalingo.json", line_of(m, '"SENTRY_DSN"')),
        ("HDS-EXP-001", "", "scalingo.json", line_of(m, '"MAILER_API_KEY"')),
        ("HDS-COV-004", "addons[0]", "scalingo.json", line_of(m, "postgresql-starter-512")),
        ("HDS-BAK-001", "addons[1]", "scalingo.json", line_of(m, "redis-sandbox")),
        ("HDS-COV-004", "addons[1]", "scalingo.json", line_of(m, "redis-sandbox")),
        ("HDS-COV-004", "addons[2]", "scalingo.json", line_of(m, "mongodb:mongo-starter-256")),
        ("HDS-COV-004", "addons[3]", "scalingo.json", line_of(m, '{"plan": "postgresql"}')),
        ("HDS-COV-004", "formation.web", "scalingo.json", line_of(m, '"web"')),
        ("HDS-PARSE-006", "", "scalingo.json", line_of(m, '"worker"')),
    ]
    msgs = [f.message for f in result.findings]
    assert "scalingo.json: formation.worker.amount: '1' is not of type 'integer'" in msgs
    assert finding(result, "HDS-PARSE-006").severity == "medium"
    assert "env.DATABASE_URL in scalingo.json holds password in a URL in clear." in msgs
    assert any('provider_id = "mongodb"' in m_ and "not eligible" in m_ for m_ in msgs)
    assert "sends data to o1.ingest.sentry.io (United States)" in finding(result, "HDS-LOC-001", "scalingo.json").message
    # {"plan": "postgresql"} (app.json's form: an add-on without a plan) leaves the plan to Scalingo: cannot tell
    unknown_plan = finding(result, "HDS-COV-004", "addons[3]")
    assert unknown_plan.severity == "medium" and "names the add-on postgresql without a plan" in unknown_plan.message
    # the fixes name a plan of the add-on's own engine (a Redis add-on is not told to take a PostgreSQL plan)
    assert str(finding(result, "HDS-BAK-001", "addons[1]").remediation).startswith(
        'Give the add-on a paid plan of its engine in the manifest ("plan": "<engine>:<engine>-business-<size>"')
    assert "<engine>:<engine>-business-<size>" in str(finding(result, "HDS-COV-004", "addons[1]").remediation)


def test_valid_manifest_with_documented_extensions_passes():
    result = scan(SCL / "manifest_pass")
    assert rows(result, families=ALL) == []  # scripts.postdeploy, scalingo-24, options.version


def test_app_json_keys_bare_addons_and_env_scalars_are_read_as_scalingo_reads_them():
    """success_url, keywords, image, buildpacks, environments, scripts.pr-predestroy, addons as bare
    strings (with the legacy scalingo- prefix, or an object with `as`), env values as bare strings,
    numbers, booleans, value as a number, boolean or null, formation quantity: no schema finding."""
    d = SCL / "app_json_keys"
    m = d / "scalingo.json"
    result = scan(d)
    assert rows(result, families=ALL) == [
        ("HDS-EXP-001", "", "scalingo.json", line_of(m, '"LEGACY_DATABASE_URL"')),
        ("HDS-COV-004", "addons[1]", "scalingo.json", line_of(m, '"postgresql",')),
        ("HDS-COV-004", "addons[2]", "scalingo.json", line_of(m, '"scalingo-mongodb"')),
        ("HDS-COV-004", "formation.web", "scalingo.json", line_of(m, '"web"')),
    ]
    got = {(f.resource, f.severity): f.message for f in result.findings}
    assert 'provider_id = "scalingo-mongodb"' in got[("addons[2]", "high")]  # the legacy name is still MongoDB
    assert "names the add-on postgresql without a plan" in got[("addons[1]", "medium")]
    # quantity = 3: whether Scalingo reads app.json's quantity is not documented, so cannot tell
    assert "sets quantity = 3 (the app.json key)" in got[("formation.web", "medium")]
    addresses = [r.address for r in result.context.resources]
    assert addresses == ["scalingo.json", "addons[0]", "addons[1]", "addons[2]", "addons[3]", "formation.web",
                         "formation.worker"]
    worker = next(r for r in result.context.resources if r.address == "formation.worker")
    assert [v.value for v in worker.values("amount")] == [1]  # below 2 either way: read as the amount
    redis = next(r for r in result.context.resources if r.address == "addons[3]")
    assert [v.value for v in redis.values("plan")] == ["redis-business-256"]


def test_a_key_nobody_documents_is_a_low_note_and_a_wrong_type_is_medium():
    d = SCL / "unknown_keys"
    m = d / "scalingo.json"
    result = scan(d)
    parse = [(f.severity, f.line, f.attribute) for f in result.findings if f.rule_id == "HDS-PARSE-006"]
    assert parse == [
        ("low", line_of(m, '"homepage"'), "schema:homepage"),
        ("low", line_of(m, '"stack"'), "schema:stack"),
        ("low", line_of(m, '"success_url"'), "schema:success_url"),
        ("low", line_of(m, '"firewall_rules"'), "schema:firewall_rules"),
        ("low", line_of(m, '"secret"'), "schema:env.RAILS_ENV.secret"),
        ("low", line_of(m, '"region"'), "schema:addons[0].region"),
        ("low", line_of(m, '"build"'), "schema:scripts.build"),
        ("medium", line_of(m, '"amount"'), "schema:formation.web.amount"),
        ("low", line_of(m, '"autoscale"'), "schema:formation.web.autoscale"),
        ("low", line_of(m, '"standard-1x"'), "schema:formation.web.size"),
        ("medium", line_of(m, '"worker"'), "schema:formation.worker.size"),  # an error, and no note beside it
    ]
    msgs = {f.attribute: f.message for f in result.findings if f.rule_id == "HDS-PARSE-006"}
    assert msgs["schema:homepage"] == (
        "scalingo.json: homepage is a key neither Scalingo nor the app.json format documents: hdslint does not read "
        "it, and Scalingo's documentation does not say what it does with it.")
    assert 'stack = "container" is not a Scalingo stack' in msgs["schema:stack"]
    assert 'formation.web.size = "standard-1x" is not a Scalingo container size' in msgs["schema:formation.web.size"]
    assert "42 is not of type 'string' (a key of the app.json format" in msgs["schema:success_url"]
    assert msgs["schema:formation.web.amount"] == "scalingo.json: formation.web.amount: 'two' is not of type 'integer'"
    french = {f.attribute: f.message for f in scan(d, lang="fr").findings if f.rule_id == "HDS-PARSE-006"}
    assert french["schema:homepage"].startswith("scalingo.json : homepage est une clé que ni Scalingo ni le format")
    # a team that sets the rule's severity sets the notes' too
    raised = scan(d, rules={"HDS-PARSE-006": {"severity": "high"}})
    assert {f.severity for f in raised.findings if f.rule_id == "HDS-PARSE-006"} == {"high"}


def test_a_scalingo_json_that_is_no_manifest_gets_one_clear_finding():
    d = SCL / "not_manifest"
    result = scan(d)
    assert rows(result) == [("HDS-PARSE-006", "", "scalingo.json", 1)]
    f = finding(result, "HDS-PARSE-006")
    assert f.severity == "medium" and f.message == (
        "scalingo.json is not a Scalingo manifest: none of its keys (title, founded_year, solution_list) is one "
        "Scalingo or the app.json format documents, so hdslint reads nothing from it.")
    assert "Rename the file if it is not a Scalingo manifest" in f.remediation
    assert result.context.resources == []
    array = scan(SCL / "not_manifest_array")
    assert rows(array) == [("HDS-PARSE-006", "", "scalingo.json", 1)]
    assert "Scalingo expects a JSON object" in finding(array, "HDS-PARSE-006").message
    assert array.context.resources == []
    french = finding(scan(d, lang="fr"), "HDS-PARSE-006")
    assert french.message.startswith("scalingo.json n'est pas un manifeste Scalingo : aucune de ses clés (title, ")
    expo = scan(SCL / "expo_app_json")  # app.json is a common name (Expo's): when it is no manifest, not Scalingo's
    assert rows(expo) == [] and expo.context.resources == []


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


def test_web_containers_in_a_manifest_with_the_fix_for_a_manifest(tmp_path):
    (tmp_path / "scalingo.json").write_text(
        '{\n  "name": "records",\n  "formation": {\n    "web": {"amount": 1},\n    "worker": {"amount": 1}\n  }\n}\n')
    result = scan(tmp_path)
    web = finding(result, "HDS-COV-004", "formation.web")
    assert web.remediation == ("Set formation.web.amount to 2 or more in the manifest (formation.web.quantity in an "
                               "app.json).")
    # no web process at all (a worker-only app): nothing runs on too few web containers
    (tmp_path / "scalingo.json").write_text(
        '{\n  "name": "jobs",\n  "formation": {\n    "web": {"amount": 0},\n    "worker": {"amount": 1}\n  }\n}\n')
    assert [f for f in scan(tmp_path).findings if f.rule_id == "HDS-COV-004"] == []
