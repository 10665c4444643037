"""Semantics of the HCL evaluator: what Terraform would plan, per environment, on small trees.

tests/engine/fixtures/nested is a checked-in tree (two environments, nested modules, for_each over a map of
modules); the other trees are written into tmp_path by the `tree` / `env_model` / `evaluate` fixtures.
"""
import pytest

from pulse_gate.errors import InputError
from pulse_gate.hcl.frontend import Project
from pulse_gate.model import ABSENT
from pulse_gate.values import Ref, Unknown

from .conftest import FIXTURES

NESTED = FIXTURES / "nested"


@pytest.fixture(scope="module")
def nested():
    project = Project(str(NESTED))
    return {env: project.env_model(env) for env in project.environments()}


def res(model, address):
    found = model.by_address(address)
    assert found is not None, f"{address} not in {[r.address for r in model.resources]}"
    return found


# ---- precedence: default < envs/<env>/terraform.tfvars -----------------------------------------------------------
def test_environments_are_found(nested):
    assert sorted(nested) == ["dev", "prod"]


def test_default_applies_when_tfvars_is_silent(nested):
    rg = res(nested["dev"], "azurerm_resource_group.main")
    assert rg.values == {"name": "rg-pg-dev", "location": "westeurope", "tags": {"env": "dev", "prefix": "pg-dev"}}
    assert nested["dev"].root_values["location"] == ("westeurope", "variables.tf:7")
    assert rg.origins["location"] == ["variables.tf:7 (default)"]


def test_tfvars_overrides_default(nested):
    rg = res(nested["prod"], "azurerm_resource_group.main")
    assert rg.values["location"] == "swedencentral"
    assert nested["prod"].root_values["location"] == ("swedencentral", "envs/prod/terraform.tfvars:2")
    assert rg.origins["location"] == ["envs/prod/terraform.tfvars:2"]
    sa = res(nested["prod"], "azurerm_storage_account.main")
    assert sa.values["shared_access_key_enabled"] is False
    assert sa.origin("shared_access_key_enabled") == ["envs/prod/terraform.tfvars:3"]
    assert res(nested["dev"], "azurerm_storage_account.main").values["shared_access_key_enabled"] is True


def test_later_var_file_wins_and_auto_files_are_listed(tree):
    root = tree({
        "variables.tf": 'variable "a" {\n  default = "default"\n}\nvariable "b" {\n  default = "default"\n}\n',
        "main.tf": 'resource "azurerm_thing" "t" {\n  a = var.a\n  b = var.b\n}\n',
        "terraform.tfvars": 'a = "root"\nb = "root"\n',
        "x.auto.tfvars": 'b = "auto"\n',
        "extra.tfvars": 'a = "extra"\n',
    })
    project = Project(str(root))
    files = project.auto_var_files()
    assert [p.rsplit("/", 1)[-1] for p in files] == ["terraform.tfvars", "x.auto.tfvars"]
    model = project.model("x", files + [str(root / "extra.tfvars")])
    assert model.by_address("azurerm_thing.t").values == {"a": "extra", "b": "auto"}
    assert model.root_values["a"] == ("extra", "extra.tfvars:1")


def test_variable_types_convert_and_fill_optional_defaults(nested):
    apps = nested["prod"].root_values["apps"][0]
    assert apps == {"web": {"tier": "premium", "instances": 1}, "api": {"tier": "basic", "instances": 1}}
    assert nested["dev"].root_values["apps"] == ({"web": {"tier": "basic", "instances": 1}}, "variables.tf:20")


def test_type_conversion_of_primitives_and_collections(env_model):
    model = env_model({
        "variables.tf": '''
            variable "n" {
              type = number
            }
            variable "flag" {
              type = bool
            }
            variable "names" {
              type = list(string)
            }
            variable "obj" {
              type = object({
                a = string
                b = optional(object({
                  c = optional(bool, true)
                }), {})
              })
            }
        ''',
        "main.tf": 'resource "azurerm_thing" "t" {\n  n = var.n\n  flag = var.flag\n  names = var.names\n'
                   '  obj = var.obj\n}\n',
        "envs/dev/terraform.tfvars": 'n = "42"\nflag = "true"\nnames = [1, true]\nobj = { a = 1, extra = "x" }\n',
    })
    assert model.by_address("azurerm_thing.t").values == {
        "n": 42, "flag": True, "names": ["1", "true"], "obj": {"a": "1", "b": {"c": True}}}


def test_value_of_the_wrong_type_is_an_input_error(env_model):
    with pytest.raises(InputError) as err:
        env_model({"variables.tf": 'variable "n" {\n  type = number\n}\n', "envs/dev/terraform.tfvars": 'n = "x"\n'})
    assert err.value.message == ("invalid value for variable \"n\" (declared at variables.tf:1): "
                                 "expected a number, got 'x'")
    assert (err.value.file, err.value.line) == ("envs/dev/terraform.tfvars", 1)   # where the value was written


# ---- locals -----------------------------------------------------------------------------------------------------
def test_locals_of_locals_across_files(env_model):
    model = env_model({
        "locals.tf": '''
            locals {
              name   = "${local.prefix}-${var.env}"
              prefix = upper(local.base)
            }
        ''',
        "more.tf": 'locals {\n  base = "pg"\n}\nvariable "env" {\n  default = "dev"\n}\n',
        "main.tf": 'resource "azurerm_thing" "t" {\n  name = local.name\n}\n',
    })
    assert model.by_address("azurerm_thing.t").values == {"name": "PG-dev"}


@pytest.mark.parametrize("used", [True, False], ids=["used", "unused"])
def test_local_cycle_is_an_input_error(env_model, used):
    files = {"locals.tf": "locals {\n  a = local.b\n  b = \"x-${local.c}\"\n  c = local.a\n}\n"}
    if used:
        files["main.tf"] = 'resource "azurerm_thing" "t" {\n  name = local.b\n}\n'
    with pytest.raises(InputError) as err:
        env_model(files)
    assert err.value.file == "locals.tf"
    assert err.value.line in (2, 3, 4)
    assert err.value.message.startswith("cycle: local.")


