"""Encryption and backup findings in French (--lang fr): whole messages from fixture scans.
Notes quoted from policies/ stay in English, so these cases are chosen without them."""
from __future__ import annotations

from conftest import FIXTURES, finding, scan

ENC = FIXTURES / "encryption"
BAK = FIXTURES / "backup"


def test_encryption_at_rest_and_in_transit_in_french():
    aws = scan(ENC / "aws", lang="fr")
    off = finding(aws, "HDS-ENC-001", "aws_db_instance.explicit_off")
    assert off.message == (
        "aws_db_instance.explicit_off stocke des données non chiffrées au repos : storage_encrypted = false, "
        "ce qui ne l'active pas, et la valeur par défaut du fournisseur est désactivée. ISO/IEC 27001:2022 A.8.24 "
        "au travers du SMSI certifié (HDS EXI 01, analyse de risques EXI 05).")
    assert off.remediation == "Définir storage_encrypted = true sur aws_db_instance.explicit_off."
    azure = scan(ENC / "azure", lang="fr")
    portal = finding(azure, "HDS-ENC-003", "azurerm_linux_web_app.portal")
    assert portal.message == (
        "azurerm_linux_web_app.portal laisse les données circuler sans chiffrement imposé : https_only non défini, "
        "et la valeur par défaut du fournisseur est désactivée.")
    legacy = finding(azure, "HDS-ENC-003", "azurerm_storage_account.legacy")
    assert legacy.remediation == ('Changer min_tls_version = "TLS1_0" sur azurerm_storage_account.legacy : cette '
                                  "valeur le désactive.")


def test_customer_managed_key_in_french(tmp_path):
    (tmp_path / "main.tf").write_text('''
provider "aws" {
  region = "eu-west-3"
}
resource "aws_ebs_volume" "managed_key" {
  availability_zone = "eu-west-3a"
  size              = 10
  encrypted         = true
}
''')
    result = scan(tmp_path, lang="fr", profile="strict")
    f = finding(result, "HDS-ENC-004", "aws_ebs_volume.managed_key")
    assert f.message == ("aws_ebs_volume.managed_key est chiffré au repos avec une clé gérée par le fournisseur : "
                         "aucune clé gérée par le client (kms_key_id) n'est définie.")
    assert f.remediation == ("Chiffrer avec une clé gérée par le client (AWS KMS, Azure Key Vault, Cloud KMS...) "
                             "détenue dans l'EEE.")


def test_backups_in_french():
    aws = scan(BAK / "aws_cross", lang="fr")
    assert finding(aws, "HDS-BAK-004", "aws_db_instance.billing").message == (
        "aws_db_instance.billing conserve ses sauvegardes 3 jour(s) (backup_retention_period = 3), "
        "moins que le minimum de 7.")
    sessions = finding(aws, "HDS-BAK-001", "aws_dynamodb_table.sessions")
    assert sessions.message == (
        "aws_dynamodb_table.sessions n'a pas de sauvegarde : point_in_time_recovery[*].enabled non défini, "
        "et la valeur par défaut du fournisseur est désactivée.")
    assert sessions.remediation == "Définir point_in_time_recovery.enabled = true sur aws_dynamodb_table.sessions."
    copy = finding(aws, "HDS-BAK-003", "aws_db_instance.ehr")
    assert "hors de l'EEE (faite par aws_db_instance_automated_backups_replication.ehr). Résolu depuis : " in copy.message
    eu = scan(BAK / "european", lang="fr")
    assert finding(eu, "HDS-BAK-001", "scaleway_rdb_instance.nobackup").message == (
        "scaleway_rdb_instance.nobackup n'a pas de sauvegarde : disable_backup = true.")


def test_separate_site_in_french():
    zone = scan(BAK / "azure_sites", lang="fr")
    assert finding(zone, "HDS-BAK-002", "azurerm_storage_account.lrs").message == (
        "Les sauvegardes de azurerm_storage_account.lrs sont conservées dans la même zone de disponibilité que les "
        "données (account_replication_type = \"LRS\"), et aucune copie n'est faite dans une autre zone de "
        "disponibilité ou région. Un site distinct est une bonne pratique ISO 27001, pas une exigence HDS numérotée.")
    region = scan(BAK / "azure_sites", lang="fr", separate_site="region")
    zrs = finding(region, "HDS-BAK-002", "azurerm_storage_account.zrs")
    assert zrs.message == (
        "Les sauvegardes de azurerm_storage_account.zrs sont conservées dans une autre zone de disponibilité de la "
        "même région (account_replication_type = \"ZRS\"), et aucune copie n'est faite dans une autre région. "
        "Un site distinct est une bonne pratique ISO 27001, pas une exigence HDS numérotée.")
    assert zrs.remediation == 'Définir account_replication_type = "GRS" sur azurerm_storage_account.zrs.'
