"""The engine apart from this repository's policy: a foreign root gets the generic rules only, clean means exit 0,
every finding points at a file that exists, and the false positives seen on public roots stay gone."""
from __future__ import annotations

import os
import textwrap

import pytest

from pulse_gate import policy_data
from pulse_gate.cli import main
from pulse_gate.gate import check
from pulse_gate.rules import RULES

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PROVIDER = """
provider "azurerm" {
  features {}
  storage_use_azuread = true
}
"""
KEYLESS_ACCOUNT = """
resource "azurerm_storage_account" "this" {
  name                            = "stexample"
  resource_group_name             = "rg-example"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  shared_access_key_enabled       = false
  default_to_oauth_authentication = true
  https_traffic_only_enabled      = true
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = false
  local_user_enabled              = false
  sftp_enabled                    = false
}
"""
ASSIGNMENT = """
resource "azurerm_user_assigned_identity" "app" {
  name                = "id-app"
  resource_group_name = "rg-example"
  location            = "westeurope"
}

resource "azurerm_role_assignment" "app_blob" {
  scope                = azurerm_storage_account.this.id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
}
"""


def _root(tmp_path, **files) -> str:
    for name, text in files.items():
        path = tmp_path / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return str(tmp_path)


def _ids(result) -> list[str]:
    return sorted(f.rule_id for f in result.findings)


def test_clean_foreign_root_has_no_findings_and_exits_0(tmp_path, capsys):
    root = _root(tmp_path, **{"main.tf": PROVIDER + KEYLESS_ACCOUNT + ASSIGNMENT})
    assert check(root).findings == []
    assert main(["check", "--root", root]) == 0
    assert main(["check", "--root", root, "--policy-data", "none"]) == 0


def test_foreign_root_still_gets_the_generic_rules(tmp_path):
    root = _root(tmp_path, **{"main.tf": PROVIDER + KEYLESS_ACCOUNT.replace(
        "shared_access_key_enabled       = false", "shared_access_key_enabled       = true")})
    assert _ids(check(root)) == ["ST001"]


def test_policy_rules_need_policy_data(tmp_path):
    """An assignment to a principal nobody declared is RB004 against policy data, and nothing without it."""
    root = _root(tmp_path, **{"main.tf": PROVIDER + KEYLESS_ACCOUNT + ASSIGNMENT})
    policy = tmp_path / "policy.toml"
    policy.write_text("[toggles]\nstorage_use_managed_identity = true\n[backend]\nrequired = true\n")
    ids = _ids(check(root, policy_path=str(policy)))
    assert ids == ["PL002", "PL004", "RB004"], ids
    assert {r for r in RULES if RULES[r].needs_policy_data} >= {"PL004", "RB001", "RB002", "RB003", "RB004"}


def test_findings_without_a_place_in_the_terraform_point_at_the_policy_data(tmp_path):
    """A toggle the root does not declare, a backend it lacks: the policy data is what asks for them."""
    root = _root(tmp_path, **{"main.tf": PROVIDER + KEYLESS_ACCOUNT})
    policy = tmp_path / "policy.toml"
    policy.write_text("# toggles\n[toggles]\nstorage_use_managed_identity = true\n\n[backend]\nrequired = true\n")
    findings = check(root, policy_path=str(policy)).findings
    assert {(f.rule_id, f.file, f.line) for f in findings} == {("PL004", "policy.toml", 3),
                                                                ("PL002", "policy.toml", 6)}


def test_every_finding_points_at_a_file_that_exists(tmp_path):
    """The repository's own policy over a foreign root (the worst case: nothing it names is there)."""
    root = _root(tmp_path, **{"main.tf": PROVIDER + KEYLESS_ACCOUNT + ASSIGNMENT})
    findings = check(root, policy_path=str(policy_data.DEFAULT_PATH)).findings
    assert {"PL004", "RB001", "RB004"} <= {f.rule_id for f in findings}
    for f in findings:
        assert os.path.isfile(os.path.join(root, f.file)), f.line_text()


def test_repository_hints_come_from_the_policy_data(tmp_path):
    bad = KEYLESS_ACCOUNT.replace("shared_access_key_enabled       = false", "shared_access_key_enabled       = true")
    root = _root(tmp_path, **{"main.tf": PROVIDER + bad})
    [generic] = check(root).findings
    assert "tfvars" not in generic.hint
    policy = tmp_path / "policy.toml"
    policy.write_text('[hints]\nST001 = "storage_account_shared_access_key_enabled in envs/{env}/terraform.tfvars"\n')
    [local] = check(root, policy_path=str(policy)).findings
    assert local.hint.endswith("; here: storage_account_shared_access_key_enabled in envs/default/terraform.tfvars")


def test_policy_data_of_the_repository_drives_pl004():
    policy = policy_data.load()
    assert policy.toggles["storage_account_shared_access_key_enabled"] is False
    assert policy.require_backend


@pytest.mark.parametrize("default, fires", [("{}", False), ("[]", False), ('""', False), ("null", False),
                                            ('{ password = "hunter2" }', True), ('"hunter2"', True)])
def test_pl003_sensitive_default(tmp_path, default, fires):
    """AVM modules declare sensitive maps with default {}: an empty collection holds no secret."""
    root = _root(tmp_path, **{"main.tf": PROVIDER + f"""
variable "secrets" {{
  type      = any
  sensitive = true
  default   = {default}
}}
"""})
    assert ("PL003" in _ids(check(root))) is fires


@pytest.mark.parametrize("name, fires", [("ssh_public_key", False), ("admin_ssh_public_key", False),
                                         ("ssh_private_key", True), ("deploy_key", True)])
def test_pl003_public_key_is_not_a_secret(tmp_path, name, fires):
    root = _root(tmp_path, **{"main.tf": PROVIDER + f'variable "{name}" {{\n  type = string\n}}\n',
                              "terraform.tfvars": f'{name} = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample"\n'})
    assert ("PL003" in _ids(check(root))) is fires


SLOT = """
resource "azurerm_service_plan" "this" {
  name                = "asp"
  resource_group_name = "rg"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "%s"
}

resource "azurerm_linux_function_app" "this" {
  name                          = "func"
  resource_group_name           = "rg"
  location                      = "westeurope"
  service_plan_id               = azurerm_service_plan.this.id
  storage_account_name          = "stexample"
  storage_uses_managed_identity = true
  site_config {}
}

resource "azurerm_linux_function_app_slot" "staging" {
  name                          = "staging"
  function_app_id               = azurerm_linux_function_app.this.id
  storage_account_name          = "stexample"
  storage_uses_managed_identity = true
  site_config {}
}
"""


@pytest.mark.parametrize("sku, fires", [("P1v3", False), ("Y1", True)])
def test_ap003_function_app_slot_runs_on_its_parents_plan(tmp_path, sku, fires):
    root = _root(tmp_path, **{"main.tf": PROVIDER + SLOT % sku})
    slot = [f for f in check(root, select=["AP003"]).findings if "slot" in f.address]
    assert not slot, "\n".join(f.line_text() for f in slot)   # the slot is judged through its parent's plan
    assert bool(check(root, select=["AP003"]).findings) is fires