def test_undeclared_local_in_another_file_names_that_file(env_model):
    with pytest.raises(InputError) as err:
        env_model({"main.tf": 'resource "azurerm_thing" "t" {\n  name = local.a\n}\n',
                   "locals.tf": "locals {\n\n  a = local.nope\n}\n"})
    assert (err.value.file, err.value.line) == ("locals.tf", 3)
    assert err.value.message == 'reference to undeclared local value "nope"'


def test_duplicate_local_and_duplicate_attribute(env_model):
    with pytest.raises(InputError) as err:
        env_model({"a.tf": "locals {\n  x = 1\n}\n", "b.tf": "locals {\n  x = 2\n}\n"})
    assert (err.value.file, err.value.line) == ("b.tf", 1)
    assert "duplicate local" in err.value.message
    with pytest.raises(InputError) as err:
        env_model({"main.tf": 'resource "azurerm_thing" "t" {\n  a = 1\n  a = 2\n}\n'})
    assert (err.value.file, err.value.line) == ("main.tf", 3)


# ---- nested modules, arguments, outputs, references through outputs ----------------------------------------------
def test_nested_modules_are_instantiated_with_their_arguments(nested):
    prod = nested["prod"]
    addresses = sorted(r.address for r in prod.resources)
    assert addresses == [
        "azurerm_postgresql_flexible_server.main",
        "azurerm_resource_group.main",
        'azurerm_role_assignment.app_blob["api"]',
        'azurerm_role_assignment.app_blob["web"]',
        "azurerm_storage_account.main",
        'module.app["api"].azurerm_linux_web_app.this',
        'module.app["api"].module.identity.azurerm_user_assigned_identity.this',
        'module.app["web"].azurerm_linux_web_app.this',
        'module.app["web"].module.identity.azurerm_user_assigned_identity.this',
    ]
    web = res(prod, 'module.app["web"].azurerm_linux_web_app.this')
    assert web.module == 'module.app["web"]'
    assert (web.file, web.line) == ("modules/app/main.tf", 6)
    assert web.values["name"] == "app-pg-prod-web"
    assert web.values["resource_group_name"] == "rg-pg-prod"
    assert web.get("site_config.ftps_state") == "Disabled"
    assert res(prod, 'module.app["api"].azurerm_linux_web_app.this').get("site_config.ftps_state") == "FtpsOnly"
    uai = res(prod, 'module.app["web"].module.identity.azurerm_user_assigned_identity.this')
    assert uai.values == {"name": "id-app-pg-prod-web"}
    assert uai.module == 'module.app["web"].module.identity'


def test_references_keep_their_origin_through_module_outputs(nested):
    prod = nested["prod"]
    ra = res(prod, 'azurerm_role_assignment.app_blob["web"]')
    assert ra.values == {
        "scope": Ref("azurerm_storage_account.main", "id"),
        "role_definition_name": "Storage Blob Data Reader",
        "principal_id": Ref('module.app["web"].azurerm_linux_web_app.this', "identity[0].principal_id"),
    }
    web = res(prod, 'module.app["web"].azurerm_linux_web_app.this')
    # a module argument carrying a Ref, and an output of a nested module used inside a block
    assert web.values["app_settings"] == {"STORAGE_ACCOUNT_ID": Ref("azurerm_storage_account.main", "id")}
    assert web.lookup("identity.identity_ids") == [
        Ref('module.app["web"].module.identity.azurerm_user_assigned_identity.this', "id")]
    assert str(ra.values["principal_id"]) == 'module.app["web"].azurerm_linux_web_app.this.identity[0].principal_id'


def test_output_of_nested_module_read_from_the_root(env_model):
    model = env_model({
        "main.tf": '''
            module "outer" {
              source = "./modules/outer"
              name   = "x"
            }
            resource "azurerm_role_assignment" "r" {
              principal_id = module.outer.inner_principal
              name         = module.outer.label
              all          = module.outer
            }
        ''',
        "modules/outer/main.tf": '''
            variable "name" {}
            module "inner" {
              source = "../inner"
              label  = "${var.name}-inner"
            }
            output "inner_principal" {
              value = module.inner.principal
            }
            output "label" {
              value = upper(module.inner.label)
            }
        ''',
        "modules/inner/main.tf": '''
            variable "label" {}
            resource "azurerm_user_assigned_identity" "u" {
              name = var.label
            }
            output "principal" {
              value = azurerm_user_assigned_identity.u.principal_id
            }
            output "label" {
              value = azurerm_user_assigned_identity.u.name
            }
        ''',
    })
    r = model.by_address("azurerm_role_assignment.r")
    principal = Ref("module.outer.module.inner.azurerm_user_assigned_identity.u", "principal_id")
    assert r.values == {"principal_id": principal, "name": "X-INNER",
                        "all": {"inner_principal": principal, "label": "X-INNER"}}


def test_module_argument_errors(env_model):
    with pytest.raises(InputError) as err:
        env_model({"main.tf": 'module "m" {\n  source = "./m"\n  nope = 1\n}\n', "m/main.tf": ""})
    assert (err.value.file, err.value.line, err.value.message) == ("main.tf", 3, 'module "m" has no variable "nope"')
    with pytest.raises(InputError) as err:   # required, even though nothing reads it
        env_model({"main.tf": 'module "m" {\n  source = "./m"\n}\n',
                   "m/main.tf": '# q is never read\nvariable "q" {}\n'})
    assert (err.value.file, err.value.line) == ("m/main.tf", 2)
    assert err.value.message == 'module.m lacks required argument "q"'
    with pytest.raises(InputError) as err:
        env_model({"main.tf": 'module "m" {\n  source = "./m"\n}\nresource "azurerm_thing" "t" {\n'
                              '  x = module.m.nope\n}\n', "m/main.tf": ""})
    assert (err.value.file, err.value.line) == ("main.tf", 5)
    assert err.value.message == 'module.m has no output "nope"'


