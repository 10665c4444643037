"""Terraform's loading rules (docs/loading-rules.md): which files, override merging, variable precedence,
declared environments. Each case is one the gate used to pass silently or misreport."""
import os
import subprocess


import pytest

from pulse_gate import policy_data
from pulse_gate.cli import main
from pulse_gate.errors import InputError
from pulse_gate.hcl.frontend import Project
from pulse_gate.rules import run_rules

from .conftest import ROOT, write_tree

SA_VARS = 'variable "shared_key" {\n  type    = bool\n  default = false\n}\n'
STORAGE = '''
resource "azurerm_storage_account" "main" {
  name                            = "stpulse"
  shared_access_key_enabled       = var.shared_key
  default_to_oauth_authentication = true
  min_tls_version                 = "TLS1_2"

  network_rules {
    default_action = "Deny"
  }
  network_rules {
    default_action = "Deny"
  }

  lifecycle {
    prevent_destroy = true
    ignore_changes  = [tags]
  }
}
'''
BACKEND = 'terraform {\n  backend "azurerm" {}\n}\n'
BACKEND_HCL = 'storage_account_name = "stpulsetfstate"\ncontainer_name = "tfstate"\nkey = "pulse.tfstate"\n' \
              'use_azuread_auth = true\n'


def model_of(root, env="dev", environ=None):
    return Project(str(root), environ or {}).env_model(env)


def rule_ids(model, *only):
    policy = policy_data.load(os.path.join(ROOT, "policy_tests", "policy_data.toml"))
    return [(f.rule_id, f.attribute, f.file, f.line) for f in run_rules(model, policy, only)]


def sa(model):
    return model.by_address("azurerm_storage_account.main")


# ---- which files ----------------------------------------------------------------------------------------------
def test_hidden_and_backup_files_are_not_configuration(tree):
    root = tree({"variables.tf": SA_VARS, "main.tf": STORAGE,
                 ".main.tf": 'resource "azurerm_thing" "hidden" {}\n',
                 "main.tf~": 'resource "azurerm_thing" "vim" {}\n',
                 "#main.tf#": 'resource "azurerm_thing" "emacs" {}\n'})
    assert [r.address for r in model_of(root).resources] == ["azurerm_storage_account.main"]


# ---- override files --------------------------------------------------------------------------------------------
def test_override_turning_a_key_back_on_is_merged_and_found_at_the_override_line(tree):
    root = tree({"variables.tf": SA_VARS, "main.tf": STORAGE,
                 "storage_override.tf": 'resource "azurerm_storage_account" "main" {\n'
                                        '  shared_access_key_enabled = true\n}\n'})
    model = model_of(root)
    assert sa(model).values["shared_access_key_enabled"] is True
    assert sa(model).values["min_tls_version"] == "TLS1_2"          # untouched arguments stay
    assert rule_ids(model, "ST001") == [("ST001", "shared_access_key_enabled", "storage_override.tf", 2)]


def test_override_files_apply_in_lexical_order_and_later_wins(tree):
    root = tree({"variables.tf": SA_VARS, "main.tf": STORAGE,
                 "a_override.tf": 'resource "azurerm_storage_account" "main" {\n  min_tls_version = "TLS1_0"\n}\n',
                 "override.tf": 'resource "azurerm_storage_account" "main" {\n  min_tls_version = "TLS1_2"\n}\n'})
    # "a_override.tf" < "override.tf": the literal override.tf is applied last.
    assert sa(model_of(root)).values["min_tls_version"] == "TLS1_2"
    assert sa(model_of(root)).where("min_tls_version") == ("override.tf", 2)


def test_override_nested_block_replaces_all_blocks_of_its_type_and_lifecycle_merges(tree):
    root = tree({"variables.tf": SA_VARS, "main.tf": STORAGE,
                 "override.tf": 'resource "azurerm_storage_account" "main" {\n'
                                '  network_rules {\n    default_action = "Allow"\n  }\n'
                                '  lifecycle {\n    prevent_destroy = false\n  }\n}\n'})
    mdef = Project(str(root), {}).rootdef
    block = mdef.resources[("managed", "azurerm_storage_account", "main")]
    lifecycle = block.body.blocks_of("lifecycle")
    assert len(lifecycle) == 1 and sorted(lifecycle[0].body.attributes) == ["ignore_changes", "prevent_destroy"]
    values = sa(model_of(root)).values
    assert values["network_rules"] == [{"default_action": "Allow"}]
    assert sa(model_of(root)).where("network_rules") == ("override.tf", 2)


