"""French messages of the coverage, exposure, parse and suppression findings, from real
fixture scans (--lang fr); the English scans of the same fixtures say what they always said."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import FIXTURES, line_of, scan

from hdslint import i18n
from hdslint.analysis.coverage import matrix
from hdslint.syntax.hcl import parser as hcl


def _messages(result, *families) -> dict:
    return {(f.rule_id, f.file, f.line): f.message for f in result.findings if f.family in families}


def test_expired_certificate_and_its_evidence_in_french():
    result = scan(FIXTURES / "coverage" / "compliant_scalingo", today=dt.date(2028, 9, 12), lang="fr")
    [f] = [f for f in result.findings if f.rule_id == "HDS-COV-002"]
    assert f.message == ("Le certificat HDS du fournisseur Scalingo a expiré le 2028-09-11 : 3 ressource(s) en "
                         "dépendent (scalingo_app.api, scalingo_container_type.web, scalingo_addon.db).")
    assert f.remediation == ("Obtenir le certificat renouvelé (et mettre à jour le catalogue ou votre déclaration), "
                             "ou déplacer les ressources.")
    assert f.basis == ("Code de la santé publique, L.1111-8 : l'hébergement de données de santé exige un "
                       "certificat en cours de validité")
    with i18n.using("fr"):  # the matrix is written by a report, in the report's language
        evidence = {e for row in matrix(result.context.coverage) for c in row["providers"] for e in c["evidence"]}
    assert evidence == {"HDS 2024 (v2), certificat 38436, délivré par LNE, valide jusqu'au 2028-09-11, source "
                        "https://github.com/Scalingo/documentation/blob/master/src/_posts/compliance/2000-01-01-hds.md"}


def test_unknown_certification_in_french():
    d = FIXTURES / "coverage" / "unknown_provider_status"
    result = scan(d, lang="fr")
    [f] = [f for f in result.findings if f.rule_id == "HDS-COV-003"]
    assert f.message == ("Hetzner Cloud a un statut HDS que hdslint n'a pas pu établir à partir de sources "
                         "publiques : 2 ressource(s) requièrent des périmètres de ce fournisseur "
                         "(hcloud_server.web, hcloud_volume.data).")
    assert f.remediation == ("Obtenir le certificat HDS du fournisseur (périmètres, régions, services, validité) "
                             "et l'enregistrer dans coverage.catalog_overrides, ou choisir un fournisseur dont le "
                             "certificat est publié.")
    english = scan(d)
    assert [f.message for f in english.findings if f.rule_id == "HDS-COV-003"] == [
        "Hetzner Cloud has an HDS status hdslint could not establish from public sources: 2 resource(s) need "
        "perimeters from it (hcloud_server.web, hcloud_volume.data)."]


def test_provider_condition_in_french_quotes_the_catalog_as_written():
    d = FIXTURES / "coverage" / "scalingo_conditions"
    result = scan(d, lang="fr")
    got = {f.resource: f.message for f in result.findings if f.rule_id == "HDS-COV-004"}
    assert got["scalingo_container_type.legacy_web"] == (
        "scalingo_container_type.legacy_web ne respecte pas la condition HDS du fournisseur Scalingo : HDS apps must "
        "run their web process type on 2 or more containers. (constaté : amount = 1).")


def test_scalingo_manifest_exposure_and_schema_in_french():
    d = FIXTURES / "scalingo" / "manifest_fail"
    result = scan(d, lang="fr")
    got = _messages(result, "exposure", "parse")
    manifest = d / "scalingo.json"
    assert got[("HDS-EXP-002", "scalingo.json", line_of(manifest, "copy_parent_database_urls"))] == (
        "scalingo.json : copy_parent_database_urls vaut true : les review apps reçoivent les identifiants de la base "
        "de données de l'application parente.")
    assert got[("HDS-EXP-001", "scalingo.json", line_of(manifest, "MAILER_API_KEY"))] == (
        "env.MAILER_API_KEY dans scalingo.json contient en clair : une valeur littérale pour MAILER_API_KEY.")
    # jsonschema's own text stays in English inside the French frame
    worker = line_of(manifest, '"worker"')
    assert got[("HDS-PARSE-006", "scalingo.json", worker)] == (
        "scalingo.json : formation.worker.amount : '1' is not of type 'integer'")
    english = _messages(scan(d), "parse")
    assert english[("HDS-PARSE-006", "scalingo.json", worker)] == (
        "scalingo.json: formation.worker.amount: '1' is not of type 'integer'")
    [f] = [f for f in result.findings if f.rule_id == "HDS-EXP-001" and "MAILER" in f.message]
    assert f.remediation == (
        "Retirer la valeur de env.MAILER_API_KEY de scalingo.json : la définir avec le tableau de bord ou la CLI "
        "Scalingo (scalingo env-set), ou lui donner un generator ; et renouveler le secret : il est dans "
        "l'historique.")


def test_suppression_findings_in_french():
    d = FIXTURES / "terraform" / "suppressions"
    result = scan(d, lang="fr")
    got = _messages(result, "suppression")
    assert got[("HDS-SUP-001", "main.tf", 15)] == (
        "Ce commentaire hdslint:ignore n'a pas de motif : écrire reason=\"pourquoi c'est acceptable\" ; "
        "il n'exempte rien.")
    assert got[("HDS-SUP-001", "main.tf", 31)] == (
        "Ce commentaire hdslint:ignore nomme une règle que hdslint ne connaît pas (HDS-XYZ-001) ; il n'exempte rien.")
    assert got[("HDS-SUP-002", "main.tf", 11)] == (
        "Cette exemption de HDS-LOC-001 a expiré le 2024-01-31 (motif : Temporary, removed in the next sprint) ; "
        "les constats qu'elle couvrait sont de nouveau signalés.")
    [f] = [f for f in result.findings if f.rule_id == "HDS-SUP-001" and f.line == 15]
    assert f.remediation == 'Écrire : hdslint:ignore RULE_ID reason="pourquoi c\'est acceptable" until=AAAA-MM-JJ'


def test_parse_findings_in_french():
    d = FIXTURES / "terraform" / "parse_errors"
    got = _messages(scan(d, lang="fr"), "parse")
    assert got[("HDS-PARSE-001", "binary.tf.json", 1)] == (
        "binary.tf.json est un fichier binaire (il contient des octets NUL), pas du texte")
    assert got[("HDS-PARSE-001", "latin1.tf", 2)] == "latin1.tf n'est pas de l'UTF-8 valide (octet 0xe9 à la ligne 2)"
    assert got[("HDS-PARSE-001", "trailing_comma.tf.json", 1)] == (
        "erreur de syntaxe : clé d'objet entre guillemets attendue")
    chain = _messages(scan(FIXTURES / "terraform" / "modules_chain", lang="fr"), "parse")
    assert chain[("HDS-PARSE-002", "main.tf", line_of(FIXTURES / "terraform" / "modules_chain" / "main.tf",
                                                      'module "vpc"'))] == (
        "module.vpc provient de \"git::https://example.com/network.git?ref=v1.2.0\", qui n'est pas installé dans "
        ".terraform/modules et que hdslint ne télécharge pas : les ressources qu'il crée ne sont pas vérifiées. "
        "Lancer d'abord terraform init.")


def test_hostile_files_in_french():
    got = _messages(scan(FIXTURES / "hostile", lang="fr"), "parse")
    assert got[("HDS-PARSE-001", "syntax_error.tf", 7)] == "erreur de syntaxe : '}' manquant en fin de fichier"
    assert got[("HDS-PARSE-001", "deep.tf", 2)] == "erreur de syntaxe : imbrication de plus de 200 niveaux"
    assert got[("HDS-PARSE-001", "alias_bomb.yaml", 4)] == (
        "erreur de syntaxe : plus de 200000 valeurs une fois les alias développés (une bombe d'alias ?)")
    # PyYAML's own problem text stays in English inside the French frame
    assert got[("HDS-PARSE-001", "not-yaml.yaml", 3)] == (
        "erreur de syntaxe : found a tab character that violates indentation")
    assert got[("HDS-PARSE-004", "chart/templates/deployment.yaml", 4)] == (
        "chart/templates/deployment.yaml est un template Helm hors du dossier templates/ d'un chart : hdslint n'en "
        "fait pas le rendu. En faire le rendu avec son chart (`helm template my-release chart | hdslint scan -`) pour "
        "vérifier les manifestes rendus.")
    english = _messages(scan(FIXTURES / "hostile"), "parse")
    assert english[("HDS-PARSE-001", "alias_bomb.yaml", 4)] == (
        "syntax error: more than 200,000 values once aliases are expanded (an alias bomb?)")


@pytest.mark.parametrize("text, english, french", [
    ('a = "x\n', "unterminated string", "chaîne non terminée"),
    ('a = "${x}%{ else }"\n', "'%{else}' without a matching '%{if}'", "'%{else}' sans '%{if}' correspondant"),
    ('resource "a" "b" x\n', "expected '=' or '{' after 'resource'", "'=' ou '{' attendu après 'resource'"),
])
def test_hcl_errors_follow_the_language(text, english, french):
    for lang, want in (("en", english), ("fr", french)):
        with pytest.raises(hcl.HCLError) as err:
            hcl.parse(text)
        with i18n.using(lang):  # words come last: the error holds the template, written when shown
            assert str(err.value.message) == want