def test_output_errors_name_the_module_file(env_model):
    with pytest.raises(InputError) as err:
        env_model({"main.tf": 'module "m" {\n  source = "./m"\n}\n',
                   "m/outputs.tf": '# outputs\noutput "o" {\n  value = var.nope\n}\n'})
    assert (err.value.file, err.value.line) == ("m/outputs.tf", 3)
    assert err.value.message == 'reference to undeclared input variable "nope"'


def test_non_local_module_source_is_recorded_not_evaluated(env_model):
    model = env_model({"main.tf": '''
        module "remote" {
          source  = "Azure/avm-res-storage-storageaccount/azurerm"
          version = "0.2.0"
        }
        resource "azurerm_thing" "t" {
          id = module.remote.resource_id
        }
    '''})
    assert model.unevaluated == [("module.remote", "main.tf", 1, "module source 'Azure/avm-res-storage-storageaccount/"
                                  "azurerm' is not local; its resources are not evaluated")]
    value = model.by_address("azurerm_thing.t").values["id"]
    assert isinstance(value, Unknown)
    assert "module.remote.resource_id comes from module source" in value.reason
    assert [r.address for r in model.resources] == ["azurerm_thing.t"]


def test_ev001_finding_for_a_non_local_module(tree):
    from pulse_gate.gate import check
    root = tree({"main.tf": 'module "remote" {\n  source = "git::https://example.com/m.git"\n}\n'})
    findings = [f for f in check(str(root)).findings if f.rule_id == "EV001"]
    assert [(f.address, f.file, f.line) for f in findings] == [("module.remote", "main.tf", 1)]


# ---- count and for_each ------------------------------------------------------------------------------------------
EXPANSION = {
    "variables.tf": '''
        variable "zones" {
          default = ["1", "2", "3"]
        }
        variable "accounts" {
          default = {
            logs = { tier = "Standard", replication = "LRS" }
            data = { tier = "Premium", replication = "ZRS" }
          }
        }
    ''',
    "main.tf": '''
        resource "azurerm_thing" "counted" {
          count = length(var.zones)
          name  = "vm-${count.index}"
          zone  = var.zones[count.index]
        }
        resource "azurerm_thing" "set" {
          for_each = toset(["b", "a", "b"])
          name     = "${each.key}/${each.value}"
        }
        resource "azurerm_storage_account" "map" {
          for_each = var.accounts
          name     = "st${each.key}"
          tier     = each.value.tier
        }
        resource "azurerm_thing" "none" {
          count = 0
        }
        module "per_account" {
          source   = "./m"
          for_each = azurerm_storage_account.map
          label    = "${each.key}:${each.value.name}"
        }
        module "per_zone" {
          source = "./m"
          count  = 2
          label  = "zone-${count.index}"
        }
        module "per_name" {
          source   = "./m"
          for_each = toset(["x"])
          label    = each.value
        }
        resource "azurerm_thing" "refs" {
          first_zone  = azurerm_thing.counted[0].zone
          zones       = azurerm_thing.counted[*].zone
          data_tier   = azurerm_storage_account.map["data"].tier
          data_id     = azurerm_storage_account.map["data"].id
          tiers       = { for k, sa in azurerm_storage_account.map : k => sa.tier }
          labels      = [for m in module.per_zone : m.label]
          label_x     = module.per_name["x"].label
          nothing     = azurerm_thing.none[*].name
          none_len    = length(azurerm_thing.none)
        }
    ''',
    "m/main.tf": '''
        variable "label" {}
        resource "azurerm_thing" "inner" {
          label = var.label
        }
        output "label" {
          value = var.label
        }
    ''',
}


@pytest.fixture
def expanded(env_model):
    return env_model(EXPANSION)


def test_count_over_a_list(expanded):
    vms = [r for r in expanded.resources if r.name == "counted"]
    assert [(r.address, r.values) for r in vms] == [
        ("azurerm_thing.counted[0]", {"name": "vm-0", "zone": "1"}),
        ("azurerm_thing.counted[1]", {"name": "vm-1", "zone": "2"}),
        ("azurerm_thing.counted[2]", {"name": "vm-2", "zone": "3"}),
    ]
    assert not [r for r in expanded.resources if r.name == "none"]


def test_for_each_over_a_set(expanded):
    assert [(r.address, r.values) for r in expanded.resources if r.name == "set"] == [
        ('azurerm_thing.set["a"]', {"name": "a/a"}), ('azurerm_thing.set["b"]', {"name": "b/b"})]


def test_for_each_over_a_map_on_resources(expanded):
    sas = {r.address: r.values for r in expanded.resources if r.name == "map"}
    assert sas == {'azurerm_storage_account.map["logs"]': {"name": "stlogs", "tier": "Standard"},
                   'azurerm_storage_account.map["data"]': {"name": "stdata", "tier": "Premium"}}


def test_for_each_and_count_on_modules(expanded):
    inner = {r.address: r.values for r in expanded.resources if r.name == "inner"}
    assert inner == {
        'module.per_account["logs"].azurerm_thing.inner': {"label": "logs:stlogs"},
        'module.per_account["data"].azurerm_thing.inner': {"label": "data:stdata"},
        "module.per_zone[0].azurerm_thing.inner": {"label": "zone-0"},
        "module.per_zone[1].azurerm_thing.inner": {"label": "zone-1"},
        'module.per_name["x"].azurerm_thing.inner': {"label": "x"},
    }


def test_references_to_expanded_instances(expanded):
    assert expanded.by_address("azurerm_thing.refs").values == {
        "first_zone": "1",
        "zones": ["1", "2", "3"],
        "data_tier": "Premium",
        "data_id": Ref('azurerm_storage_account.map["data"]', "id"),
        "tiers": {"data": "Premium", "logs": "Standard"},
        "labels": ["zone-0", "zone-1"],
        "label_x": "x",
        "nothing": [],
        "none_len": 0,
    }