def test_override_of_a_safe_value_makes_it_safer_and_passes(tree):
    root = tree({"variables.tf": SA_VARS, "main.tf": STORAGE.replace("var.shared_key", "true"),
                 "override.tf": 'resource "azurerm_storage_account" "main" {\n'
                                '  shared_access_key_enabled = false\n}\n'})
    assert rule_ids(model_of(root), "ST001") == []


def test_override_of_locals_variables_outputs_modules_and_providers(tree):
    root = tree({
        "variables.tf": SA_VARS,
        "main.tf": 'locals {\n  tls = "TLS1_2"\n}\n'
                   'module "m" {\n  source = "./m"\n  key = false\n}\n'
                   'provider "azurerm" {\n  storage_use_azuread = true\n  features {}\n}\n'
                   'output "o" {\n  value = "base"\n}\n',
        "m/main.tf": 'variable "key" {\n  type = bool\n}\n' + STORAGE.replace("var.shared_key", "var.key"),
        "x_override.tf": 'locals {\n  tls = "TLS1_0"\n}\n'
                         'variable "shared_key" {\n  default = true\n}\n'
                         'module "m" {\n  key = var.shared_key\n}\n'
                         'provider "azurerm" {\n  storage_use_azuread = false\n}\n'
                         'output "o" {\n  value = local.tls\n}\n',
    })
    model = model_of(root)
    inner = model.by_address("module.m.azurerm_storage_account.main")
    assert inner.values["shared_access_key_enabled"] is True
    assert model.root_values["shared_key"] == (True, "x_override.tf:5")
    provider = model.providers[0]
    assert provider.values["storage_use_azuread"] is False
    assert provider.values["features"] == [{}]          # nested blocks the override does not mention stay
    assert provider.where("storage_use_azuread") == ("x_override.tf", 11)


def test_override_without_a_base_block_is_an_input_error(tree):
    root = tree({"variables.tf": SA_VARS, "main.tf": STORAGE,
                 "override.tf": 'resource "azurerm_storage_account" "other" {\n  name = "x"\n}\n'})
    with pytest.raises(InputError) as err:
        Project(str(root), {})
    assert (err.value.file, err.value.line) == ("override.tf", 1)
    assert "override of resource azurerm_storage_account.other that no primary file declares" in str(err.value)


def test_depends_on_in_an_override_is_an_input_error(tree):
    root = tree({"variables.tf": SA_VARS, "main.tf": STORAGE,
                 "override.tf": 'resource "azurerm_storage_account" "main" {\n  depends_on = []\n}\n'})
    with pytest.raises(InputError, match="depends_on argument may not be overridden"):
        Project(str(root), {})


def test_duplicate_in_primary_files_is_still_an_error_naming_override_files(tree):
    root = tree({"variables.tf": SA_VARS, "main.tf": STORAGE, "more.tf": STORAGE})
    with pytest.raises(InputError, match="duplicate resource azurerm_storage_account.main") as err:
        Project(str(root), {})
    assert "_override.tf" in err.value.hint


def test_backend_override_with_an_access_key_fails_pl002(tree):
    root = tree({"variables.tf": SA_VARS, "backend.tf": BACKEND, "envs/dev/terraform.tfvars": "",
                 "envs/dev/backend.hcl": BACKEND_HCL,
                 "backend_override.tf": 'terraform {\n  backend "azurerm" {\n    access_key = "not-a-real-key"\n'
                                        '  }\n}\n'})
    model = model_of(root)
    assert ("PL002", "access_key", "envs/dev/backend.hcl", 1) not in rule_ids(model, "PL002")
    found = [f for f in rule_ids(model, "PL002") if f[1] == "access_key"]
    assert found == [("PL002", "access_key", "backend_override.tf", 3)]


def test_a_second_backend_in_primary_files_is_an_input_error(tree):
    root = tree({"variables.tf": SA_VARS, "backend.tf": BACKEND, "b2.tf": BACKEND, "envs/dev/terraform.tfvars": "",
                 "envs/dev/backend.hcl": BACKEND_HCL})
    with pytest.raises(InputError, match="duplicate backend configuration"):
        Project(str(root), {})


