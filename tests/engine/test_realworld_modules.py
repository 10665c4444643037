"""Found on real-world code (Azure Verified Modules): a registry module called with count/for_each has instances
like a local one. Indexing an instance that exists gives an unknown (its outputs are not evaluated), so try()
must not fall through to its fallback; indexing one that does not exist is an error, as in Terraform."""
from pulse_gate.values import Unknown

REMOTE = '''
variable "defs" {
  type    = map(object({ existing = optional(string) }))
  default = { this = {}, other = { existing = "/subscriptions/x" } }
}
module "cosmos" {
  source   = "Azure/avm-res-documentdb-databaseaccount/azurerm"
  version  = "0.10.0"
  for_each = { for k, v in var.defs : k => v if v.existing == null }
}
module "counted" {
  source  = "Azure/naming/azurerm"
  count   = 1
}
module "single" {
  source = "Azure/naming/azurerm"
}
'''


def test_an_existing_instance_of_a_registry_module_is_unknown_so_try_keeps_it(evaluate):
    v = evaluate({"kept": 'try(module.cosmos["this"].resource_id, "fallback")',
                  "nested": 'try(coalesce(null, try(module.cosmos["this"].resource_id, null)), null)',
                  "counted": 'try(module.counted[0].name, "fallback")',
                  "single": 'try(module.single.name, "fallback")'}, extra=REMOTE)
    for name in ("kept", "nested", "counted", "single"):
        assert isinstance(v[name], Unknown), (name, v[name])
    assert 'module.cosmos["this"].resource_id comes from module source' in v["kept"].reason
    assert "module.counted[0].name comes from module source" in v["counted"].reason


def test_a_missing_instance_of_a_registry_module_is_an_error_try_can_catch(evaluate):
    # "other" is filtered out of for_each and count = 1 has no [1]: Terraform errors, try() takes its fallback
    v = evaluate({"filtered": 'try(module.cosmos["other"].resource_id, "fallback")',
                  "beyond": 'try(module.counted[1].name, "fallback")',
                  "keys": "keys(module.cosmos)", "n": "length(module.counted)"}, extra=REMOTE)
    assert v["filtered"] == "fallback"
    assert v["beyond"] == "fallback"
    assert v["keys"] == ["this"]
    assert v["n"] == 1


def test_a_registry_module_with_unknown_for_each_is_unknown(evaluate):
    v = evaluate({"x": 'try(module.later["a"].id, "fallback")'}, extra='''
        resource "azurerm_resource_group" "rg" {
          name     = "rg"
          location = "westeurope"
        }
        module "later" {
          source   = "Azure/naming/azurerm"
          for_each = toset([azurerm_resource_group.rg.id])
        }
        ''')
    assert isinstance(v["x"], Unknown), v["x"]
    assert "for_each of module.later is not known" in v["x"].reason