def test_unknown_count_and_for_each_give_one_instance_keyed_question_mark(env_model):
    model = env_model({"main.tf": '''
        resource "azurerm_thing" "src" {}
        resource "azurerm_thing" "c" {
          count = length(azurerm_thing.src.ids)
          name  = "c-${count.index}"
        }
        resource "azurerm_thing" "f" {
          for_each = azurerm_thing.src.tags
          name     = each.key
          fixed    = "always"
        }
        module "m" {
          source   = "./m"
          for_each = azurerm_thing.src.tags
          label    = each.value
        }
        resource "azurerm_thing" "reader" {
          from_c = azurerm_thing.c[0].name
          from_m = module.m
        }
    ''', "m/main.tf": 'variable "label" {}\nresource "azurerm_thing" "inner" {\n  label = var.label\n}\n'})
    addresses = sorted(r.address for r in model.resources)
    assert addresses == ["azurerm_thing.c[?]", "azurerm_thing.f[?]", "azurerm_thing.reader", "azurerm_thing.src",
                         "module.m[?].azurerm_thing.inner"]
    c = model.by_address("azurerm_thing.c[?]").values["name"]
    assert isinstance(c, Unknown) and c.text == "c-${?}"
    f = model.by_address("azurerm_thing.f[?]").values
    assert f["fixed"] == "always" and isinstance(f["name"], Unknown)
    assert f["name"].reason == "for_each is not known before apply: azurerm_thing.src.tags"
    assert isinstance(model.by_address("module.m[?].azurerm_thing.inner").values["label"], Unknown)
    assert model.by_address("azurerm_thing.reader").values == {
        "from_c": Unknown("count of azurerm_thing.c is not known"),
        "from_m": Unknown("for_each of module.m is not known"),
    }


def test_each_and_count_outside_their_blocks_are_input_errors(env_model):
    with pytest.raises(InputError) as err:
        env_model({"main.tf": 'resource "azurerm_thing" "t" {\n  name = each.key\n}\n'})
    assert (err.value.file, err.value.line) == ("main.tf", 2)
    with pytest.raises(InputError) as err:
        env_model({"main.tf": 'resource "azurerm_thing" "t" {\n  for_each = 5\n}\n'})
    assert (err.value.file, err.value.line) == ("main.tf", 2)
    assert err.value.message == ('the "for_each" argument must be a map, or set of strings, and you have provided '
                                 "a value of type number")


@pytest.mark.parametrize("files,where", [
    ({"main.tf": 'resource "azurerm_thing" "t" {\n  count = length(azurerm_thing.t)\n}\n'}, ("main.tf", 1)),
    ({"main.tf": 'module "m" {\n  source = "./m"\n  count  = length(module.m)\n}\n', "m/main.tf": ""},
     ("main.tf", 1)),
], ids=["resource", "module"])
def test_self_referencing_expansion_is_a_cycle(env_model, files, where):
    with pytest.raises(InputError) as err:
        env_model(files)
    assert (err.value.file, err.value.line) == where
    assert err.value.message.startswith("cycle:")


# ---- expressions ---------------------------------------------------------------------------------------------------
EXPR_LOCALS = """
variable "env" {
  default = "prod"
}
variable "m" {
  default = { b = 2, a = 1, c = 3 }
}
locals {
  items = [{ name = "x", size = 1 }, { name = "y", size = 5 }, { name = "z", size = 5 }]
  nested = { outer = { inner = ["p", "q"] } }
}
resource "azurerm_thing" "other" {
  name = "other"
  identity {
    type = "SystemAssigned"
  }
}
"""


def test_conditionals_and_operators(evaluate):
    v = evaluate({
        "cond": 'var.env == "prod" ? "big" : "small"',
        "cond_lazy": 'var.env == "prod" ? 1 : local.items[99]',     # the branch not taken is not evaluated
        "arith": "1 + 2 * 3 - 8 / 4",
        "mod": "7 % 3",
        "cmp": "[1 < 2, 2 <= 2, 3 > 4, 4 >= 5]",
        "logic": "[true && false, true || false, !true]",
        "neg": "-(2 + 3)",
        "eq_typed": '[1 == 1.0, "1" == 1, [1, "a"] == [1, "a"], { a = 1 } != { a = 2 }, null == null]',
        "str_num": '"2" + 3',
        "cond_unknown": 'azurerm_thing.other.id == "x" ? "a" : "b"',
        "op_unknown": "length(azurerm_thing.other.id) + 1",
        "assoc": "[1 - 2 - 3, 8 / 2 / 2, 10 - 2 * 3 - 1, 2 * (3 + 4)]",
        "prec": "[true || false && false, !false && false, 5 % 3 * 2, 1 + 2 * 3 - 4 / 2 % 3]",
        "neg_mod": "[-7 % 3, 7 % -3, 5.5 % 2]",
        "div0": "1 / 0",
        "nested_cond": "false ? 1 : true ? 2 : 3",
    }, extra=EXPR_LOCALS)
    assert v["cond"] == "big"
    assert v["cond_lazy"] == 1
    assert v["arith"] == 5
    assert v["mod"] == 1
    assert v["cmp"] == [True, True, False, False]
    assert v["logic"] == [False, True, False]
    assert v["neg"] == -5
    assert v["eq_typed"] == [True, False, True, True, True]
    assert v["str_num"] == 5
    assert v["cond_unknown"] == Unknown("condition not known before apply ((unknown: operand of == not known before "
                                         "apply (azurerm_thing.other.id)))")
    assert isinstance(v["op_unknown"], Unknown)
    assert v["assoc"] == [-4, 2, 3, 14]
    assert v["prec"] == [True, False, 4, 5]
    assert v["neg_mod"] == [-1, 1, 1.5]                 # the remainder takes the sign of the dividend
    assert v["div0"] == Unknown("1 / 0 is an infinity, beyond the range of numbers the gate evaluates")
    assert v["nested_cond"] == 2