def test_moved_block_in_an_override_is_an_input_error(tree):
    root = tree({"variables.tf": SA_VARS, "main.tf": STORAGE,
                 "override.tf": 'moved {\n  from = azurerm_storage_account.a\n  to = azurerm_storage_account.main\n}\n'})
    with pytest.raises(InputError, match="cannot override moved blocks"):
        Project(str(root), {})


# ---- variable values -------------------------------------------------------------------------------------------
PRECEDENCE_VARS = "".join(f'variable "{n}" {{\n  type    = string\n  default = "default"\n}}\n'
                          for n in ("a", "b", "c", "d", "e", "f"))


def test_variable_precedence_is_terraforms(tree):
    root = tree({
        "variables.tf": PRECEDENCE_VARS,
        "terraform.tfvars": 'b = "terraform.tfvars"\nc = "terraform.tfvars"\nd = "terraform.tfvars"\n'
                            'e = "terraform.tfvars"\nf = "terraform.tfvars"\n',
        "terraform.tfvars.json": '{\n  "c": "terraform.tfvars.json",\n  "d": "terraform.tfvars.json",\n'
                                 '  "e": "terraform.tfvars.json", "f": "terraform.tfvars.json"\n}\n',
        "a.auto.tfvars.json": '{"d": "a.auto.tfvars.json", "e": "a.auto.tfvars.json", "f": "a.auto.tfvars.json"}',
        "b.auto.tfvars": 'e = "b.auto.tfvars"\nf = "b.auto.tfvars"\n',
        "envs/dev/terraform.tfvars": 'f = "envs/dev/terraform.tfvars"\n',
    })
    environ = {f"TF_VAR_{n}": "environment" for n in "abcdef"}
    model = model_of(root, environ=environ)
    assert {n: model.root_values[n][0] for n in "abcdef"} == {
        "a": "environment", "b": "terraform.tfvars", "c": "terraform.tfvars.json", "d": "a.auto.tfvars.json",
        "e": "b.auto.tfvars", "f": "envs/dev/terraform.tfvars"}
    assert model.root_values["a"][1] == "TF_VAR_a (environment)"
    assert model.root_values["c"][1] == "terraform.tfvars.json:2"
    assert [a.name for a in model.environment_values] == list("abcdef")


def test_root_auto_tfvars_overriding_a_secure_default_is_found_in_every_environment(tree):
    root = tree({"variables.tf": SA_VARS, "main.tf": STORAGE, "zz.auto.tfvars": "shared_key = true\n",
                 "envs/dev/terraform.tfvars": "", "envs/prod/terraform.tfvars": ""})
    for env in ("dev", "prod"):
        assert rule_ids(model_of(root, env), "ST001") == [("ST001", "shared_access_key_enabled", "main.tf", 3)]
        assert sa(model_of(root, env)).origin("shared_access_key_enabled") == ["zz.auto.tfvars:1"]


def test_tf_var_values_parse_as_terraform_does(tree):
    root = tree({"variables.tf": 'variable "flag" {\n  type = bool\n}\nvariable "tags" {\n  type = map(string)\n}\n'
                                 'variable "text" {\n  type = string\n}\n'})
    model = model_of(root, environ={"TF_VAR_flag": "true", "TF_VAR_tags": '{ env = "dev" }',
                                    "TF_VAR_text": '{ not = "parsed" }', "TF_VAR_undeclared": "ignored"})
    assert model.root_values["flag"][0] is True
    assert model.root_values["tags"][0] == {"env": "dev"}
    assert model.root_values["text"][0] == '{ not = "parsed" }'
    assert "undeclared" not in model.root_values


def test_bad_tf_var_value_is_an_input_error_naming_the_variable(tree):
    root = tree({"variables.tf": 'variable "flag" {\n  type = bool\n}\n'})
    with pytest.raises(InputError) as err:
        model_of(root, environ={"TF_VAR_flag": "maybe"})
    assert err.value.file == "TF_VAR_flag (environment)"


def test_tfvars_json_values_are_literal_not_templates(tree):
    root = tree({"variables.tf": 'variable "name" {\n  type = string\n}\n',
                 "envs/dev/terraform.tfvars": "", "terraform.tfvars.json": '{"name": "${var.other}"}'})
    assert model_of(root).root_values["name"] == ("${var.other}", "terraform.tfvars.json:1")


def test_json_var_file_given_with_var_file(tree, capsys):
    root = tree({"variables.tf": SA_VARS, "main.tf": STORAGE, "prod.tfvars.json": '{\n  "shared_key": true\n}\n'})
    code = main(["check", "--root", str(root), "--var-file", str(root / "prod.tfvars.json")])
    out = capsys.readouterr().out
    assert code == 1 and "ST001" in out and "prod.tfvars.json:2" in out


