"""Locality and resolution messages in French (--lang fr): whole messages from real fixture
scans, resolution steps included, and the English text left as it was."""
from __future__ import annotations

from conftest import FIXTURES, finding, line_of, scan

from hdslint import i18n
from hdslint.model.values import render_chain

TF = FIXTURES / "terraform"
K8S = FIXTURES / "kubernetes"


def test_outside_eea_with_its_resolution_chain():
    d = TF / "provider_tfvars_fail"
    f = finding(scan(d, lang="fr"), "HDS-LOC-001", "aws_db_instance.patients")
    providers = line_of(d / "providers.tf", "region = var.region")
    tfvars = line_of(d / "terraform.tfvars", "region =")
    assert f.message == (
        "aws_db_instance.patients stocke des données dans us-east-1 (N. Virginia, United States), hors de l'EEE. "
        f"Résolu depuis : provider.aws region = var.region (providers.tf:{providers}) "
        f'<- var.region = "us-east-1" (terraform.tfvars:{tfvars}).')
    assert f.remediation == (
        "La placer dans une région de l'EEE, par exemple eu-west-3 : l'EXI 28 du référentiel HDS impose que les "
        "données de santé soient stockées uniquement dans l'EEE.")
    assert f.basis == "Référentiel HDS 2024, EXI 28 : les données de santé sont stockées uniquement dans l'EEE"

    english = finding(scan(d), "HDS-LOC-001", "aws_db_instance.patients")
    assert english.message == (
        "aws_db_instance.patients stores data in us-east-1 (N. Virginia, United States), outside the EEA. "
        f"Resolved from: provider.aws region = var.region (providers.tf:{providers}) "
        f'<- var.region = "us-east-1" (terraform.tfvars:{tfvars}).')


def test_variable_default_step_in_french():
    d = TF / "provider_default_pass"
    result = scan(d, lang="fr")
    db = next(r for r in result.context.resources if r.address == "aws_db_instance.patients")
    [place] = db.location.places
    with i18n.using("fr"):  # the model holds templates; a report writes them in its language
        assert render_chain(place.hops).endswith(
            f'var.region (valeur par défaut) = "eu-west-3" (variables.tf:{line_of(d / "variables.tf", "default")})')


def test_undetermined_reasons():
    d = TF / "undetermined"
    result = scan(d, lang="fr")
    assert finding(result, "HDS-LOC-002", "aws_ebs_volume.scans").message == (
        "Impossible de déterminer où aws_ebs_volume.scans conserve ses données : provider.aws (main.tf:1) ne définit "
        "pas region ; Terraform lit sa valeur dans AWS_REGION ou AWS_DEFAULT_REGION au moment de l'apply.")
    loc = line_of(d / "main.tf", "location            = var.location")
    decl = line_of(d / "main.tf", 'variable "location"')
    assert finding(result, "HDS-LOC-002", "azurerm_postgresql_flexible_server.ehr").message == (
        "Impossible de déterminer où azurerm_postgresql_flexible_server.ehr conserve ses données : var.location n'a "
        "ni valeur par défaut ni valeur dans TF_VAR_*, terraform.tfvars, *.auto.tfvars ou --var-file. "
        "Résolu jusqu'ici : azurerm_postgresql_flexible_server.ehr location = var.location "
        f"(main.tf:{loc}) <- var.location (main.tf:{decl}).")
    kv = finding(result, "HDS-LOC-002", "azurerm_key_vault.kv")
    assert kv.message.startswith(
        "Impossible de déterminer où azurerm_key_vault.kv conserve ses données : "
        "data.azurerm_resource_group.shared.location est lu dans le cloud au moment du plan.")
    # the location is read from the cloud: no variable is the cause, so none is named
    assert kv.remediation.startswith("Définir la région dans le code là où la ressource ou son bloc provider le "
                                     "permet ; là où l'emplacement vient de l'extérieur du code")
    assert finding(result, "HDS-LOC-002", "azurerm_postgresql_flexible_server.ehr").remediation == (
        "Donner une valeur à var.location (terraform.tfvars, --var-file ou TF_VAR_location), ou définir la région "
        "dans le code.")


def test_type_default_global_service_and_unknown_provider():
    d = TF / "google_locations"
    f = finding(scan(d, lang="fr"), "HDS-LOC-001", "google_bigquery_dataset.analytics")
    line = line_of(d / "main.tf", '"google_bigquery_dataset" "analytics"')
    assert f.message == (
        "google_bigquery_dataset.analytics stocke des données dans us (United States), hors de l'EEE. "
        "Résolu depuis : google_bigquery_dataset prend par défaut la valeur US quand aucune localisation n'est "
        f"définie (main.tf:{line}).")

    d = TF / "services_global_replicas"
    result = scan(d, lang="fr")
    line = line_of(d / "main.tf", '"aws_cloudfront_distribution" "portal"')
    assert finding(result, "HDS-LOC-001", "aws_cloudfront_distribution.portal").message == (
        "aws_cloudfront_distribution.portal est un service global : il fonctionne ou conserve des données n'importe "
        "où dans le monde (aucune région n'est définie ni ne peut l'être), hors de l'EEE. Résolu depuis : "
        f"aws_cloudfront_distribution est un service global sans région (main.tf:{line}).")
    assert finding(result, "HDS-LOC-004").message == (
        "hdslint ne connaît pas le fournisseur Terraform 'datadog' : 1 ressource(s) non localisée(s) "
        "(datadog_monitor.cpu).")


def test_kubernetes_cluster_unknown_and_deprecated_label():
    f = finding(scan(K8S / "storage", lang="fr"), "HDS-LOC-005")
    assert f.message == (
        "8 objet(s) Kubernetes impossible(s) à localiser (PersistentVolumeClaim/ehr/records, "
        "PersistentVolumeClaim/ehr/scans, StatefulSet/ehr/postgres, StorageClass/gp3, StorageClass/gp3-encrypted "
        "et 3 autre(s)) : aucun cluster géré dans l'analyse et ni kubernetes.provider ni kubernetes.region dans la "
        "configuration.")
    assert f.remediation.startswith("Nommer le cluster dans .hdslint.yaml (kubernetes: {provider: ..., region: ...})")

    d = K8S / "pinning"
    result = scan(d, lang="fr")
    assert finding(result, "HDS-LOC-006", "CronJob/ehr/report").message == (
        "CronJob/ehr/report fixe sa région avec failure-domain.beta.kubernetes.io/region, obsolète depuis "
        "Kubernetes 1.17 ; utiliser topology.kubernetes.io/region.")
    egress = [f for f in result.findings if f.rule_id == "HDS-LOC-001" and f.resource == "Deployment/ehr/api"
              and "envoie" in f.message]
    assert [f.message for f in egress] == [
        "Deployment/ehr/api envoie des données vers us-west-2 (Oregon, United States), hors de l'EEE. Résolu "
        "depuis : point de terminaison Amazon S3 https://s3.us-west-2.amazonaws.com/exports "
        f"(workloads.yaml:{line_of(d / 'workloads.yaml', 's3.us-west-2')})."]


def test_missing_local_module_problem():
    d = TF / "modules_chain"
    f = finding(scan(d, lang="fr"), "HDS-PARSE-003")
    assert f.message == 'module.ghost : la source de module local "./modules/does-not-exist" n\'existe pas'