def test_templates_and_heredocs(evaluate):
    v = evaluate({
        "tpl": '"${var.env}-${1 + 1}-${true}-$${literal}"',
        "single": '"${var.m}"',                          # a lone interpolation keeps its type
        "directive": '"x%{if var.env == "prod"}-prod%{else}-other%{endif}"',
        "heredoc": '<<EOT\nname=${upper(var.env)}\n  "quoted" ${lookup(var.m, "a")}\nEOT',
        "indented": '<<-EOT\n    a\n      b ${var.env}\n    EOT',
        "with_ref": '"id=${azurerm_thing.other.id};env=${var.env}"',
        "null_in_tpl": '"x-${null}"',
        "for_directive": '"%{for x in ["a", "b"]}${x},%{endfor}"',
        "escapes": r'"a\"b\\n\u00e9"',
    }, extra=EXPR_LOCALS)
    assert v["tpl"] == "prod-2-true-${literal}"
    assert v["single"] == {"b": 2, "a": 1, "c": 3}
    assert v["directive"] == "x-prod"
    assert v["heredoc"] == 'name=PROD\n  "quoted" 1\n'
    assert v["indented"] == "a\n  b prod\n"
    ref = v["with_ref"]
    assert isinstance(ref, Unknown)
    assert ref.text == "id=${azurerm_thing.other.id};env=prod"
    assert ref.refs == (Ref("azurerm_thing.other", "id"),)
    assert ref.reason == "depends on azurerm_thing.other.id, known after apply"
    assert v["for_directive"] == "a,b,"
    assert v["escapes"] == 'a"b\\n\u00e9'
    assert v["null_in_tpl"] == Unknown("cannot evaluate main.tf:14: cannot use null in a string template")


def test_template_for_directive_and_strip_markers(evaluate):
    # %{ for } was lowered to an Unsupported node: cloud-init / policy heredocs came out unknown
    v = evaluate({
        "keyed": '"[%{ for k, v in { b = 2, a = 1 } ~}  ${k}=${v}  %{~ endfor ~}  ]"',
        "indexed": '"%{ for i, x in ["a", "b"] }${i}${x}%{ endfor }"',
        "nested": '"%{ for x in ["a", "b"] }%{ if x == "a" }A%{ else }-%{ endif }%{ endfor }"',
        "strip_if": '"a %{ if true ~}  y  %{~ else ~} n %{~ endif ~}  z"',
        "heredoc": '<<-EOT\n    #cloud-config\n    %{ for u in ["alice", "bob"] ~}\n    user: ${u}\n'
                   '    %{ endfor ~}\n    end\n  EOT',
        "with_ref": '"%{ for x in [azurerm_thing.other.id, "b"] }${x};%{ endfor }"',
        "over_ref": '"%{ for x in azurerm_thing.other.ids }${x}%{ endfor }"',
        "not_iterable": '"%{ for x in 5 }${x}%{ endfor }"',
    }, extra=EXPR_LOCALS)
    assert v["keyed"] == "[a=1b=2]"
    assert v["indexed"] == "0a1b"
    assert v["nested"] == "A-"
    assert v["strip_if"] == "a yz"
    assert v["heredoc"] == "#cloud-config\n    user: alice\n    user: bob\n    end\n"   # as Terraform 1.11 renders it
    assert isinstance(v["with_ref"], Unknown)
    assert v["with_ref"].text == "${azurerm_thing.other.id};b;"
    assert v["with_ref"].refs == (Ref("azurerm_thing.other", "id"),)
    assert v["over_ref"].reason == ("template for directive over a value not known before apply "
                                    "(azurerm_thing.other.ids)")
    assert v["not_iterable"] == Unknown("cannot evaluate main.tf:15: template for directive cannot iterate "
                                        "over a number")


def test_for_expressions(evaluate):
    v = evaluate({
        "list": "[for i in local.items : upper(i.name) if i.size > 1]",
        "indexed": '[for i, it in local.items : "${i}:${it.name}"]',
        "map": "{ for it in local.items : it.name => it.size }",
        "grouped": "{ for it in local.items : it.size => it.name... }",
        "map_order": '[for k, n in var.m : "${k}${n}"]',     # maps iterate in key order
        "values_order": "[for n in var.m : n]",
        "unknown": "[for x in azurerm_thing.other.tags : x]",
        "dup": "{ for it in local.items : it.size => it.name }",
    }, extra=EXPR_LOCALS)
    assert v["list"] == ["Y", "Z"]
    assert v["indexed"] == ["0:x", "1:y", "2:z"]
    assert v["map"] == {"x": 1, "y": 5, "z": 5}
    assert v["grouped"] == {"1": ["x"], "5": ["y", "z"]}
    assert v["map_order"] == ["a1", "b2", "c3"]
    assert v["values_order"] == [1, 2, 3]
    assert v["unknown"] == Unknown("for expression over a value not known before apply (azurerm_thing.other.tags)")
    assert isinstance(v["dup"], Unknown) and "duplicate key '5'" in v["dup"].reason


def test_splats_and_indexing(evaluate):
    v = evaluate({
        "splat": "local.items[*].name",
        "legacy": "local.items.*.size",
        "null_splat": "null[*]",
        "single": "local.nested[*].outer",
        "index": 'local.nested["outer"].inner[1]',
        "legacy_index": "local.items.0.name",
        "str_index": 'local.items["1"].name',
        "out_of_range": "local.items[7]",
        "missing_key": 'var.m["zz"]',
        "block": "azurerm_thing.other.identity[0].type",
        "computed": "azurerm_thing.other.identity[0].principal_id",
        "block_splat": "azurerm_thing.other.identity[*].principal_id",
        "ref_key": 'azurerm_thing.other.tags["env"]',
        "optional_block": "[for b in var.opt[*] : b.name]",
        "null_block": "[for b in var.none[*] : b.name]",
        "unknown_key": "var.m[azurerm_thing.other.id]",
    }, extra=EXPR_LOCALS + 'variable "opt" {\n  default = { name = "o" }\n}\nvariable "none" {\n  default = null\n}\n')
    assert v["splat"] == ["x", "y", "z"]
    assert v["legacy"] == [1, 5, 5]
    assert v["null_splat"] == []
    assert v["single"] == [{"inner": ["p", "q"]}]      # a single value splats as a one-element list
    assert v["index"] == "q"
    assert v["legacy_index"] == "x"
    assert v["str_index"] == "y"
    assert v["out_of_range"] == Unknown("cannot evaluate main.tf:9: index 7 out of range for a list of 3")
    assert v["missing_key"] == Unknown("cannot evaluate main.tf:10: key 'zz' not found")
    assert v["block"] == "SystemAssigned"
    assert v["computed"] == Ref("azurerm_thing.other", "identity[0].principal_id")
    assert v["block_splat"] == [Ref("azurerm_thing.other", "identity[0].principal_id")]
    # the path spells a string key Python-style; pulse_gate/plan/addresses.py (path_str) mirrors that spelling
    assert v["ref_key"] == Ref("azurerm_thing.other", "tags['env']")
    assert isinstance(v["unknown_key"], Unknown)
    assert v["optional_block"] == ["o"]
    assert v["null_block"] == []