def test_malformed_json_var_file_is_one_line(tree):
    root = tree({"variables.tf": SA_VARS, "envs/dev/terraform.tfvars": "", "terraform.tfvars.json": '{\n  "a": \n}'})
    with pytest.raises(InputError) as err:
        model_of(root)
    assert (err.value.file, err.value.line) == ("terraform.tfvars.json", 3)
    assert str(err.value).startswith("terraform.tfvars.json:3: malformed JSON")


def test_cli_names_the_tf_vars_it_used_but_never_their_values(tree, capsys, monkeypatch):
    root = tree({"variables.tf": 'variable "token" {\n  type      = string\n  sensitive = true\n}\n'})
    monkeypatch.setenv("TF_VAR_token", "fake-value-for-test")
    main(["check", "--root", str(root)])
    out = capsys.readouterr().out
    assert "TF_VAR_token" in out and "fake-value-for-test" not in out


# ---- environments are declared -------------------------------------------------------------------------------
@pytest.mark.parametrize("files, where, message", [
    ({"envs/prod/terraform.tfvars.old": ""}, "envs/prod/", 'environment "prod" has no terraform.tfvars'),
    ({"envs/prod/terraform.tfvars": ""}, "envs/prod/", 'environment "prod" has no backend.hcl'),
    ({"envs/prod/terraform.tfvars": "", "envs/prod/backend.hcl": BACKEND_HCL, "envs/prod/extra.tfvars": ""},
     "envs/prod/extra.tfvars", "make plan ENV=prod does not read this file"),
    ({"envs/prod.tfvars": ""}, "envs/prod.tfvars", "no environment reads this file"),
])
def test_environment_layout_errors(tree, files, where, message):
    root = tree({"variables.tf": SA_VARS, "backend.tf": BACKEND, "envs/dev/terraform.tfvars": "",
                 "envs/dev/backend.hcl": BACKEND_HCL, **files})
    with pytest.raises(InputError) as err:
        Project(str(root), {}).environments()
    assert err.value.file == where and message in err.value.message


def test_renamed_environment_file_fails_the_cli_with_exit_2(tree, capsys):
    root = tree({"variables.tf": SA_VARS, "envs/dev/terraform.tfvars": "", "envs/prod/prod.tfvars": ""})
    assert main(["check", "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert err.startswith('error: envs/prod/: environment "prod" has no terraform.tfvars')


def test_make_policy_env_checks_one_environment():
    out = subprocess.run(["make", "-n", "policy", "ENV=prod"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "pulse_gate check --env prod" in out
    out = subprocess.run(["make", "-n", "policy"], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "ENV": "prod"}).stdout
    assert "pulse_gate check " in out and "--env" not in out


def test_repository_environment_reads_root_auto_files_like_make_plan(tree):
    root = tree({"variables.tf": SA_VARS, "main.tf": STORAGE, "terraform.tfvars": "shared_key = true\n",
                 "envs/dev/terraform.tfvars": ""})
    project = Project(str(root), {})
    assert [os.path.relpath(p, root) for p in project.env_var_files("dev")] == \
        ["terraform.tfvars", os.path.join("envs", "dev", "terraform.tfvars")]
    assert sa(project.env_model("dev")).values["shared_access_key_enabled"] is True




def test_json_override_file_merges_like_a_native_one(tree):
    root = tree({"variables.tf": SA_VARS, "main.tf": STORAGE,
                 "keys_override.tf.json": '{\n  "resource": {\n    "azurerm_storage_account": {\n      "main": {\n'
                                          '        "shared_access_key_enabled": true\n      }\n    }\n  }\n}\n'})
    assert rule_ids(model_of(root), "ST001") == [("ST001", "shared_access_key_enabled", "keys_override.tf.json", 5)]


def test_tf_json_storage_account_with_shared_keys_is_checked(tree):
    root = tree({"variables.tf": SA_VARS,
                 "storage.tf.json": '{"resource": {"azurerm_storage_account": {"main": {\n'
                                    '  "name": "stpulse",\n  "shared_access_key_enabled": "${!var.shared_key}"\n}}}}\n'})
    assert rule_ids(model_of(root), "ST001") == [("ST001", "shared_access_key_enabled", "storage.tf.json", 3)]
