"""null for an argument means "not set": the provider default applies, and a finding points at the null line
and says which default applied. Module inputs, count and for_each treat null as Terraform does."""
import pytest

from pulse_gate.errors import InputError
from pulse_gate.rules import run_rules

from .tf_oracle import TERRAFORM, needs_terraform, terraform_error, terraform_values

STORAGE = '''
variable "keys" {
  default = null
}
variable "strict" {
  default = false
}
resource "azurerm_storage_account" "sa" {
  name                      = "st"
  shared_access_key_enabled = {value}
  min_tls_version           = null
  https_traffic_only_enabled = true
}
'''


def storage(env_model, value: str):
    model = env_model({"main.tf": STORAGE.replace("{value}", value)})
    return model, model.by_address("azurerm_storage_account.sa")


def findings(model, *rules):
    return run_rules(model, None, rules)


@pytest.mark.parametrize("value,origin", [
    ("null", ""),
    ("var.keys", " (value from variables.tf"),
    ("var.strict ? false : null", ""),
], ids=["literal", "variable", "conditional"])
def test_null_key_setting_takes_the_insecure_default_and_the_finding_says_so(env_model, value, origin):
    model, sa = storage(env_model, value)
    assert "shared_access_key_enabled" not in sa.values
    assert not sa.is_set("shared_access_key_enabled") and sa.is_null("shared_access_key_enabled")
    assert sa.get("shared_access_key_enabled") is True
    [f] = findings(model, "ST001")
    assert (f.file, f.line) == ("main.tf", 9)
    assert f.message.startswith("shared_access_key_enabled is null, so the azurerm 4.x default true applies; "
                                "must be false")
    if value == "var.keys":
        assert "(value from main.tf:2 (default))" in f.message


def test_null_tls_version_passes_with_the_default(env_model):
    model, sa = storage(env_model, "false")
    assert sa.is_null("min_tls_version") and sa.get("min_tls_version") == "TLS1_2"
    assert findings(model, "ST001", "ST004") == []


def test_absent_and_null_read_differently(env_model):
    model = env_model({"main.tf": 'resource "azurerm_storage_account" "sa" {\n  name = "st"\n}\n'})
    [f] = findings(model, "ST001")
    assert "not set (azurerm 4.x default: true)" in f.message
    assert not model.by_address("azurerm_storage_account.sa").is_null("shared_access_key_enabled")


def test_null_inside_a_nested_block(env_model):
    model = env_model({"main.tf": '''
        resource "azurerm_postgresql_flexible_server" "pg" {
          name = "pg"
          authentication {
            active_directory_auth_enabled = true
            password_auth_enabled         = null
          }
        }
    '''})
    pg = model.by_address("azurerm_postgresql_flexible_server.pg")
    assert pg.values["authentication"] == [{"active_directory_auth_enabled": True}]
    assert pg.is_null("authentication.password_auth_enabled")
    assert pg.get("authentication.password_auth_enabled") is True
    assert pg.where("authentication.password_auth_enabled") == ("main.tf", 5)


MODULE_NULLS = {
    "mod/main.tf": '''
        variable "nn" {
          type     = string
          default  = "dflt"
          nullable = false
        }
        variable "n" {
          type    = string
          default = "dflt"
        }
        output "nn" {
          value = var.nn
        }
        output "n" {
          value = var.n == null ? "NULL" : var.n
        }
    ''',
    "main.tf": '''
        module "m" {
          source = "./mod"
          nn     = null
          n      = null
        }
    ''',
}
PROBE = 'resource "azurerm_thing" "t" {\n  nn = module.m.nn\n  n  = module.m.n\n}\n'


def test_null_module_input_keeps_null_unless_the_variable_is_not_nullable(env_model):
    values = env_model({**MODULE_NULLS, "probe.tf": PROBE}).by_address("azurerm_thing.t").values
    assert values == {"nn": "dflt", "n": "NULL"}


@needs_terraform
def test_module_input_null_matches_terraform(tmp_path):
    assert terraform_values(tmp_path, MODULE_NULLS, {"nn": "module.m.nn", "n": "module.m.n"}) == \
        {"nn": "dflt", "n": "NULL"}


REQUIRED_NOT_NULL = {
    "mod/main.tf": 'variable "req" {\n  type     = string\n  nullable = false\n}\n',
    "main.tf": 'module "m" {\n  source = "./mod"\n  req    = null\n}\n',
}


def test_required_not_nullable_variable_set_to_null_is_an_input_error(env_model):
    with pytest.raises(InputError) as err:
        env_model(REQUIRED_NOT_NULL)
    assert (err.value.file, err.value.line) == ("main.tf", 3)
    assert err.value.message.startswith('required variable "req" may not be set to null')


def test_root_variable_null_from_tfvars(env_model):
    files = {"main.tf": 'variable "rn" {\n  nullable = false\n}\nvariable "nn" {\n  default  = "d"\n'
                        '  nullable = false\n}\nresource "azurerm_thing" "t" {\n  nn = var.nn\n}\n',
             "envs/dev/terraform.tfvars": 'rn = "x"\nnn = null\n'}
    assert env_model(files).by_address("azurerm_thing.t").values == {"nn": "d"}
    files["envs/dev/terraform.tfvars"] = "rn = null\n"
    with pytest.raises(InputError) as err:
        env_model(files)
    assert (err.value.file, err.value.line) == ("envs/dev/terraform.tfvars", 1)


@needs_terraform
def test_required_not_nullable_matches_terraform(tmp_path):
    assert "required variable may not be set to null" in terraform_error(tmp_path, REQUIRED_NOT_NULL)


@pytest.mark.parametrize("meta,message", [
    ("count", 'the given "count" argument value is null; an integer is required'),
    ("for_each", 'the given "for_each" argument value is null; a map, or set of strings is allowed'),
])
def test_null_count_or_for_each_is_an_input_error(env_model, tmp_path, meta, message):
    files = {"main.tf": f'variable "x" {{\n  default = null\n}}\nresource "terraform_data" "a" {{\n'
                        f"  {meta} = var.x\n}}\n"}
    with pytest.raises(InputError) as err:
        env_model(files)
    assert (err.value.file, err.value.line, err.value.message) == ("main.tf", 5, message)
    if TERRAFORM is not None:   # Terraform's own message says the same
        assert message.split(";")[0] in terraform_error(tmp_path, files, "plan").lower()


@pytest.mark.parametrize("value,kind", [("null", "null"), ('"x"', "string")])
def test_dynamic_block_over_null_or_a_string_is_an_input_error(env_model, value, kind):
    with pytest.raises(InputError) as err:
        env_model({"main.tf": f'resource "azurerm_thing" "t" {{\n  dynamic "rule" {{\n    for_each = {value}\n'
                              "    content {\n      name = rule.value\n    }\n  }\n}\n"})
    assert (err.value.file, err.value.line) == ("main.tf", 3)
    assert err.value.message.startswith(f"invalid dynamic for_each value: cannot use a {kind} value in for_each")


def test_null_inside_dynamic_content_is_not_set(env_model):
    model = env_model({"main.tf": '''
        resource "azurerm_thing" "t" {
          dynamic "rule" {
            for_each = ["a", "b"]
            content {
              name    = rule.value
              enabled = rule.value == "a" ? true : null
            }
          }
        }
    '''})
    assert model.by_address("azurerm_thing.t").values["rule"] == [{"name": "a", "enabled": True}, {"name": "b"}]