def test_object_keys_and_builtin_names(evaluate):
    v = evaluate({
        "obj": '{ plain = 1, "quoted" = 2, (var.env) = 3, "${var.env}-x" = 4 }',
        "path": "path.module",
        "ws": "terraform.workspace",
        "self_ref": "self.id",
        "data_ref": "data.azurerm_client_config.current.tenant_id",
    }, extra=EXPR_LOCALS + 'data "azurerm_client_config" "current" {}\n')
    assert v["obj"] == {"plain": 1, "quoted": 2, "prod": 3, "prod-x": 4}
    assert v["path"] == "."
    assert v["ws"] == "default"
    assert isinstance(v["self_ref"], Unknown)
    assert v["data_ref"] == Ref("data.azurerm_client_config.current", "tenant_id")


# ---- symbolic references and unknowns ------------------------------------------------------------------------------
def test_written_attributes_are_values_computed_ones_are_refs(evaluate):
    v = evaluate({
        "name": "azurerm_thing.other.name",
        "id": "azurerm_thing.other.id",
        "whole": "azurerm_thing.other",
    }, extra=EXPR_LOCALS)
    assert v["name"] == "other"
    assert v["id"] == Ref("azurerm_thing.other", "id")
    assert v["whole"] == {"name": "other", "identity": [{"type": "SystemAssigned"}],
                          "id": Ref("azurerm_thing.other", "id")}


def test_computed_attributes_of_instances_iterated_or_passed_whole_stay_refs(env_model):
    model = env_model({
        "main.tf": '''
            resource "azurerm_user_assigned_identity" "ids" {
              for_each = toset(["a", "b"])
              name     = "id-${each.key}"
            }
            resource "azurerm_role_assignment" "per_identity" {
              for_each     = azurerm_user_assigned_identity.ids
              principal_id = each.value.principal_id
              name         = each.value.name
            }
            module "m" {
              source   = "./m"
              identity = azurerm_user_assigned_identity.ids["a"]
              untyped  = azurerm_user_assigned_identity.ids["b"]
            }
            resource "azurerm_thing" "t" {
              by_key = { for k, v in azurerm_user_assigned_identity.ids : k => v.principal_id }
              first  = values(azurerm_user_assigned_identity.ids)[0].principal_id
              ids    = [for v in azurerm_user_assigned_identity.ids : v.id]
            }
        ''',
        "m/main.tf": '''
            variable "identity" {
              type = object({
                name         = string
                principal_id = string
              })
            }
            variable "untyped" {}
            resource "azurerm_role_assignment" "r" {
              principal_id = var.identity.principal_id
              name         = var.identity.name
              other        = var.untyped.principal_id
            }
        ''',
    })
    a, b = 'azurerm_user_assigned_identity.ids["a"]', 'azurerm_user_assigned_identity.ids["b"]'
    assert model.by_address('azurerm_role_assignment.per_identity["b"]').values == {
        "principal_id": Ref(b, "principal_id"), "name": "id-b"}
    assert model.by_address("module.m.azurerm_role_assignment.r").values == {
        "principal_id": Ref(a, "principal_id"), "name": "id-a", "other": Ref(b, "principal_id")}
    assert model.by_address("azurerm_thing.t").values == {
        "by_key": {"a": Ref(a, "principal_id"), "b": Ref(b, "principal_id")},
        "first": Ref(a, "principal_id"),
        "ids": [Ref(a, "id"), Ref(b, "id")],
    }


def test_set_typed_variable_and_nullable_false(env_model):
    model = env_model({
        "variables.tf": '''
            variable "zones" {
              type = set(string)
            }
            variable "sku" {
              type     = string
              default  = "Standard"
              nullable = false
            }
            variable "tier" {
              type    = string
              default = "Hot"
            }
        ''',
        "main.tf": 'resource "azurerm_thing" "t" {\n  zones = var.zones\n  n = length(var.zones)\n'
                   '  sku = var.sku\n  tier = var.tier\n}\n',
        "envs/dev/terraform.tfvars": 'zones = ["3", "1", "3"]\nsku = null\ntier = null\n',
    })
    t = model.by_address("azurerm_thing.t")
    assert t.values == {"zones": ["1", "3"], "n": 2, "sku": "Standard"}
    assert t.is_null("tier") and t.lines["tier"] == 5 and t.origins["tier"] == ["envs/dev/terraform.tfvars:3"]


def test_sensitive_variable_without_value_is_unknown_naming_tf_var(nested):
    pg = res(nested["dev"], "azurerm_postgresql_flexible_server.main")
    value = pg.values["administrator_password"]
    assert value == Unknown('sensitive variable "admin_password" has no value in the configuration; it is supplied '
                            "at apply time (TF_VAR_admin_password)")


def test_unknown_propagates_through_expressions(evaluate):
    v = evaluate({
        "secret": "var.secret",
        "tpl": '"Password=${var.secret};User=x"',
        "fn": "upper(var.secret)",
        "cond": 'var.secret == "" ? "empty" : "set"',
        "obj": "{ pw = var.secret, user = \"x\" }",
        "for": "[for c in var.secret_list : c]",
    }, extra='variable "secret" {\n  sensitive = true\n}\nvariable "secret_list" {\n  sensitive = true\n}\n')
    reason = ('sensitive variable "secret" has no value in the configuration; it is supplied at apply time '
              "(TF_VAR_secret)")
    assert v["secret"] == Unknown(reason)
    assert v["tpl"] == Unknown(reason, "Password=${?};User=x", ())
    assert v["fn"] == Unknown(f"string function over (unknown: {reason})")
    assert isinstance(v["cond"], Unknown) and v["cond"].reason.endswith("(TF_VAR_secret)))))")
    assert v["obj"] == {"pw": Unknown(reason), "user": "x"}     # the known part of an object stays known
    assert isinstance(v["for"], Unknown)


