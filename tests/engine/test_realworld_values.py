"""Found on real-world code (AVM modules, hashicorp/terraform-provider-azurerm examples): values the gate read
differently from Terraform 1.11 -- null checks of objects holding unknowns, ~ in file paths -- and messages that
named Python classes instead of Terraform's types."""
import hashlib
import re

import pytest

from pulse_gate.errors import InputError
from pulse_gate.values import Unknown

from .tf_oracle import needs_terraform, terraform_plans, terraform_values


# ---- messages name Terraform's types ------------------------------------------------------------------------------
# Found on AVM ai-foundry and caf-enterprise-scale: "cannot convert NoneType to string", "expected an object, got
# str" reached the user; Terraform speaks of null, string, number, bool, object and tuple.
def test_errors_name_terraform_types_not_python_classes(evaluate):
    v = evaluate({"basename": "basename(null)", "attr": '"text".name', "index": "true[0]",
                  "json": 'jsonencode(local.nothing.x)', "upper": "upper([1])"},
                 extra="locals {\n  nothing = null\n}\n")
    for name, value in v.items():
        assert isinstance(value, Unknown), (name, value)
        assert not re.search(r"\b(NoneType|str|dict|list|int|float)\b", value.reason), (name, value.reason)
    assert "cannot convert null to string" in v["basename"].reason
    assert 'cannot read attribute "name" of string' in v["attr"].reason
    assert "cannot index a bool" in v["index"].reason


def test_a_variable_of_the_wrong_type_names_terraform_types(env_model):
    with pytest.raises(InputError) as err:
        env_model({"main.tf": 'variable "cfg" {\n  type = object({ a = string })\n}\n',
                   "envs/dev/terraform.tfvars": 'cfg = "flat"\n'})
    assert "expected an object, got string" in str(err.value)


# ---- ~ in file paths ---------------------------------------------------------------------------------------------
# Found in hashicorp/terraform-provider-azurerm examples: public_key = file("~/.ssh/id_rsa.pub"). Terraform's file
# functions expand a leading ~ to $HOME (fileset does not); the gate read "<root>/~/.ssh/id_rsa.pub" instead.
HOME_EXPRESSIONS = {"key": 'file("~/.ssh/id_rsa.pub")', "exists": 'fileexists("~/.ssh/id_rsa.pub")',
                    "md5": 'filemd5("~/.ssh/id_rsa.pub")', "b64": 'filebase64("~/.ssh/id_rsa.pub")',
                    "tpl": 'templatefile("~/.ssh/id_rsa.pub", {})', "set": 'fileset("~", "**")',
                    "up": 'file("~/../home/.ssh/id_rsa.pub")'}


@pytest.fixture
def home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa.pub").write_text("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleOnlyNotAKey test\n")
    monkeypatch.setenv("HOME", str(home))
    return home


def test_file_functions_expand_a_leading_tilde_to_home(evaluate, home):
    v = evaluate(HOME_EXPRESSIONS)
    assert v["key"] == (home / ".ssh" / "id_rsa.pub").read_text()
    assert v["exists"] is True
    assert v["md5"] == hashlib.md5(v["key"].encode()).hexdigest()
    assert v["tpl"] == v["key"] and v["up"] == v["key"]
    assert v["set"] == []          # fileset("~", ...) is a directory named "~" under the root: there is none


def test_tilde_user_is_an_error_as_in_terraform(evaluate, home):
    v = evaluate({"other": 'file("~root/.ssh/id_rsa.pub")', "tried": 'try(file("~root/x"), "fallback")'})
    assert "user-specific home directory" in v["other"].reason
    assert v["tried"] == "fallback"


@needs_terraform
def test_tilde_paths_match_terraform(evaluate, home, tmp_path):
    theirs = terraform_values(tmp_path / "tf", {"main.tf": "locals {}\n"}, HOME_EXPRESSIONS)
    ours = evaluate(HOME_EXPRESSIONS)
    assert ours == theirs


# ---- comparing with null ---------------------------------------------------------------------------------------
# Found on AVM ai-foundry (basic-cmk): data "azurerm_key_vault_key" "cmk" { count = var.ai_foundry.customer_managed_key
# != null ? 1 : 0 } with customer_managed_key = { key_vault_resource_id = azurerm_key_vault.this.id, ... }. The
# object is known even though an attribute is not, so Terraform knows the count; the gate made it [?].
NULL_CHECKS = {"obj_ne_null": "local.obj != null", "obj_eq_null": "local.obj == null",
               "list_ne_null": "[terraform_data.u.output] != null", "null_eq_obj": "null == local.obj",
               "tpl_ne_null": '"x-${terraform_data.u.output}" != null', "ref_ne_null": "terraform_data.u.output != null",
               "obj_eq_obj": 'local.obj == { id = "a", v = null }'}
NULL_CHECK_TF = '''
resource "terraform_data" "u" {
  input = "a"
}
locals {
  obj = { id = terraform_data.u.output, v = null }
}
'''


def test_an_object_or_list_holding_unknowns_is_known_not_null(evaluate):
    v = evaluate(NULL_CHECKS, extra=NULL_CHECK_TF)
    assert {k: v[k] for k in ("obj_ne_null", "obj_eq_null", "list_ne_null", "null_eq_obj", "tpl_ne_null")} == {
        "obj_ne_null": True, "obj_eq_null": False, "list_ne_null": True, "null_eq_obj": False, "tpl_ne_null": True}
    assert isinstance(v["ref_ne_null"], Unknown)     # a computed attribute itself may be null
    assert isinstance(v["obj_eq_obj"], Unknown)      # equality of the contents still needs them


def test_a_count_guarded_by_an_object_with_unknowns_is_known(env_model):
    model = env_model({"main.tf": '''
        resource "azurerm_key_vault" "k" {
          name = "kv"
        }
        module "m" {
          source = "./m"
          cmk    = { key_vault_id = azurerm_key_vault.k.id }
        }
        ''', "m/main.tf": '''
        variable "cmk" {
          type    = object({ key_vault_id = string })
          default = null
        }
        data "azurerm_key_vault_key" "cmk" {
          count        = var.cmk != null ? 1 : 0
          key_vault_id = var.cmk.key_vault_id
        }
        '''})
    assert [r.address for r in model.resources if r.mode == "data"] == ["module.m.data.azurerm_key_vault_key.cmk[0]"]


@needs_terraform
def test_null_checks_match_terraform(tmp_path, evaluate):
    outputs = "".join(f'output "{k}" {{\n  value = {e}\n}}\n' for k, e in NULL_CHECKS.items())
    planned = terraform_plans(tmp_path / "tf", {"main.tf": NULL_CHECK_TF + outputs})
    theirs = dict(re.findall(r"^\s+\+ (\w+)\s+= (\S.*)$", planned.split("Changes to Outputs:")[1], re.M))
    ours = evaluate(NULL_CHECKS, extra=NULL_CHECK_TF)
    assert {k: "(known after apply)" if isinstance(x, Unknown) else str(x).lower() for k, x in ours.items()} == theirs
