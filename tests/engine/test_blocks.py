"""Blocks Terraform accepts besides resources: ephemeral resources (their values are Unknown, with the reason),
and check, import, moved and removed blocks (accepted; they change nothing the gate evaluates)."""
import pytest

from pulse_gate.errors import InputError
from pulse_gate.rules import run_rules
from pulse_gate.values import Unknown

from .tf_oracle import needs_terraform, terraform_plans

EPHEMERAL = '''
ephemeral "azurerm_key_vault_secret" "pw" {
  name         = "pw"
  key_vault_id = "kv"
}
locals {
  conn = "Password=${ephemeral.azurerm_key_vault_secret.pw.value}"
}
resource "azurerm_storage_account" "sa" {
  name                      = "st"
  shared_access_key_enabled = ephemeral.azurerm_key_vault_secret.pw.value == "off" ? false : true
  tags = {
    conn  = local.conn
    whole = jsonencode(ephemeral.azurerm_key_vault_secret.pw)
  }
}
'''
EPHEMERAL_REASON = ("ephemeral resource ephemeral.azurerm_key_vault_secret.pw: its values are known only during "
                    "the run")


def test_ephemeral_references_are_unknown_with_the_reason(env_model):
    model = env_model({"main.tf": EPHEMERAL})
    sa = model.by_address("azurerm_storage_account.sa")
    assert sa.values["tags"]["conn"] == Unknown(EPHEMERAL_REASON, "Password=${?}")
    assert EPHEMERAL_REASON in sa.values["tags"]["whole"].reason
    [finding] = run_rules(model, None, ["ST001"])
    assert finding.message.startswith("cannot prove shared_access_key_enabled is false")
    assert "ephemeral resource ephemeral.azurerm_key_vault_secret.pw" in finding.message
    assert [r.address for r in model.resources] == ["azurerm_storage_account.sa"]   # not a planned resource


def test_ephemeral_in_a_module_names_the_module(env_model):
    model = env_model({
        "main.tf": 'module "m" {\n  source = "./m"\n}\n',
        "m/main.tf": 'ephemeral "random_password" "p" {\n  length = 20\n}\n'
                     'resource "azurerm_thing" "t" {\n  secret = ephemeral.random_password.p[0].result\n}\n',
    })
    assert model.by_address("module.m.azurerm_thing.t").values["secret"] == Unknown(
        "ephemeral resource ephemeral.random_password.p in module.m: its values are known only during the run")


def test_undeclared_ephemeral_resource_is_an_input_error(env_model):
    with pytest.raises(InputError) as err:
        env_model({"main.tf": 'resource "azurerm_thing" "t" {\n  x = ephemeral.random_password.p.result\n}\n'})
    assert (err.value.file, err.value.line) == ("main.tf", 2)
    assert err.value.message == "reference to undeclared ephemeral resource ephemeral.random_password.p"


def test_duplicate_ephemeral_resource_is_an_input_error(env_model):
    block = 'ephemeral "random_password" "p" {\n  length = 20\n}\n'
    with pytest.raises(InputError) as err:
        env_model({"a.tf": block, "b.tf": block})
    assert (err.value.file, err.value.message) == ("b.tf", "duplicate ephemeral random_password.p (first declared "
                                                           "in a.tf)")


STATE_BLOCKS = {"main.tf": '''
    resource "terraform_data" "t" {
      input = "x"
    }
    check "always_fails" {
      data "terraform_remote_state" "other" {
        backend = "local"
        config = {
          path = "nothing.tfstate"
        }
      }
      assert {
        condition     = terraform_data.t.input == "y" && data.terraform_remote_state.other.outputs.ok
        error_message = "input is not y"
      }
    }
    import {
      to = terraform_data.t
      id = "imported"
    }
    moved {
      from = terraform_data.old
      to   = terraform_data.t
    }
    removed {
      from = terraform_data.gone
      lifecycle {
        destroy = false
      }
    }
'''}


def test_check_import_moved_removed_are_accepted_and_change_nothing(env_model):
    model = env_model(STATE_BLOCKS)
    assert [(r.address, r.values) for r in model.resources] == [("terraform_data.t", {"input": "x"})]
    assert model.unevaluated == []


@needs_terraform
def test_terraform_plans_the_same_configuration_despite_the_failing_check(tmp_path):
    files = dict(STATE_BLOCKS)
    files["main.tf"] = files["main.tf"].replace("    import {\n      to = terraform_data.t\n      id = \"imported\"\n"
                                                "    }\n", "")   # terraform_data cannot be imported
    assert "Plan: 1 to add" in terraform_plans(tmp_path, files)