def test_dynamic_blocks(env_model):
    model = env_model({"main.tf": '''
        locals {
          rules    = { web = 443, ssh = 22 }
          identity = { type = "SystemAssigned" }
        }
        resource "azurerm_thing" "src" {}
        resource "azurerm_network_security_group" "nsg" {
          name = "nsg"
          dynamic "security_rule" {
            for_each = local.rules
            content {
              name = security_rule.key
              port = security_rule.value
            }
          }
          dynamic "tag" {
            for_each = ["a", "b"]
            iterator = t
            content {
              value = "${t.key}=${t.value}"
              dynamic "inner" {
                for_each = [t.value]
                content {
                  v = upper(inner.value)
                }
              }
            }
          }
          dynamic "unknown" {
            for_each = azurerm_thing.src.rules
            content {
              name = unknown.key
            }
          }
          dynamic "identity" {
            for_each = local.identity[*]
            content {
              type = identity.value.type
            }
          }
        }
    '''})
    nsg = model.by_address("azurerm_network_security_group.nsg")
    assert nsg.values["security_rule"] == [{"name": "ssh", "port": 22}, {"name": "web", "port": 443}]
    assert nsg.values["tag"] == [{"value": "0=a", "inner": [{"v": "A"}]}, {"value": "1=b", "inner": [{"v": "B"}]}]
    assert nsg.values["unknown"] == Unknown('dynamic "unknown" at main.tf:28 iterates over a value not known before '
                                            "apply (azurerm_thing.src.rules)")
    assert nsg.lookup("unknown.name") == nsg.values["unknown"]
    assert nsg.blocks("unknown") == [nsg.values["unknown"]]
    assert nsg.values["identity"] == [{"type": "SystemAssigned"}]   # the object-or-null idiom
    assert nsg.where("security_rule.port") == ("main.tf", 12)
    assert nsg.where("security_rule") == ("main.tf", 8)


# ---- provenance and locations ----------------------------------------------------------------------------------------
def test_origins_name_the_tfvars_line_and_module_argument(nested):
    prod = nested["prod"]
    web = res(prod, 'module.app["web"].azurerm_linux_web_app.this')
    # name uses local.prefix (tfvars line 1) and each.key (the apps map, tfvars line 5)
    assert web.origins["name"] == ["envs/prod/terraform.tfvars:1", "envs/prod/terraform.tfvars:5", "main.tf:30"]
    # tier = each.value.tier: the value came from the apps map in tfvars
    assert web.origin("site_config.ftps_state") == ["envs/prod/terraform.tfvars:5", "main.tf:31"]
    assert web.origin("identity.type") == []
    uai = res(prod, 'module.app["web"].module.identity.azurerm_user_assigned_identity.this')
    assert uai.origins["name"] == ["envs/prod/terraform.tfvars:1", "envs/prod/terraform.tfvars:5", "main.tf:30",
                                   "modules/app/main.tf:3"]


def test_origins_follow_references_to_written_attributes_only(nested):
    prod = nested["prod"]
    sa = res(prod, "azurerm_storage_account.main")
    # resource_group_name = azurerm_resource_group.main.name: the name's own origin, nothing else of that resource
    assert sa.origins["resource_group_name"] == ["envs/prod/terraform.tfvars:1"]
    for key in ("api", "web"):   # a Ref has no tfvars origin, whichever instance was evaluated first
        assert res(prod, f'azurerm_role_assignment.app_blob["{key}"]').origins == {}


def test_where_gives_attribute_then_block_then_resource_lines(nested):
    web = res(nested["prod"], 'module.app["web"].azurerm_linux_web_app.this')
    assert web.where("site_config.ftps_state") == ("modules/app/main.tf", 16)
    assert web.where("site_config.not_written") == ("modules/app/main.tf", 15)
    assert web.where("identity") == ("modules/app/main.tf", 10)
    assert web.where("https_only") == ("modules/app/main.tf", 6)
    assert web.where() == ("modules/app/main.tf", 6)
    assert web.lines["app_settings"] == 19


# ---- azurerm 4.x defaults for absent arguments ----------------------------------------------------------------------
def test_absent_arguments_read_as_azurerm_defaults(nested):
    web = res(nested["dev"], 'module.app["web"].azurerm_linux_web_app.this')
    assert web.lookup("https_only") is ABSENT
    assert web.is_set("https_only") is False
    assert web.get("https_only") is False
    assert web.get("ftp_publish_basic_authentication_enabled") is True
    assert web.get("site_config.minimum_tls_version") == "1.2"
    assert web.get("site_config.ftps_state") == "FtpsOnly"      # written wins over the default ("Disabled")
    pg = res(nested["dev"], "azurerm_postgresql_flexible_server.main")
    assert pg.get("authentication.password_auth_enabled") is True
    assert pg.get("public_network_access_enabled") is True
    assert pg.get("not_a_known_argument") is None


def test_absent_storage_defaults_are_the_insecure_ones(env_model):
    model = env_model({"main.tf": 'resource "azurerm_storage_account" "s" {\n  name = "s"\n}\n'})
    sa = model.by_address("azurerm_storage_account.s")
    assert (sa.get("shared_access_key_enabled"), sa.get("default_to_oauth_authentication"),
            sa.get("allow_nested_items_to_be_public")) == (True, False, True)


# ---- providers, backend, values files -------------------------------------------------------------------------------
def test_provider_and_backend(env_model):
    model = env_model({
        "main.tf": '''
            terraform {
              backend "azurerm" {
                use_azuread_auth = true
                key              = "default.tfstate"
              }
            }
            provider "azurerm" {
              features {}
              storage_use_azuread = var.aad
            }
            provider "azurerm" {
              alias = "hub"
            }
            variable "aad" {
              default = true
            }
        ''',
        "envs/dev/terraform.tfvars": "aad = false\n",
        "envs/dev/backend.hcl": 'key = "dev.tfstate"\nstorage_account_name = "sttf"\n',
    })
    assert [(p.address, p.values) for p in model.providers] == [
        ("provider.azurerm", {"storage_use_azuread": False, "features": [{}]}),
        ("provider.azurerm.hub", {"alias": "hub"}),
    ]
    assert model.providers[0].origins["storage_use_azuread"] == ["envs/dev/terraform.tfvars:1"]
    backend = model.backend
    assert backend.address == "terraform.backend.azurerm"
    assert backend.values == {"use_azuread_auth": True, "key": "dev.tfstate", "storage_account_name": "sttf"}
    assert backend.file == "envs/dev/backend.hcl"


@pytest.mark.parametrize("tfvars,message,line", [
    ('a = "x"\nb = var.a\n', '"var" is not allowed here: only constant values', 2),
    ('a = [1][5]\n', 'invalid value for "a": index 5 out of range for a list of 1', 1),
    ('a = "x"\nblock {\n}\n', 'unexpected block "block" in a values file', 2),
    ('a = "x"\nzz = 1\n', '"zz" is set here but no variable "zz" is declared', 2),
], ids=["reference", "plan-time-error", "block", "undeclared"])
def test_bad_values_files(env_model, tfvars, message, line):
    with pytest.raises(InputError) as err:
        env_model({"variables.tf": 'variable "a" {}\nvariable "b" {\n  default = 1\n}\n',
                   "envs/dev/terraform.tfvars": tfvars})
    assert (err.value.file, err.value.line, err.value.message) == ("envs/dev/terraform.tfvars", line, message)


def test_invalid_default_is_an_input_error(env_model):
    with pytest.raises(InputError) as err:
        env_model({"variables.tf": 'variable "a" {\n  default = lookup({}, "k")\n}\n'})
    assert (err.value.file, err.value.line) == ("variables.tf", 2)
    assert err.value.message.startswith('invalid default for variable "a": lookup:')


def test_unknown_environment_lists_the_known_ones(env_model):
    with pytest.raises(InputError) as err:
        env_model({"envs/dev/terraform.tfvars": "", "envs/prod/terraform.tfvars": ""}, env="qa")
    assert str(err.value) == 'envs/: unknown environment "qa" - choose one of: dev, prod'


@pytest.mark.parametrize("expr,message", [
    ("var.nope", 'reference to undeclared input variable "nope"'),
    ("local.nope", 'reference to undeclared local value "nope"'),
    ("module.nope.x", 'reference to undeclared module "nope"'),
    ("azurerm_thing.nope.id", "reference to undeclared resource azurerm_thing.nope"),
    ("data.azurerm_thing.nope.id", "reference to undeclared data source data.azurerm_thing.nope"),
    ("azurerm_other.x.id", 'reference to undeclared name "azurerm_other"'),
], ids=["var", "local", "module", "resource", "data", "type"])
def test_reference_to_undeclared_name(env_model, expr, message):
    with pytest.raises(InputError) as err:
        env_model({"main.tf": f'resource "azurerm_thing" "t" {{\n  name = "x"\n  v    = {expr}\n}}\n'})
    assert (err.value.file, err.value.line, err.value.message) == ("main.tf", 3, message)


def test_malformed_hcl_names_file_and_line(env_model):
    with pytest.raises(InputError) as err:
        env_model({"main.tf": 'locals {\n  a = "x"\n  b = [1, 2\n}\n'})
    assert (err.value.file, err.value.line) == ("main.tf", 4)
    assert err.value.message.startswith("malformed HCL:")


# ---- variable validations -------------------------------------------------------------------------------------
VALIDATED = {
    "main.tf": '''
        variable "size" {
          type    = number
          default = 3
          validation {
            condition     = var.size <= 5
            error_message = "size ${var.size} is too large."
          }
        }
        variable "id" {
          type    = string
          default = "x"
          validation {
            condition     = length(var.id) > 0
            error_message = "empty id."
          }
        }
        resource "azurerm_resource_group" "rg" {
          name     = "rg"
          location = "westeurope"
        }
        module "child" {
          source = "./child"
          id     = azurerm_resource_group.rg.id
        }
    ''',
    "child/main.tf": '''
        variable "id" {
          type = string
          validation {
            condition     = startswith(var.id, "/subscriptions/")
            error_message = "id must be a resource id."
          }
        }
    ''',
}


def test_failing_validation_is_recorded_with_its_message(env_model):
    model = env_model({**VALIDATED, "envs/dev/terraform.tfvars": "size = 9\n"})
    assert model.rejected_inputs == [("var.size", "main.tf", 4, "size 9 is too large.")]


def test_passing_or_undecidable_validations_are_quiet(env_model):
    # size 3 passes; the child's id is known only after apply, which Terraform checks then, not now
    model = env_model({**VALIDATED, "envs/dev/terraform.tfvars": "size = 3\n"})
    assert model.rejected_inputs == []


def test_map_argument_keys_point_at_their_own_lines(env_model):
    model = env_model({
        "locals.tf": 'locals {\n  common = {\n    A = "1"\n    B = "2"\n  }\n}\n',
        "main.tf": ('resource "azurerm_linux_web_app" "ui" {\n'
                    '  app_settings = merge(local.common, {\n'
                    '    B = "3"\n'
                    '    C = "4"\n'
                    '  })\n'
                    '}\n'),
        "envs/dev/terraform.tfvars": "",
    })
    ui = res(model, "azurerm_linux_web_app.ui")
    assert ui.values["app_settings"] == {"A": "1", "B": "3", "C": "4"}
    assert ui.where("app_settings.A") == ("locals.tf", 3)     # written in a local, in another file
    assert ui.where("app_settings.B") == ("main.tf", 3)       # the later map wins, as in merge()
    assert ui.where("app_settings.C") == ("main.tf", 4)
    assert ui.where("app_settings.Z") == ("main.tf", 2)       # not a key: the argument's own line
