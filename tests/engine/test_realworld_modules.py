"""Found on real-world code (Azure Verified Modules, Azure/terraform-azurerm-aks): module instances and blocks
the gate read differently from Terraform. A registry module called with count/for_each has instances like a local
one: indexing an instance that exists gives an unknown (its outputs are not evaluated), so try() must not fall
through to its fallback; indexing one that does not exist is an error, as in Terraform."""
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


# ---- dynamic blocks that write nothing ------------------------------------------------------------------------
# Found on Azure/terraform-azurerm-aks: `dynamic "kubelet_identity"` over [] and then
# azurerm_kubernetes_cluster.main.kubelet_identity[0].object_id for the AcrPull role assignment. The provider
# computes that block when none is written, so Terraform plans the reference as known after apply.
EMPTY_DYNAMIC = '''
variable "kubelet" {
  type    = object({ object_id = string })
  default = null
}
resource "azurerm_kubernetes_cluster" "main" {
  name = "aks"
  dynamic "kubelet_identity" {
    for_each = var.kubelet == null ? [] : [var.kubelet]
    content {
      object_id = kubelet_identity.value.object_id
    }
  }
}
'''


def test_a_dynamic_block_that_writes_nothing_reads_like_an_absent_block(evaluate, tree):
    v = evaluate({"principal": "azurerm_kubernetes_cluster.main.kubelet_identity[0].object_id",
                  "tried": 'try(azurerm_kubernetes_cluster.main.kubelet_identity[0].object_id, "fallback")'},
                 extra=EMPTY_DYNAMIC)
    assert str(v["principal"]) == "azurerm_kubernetes_cluster.main.kubelet_identity[0].object_id"
    assert v["tried"] == v["principal"]


def test_a_dynamic_block_that_writes_nothing_is_not_in_the_model_but_one_that_writes_is(env_model):
    files = {"main.tf": EMPTY_DYNAMIC}
    assert "kubelet_identity" not in env_model(files).by_address("azurerm_kubernetes_cluster.main").values
    files["envs/dev/terraform.tfvars"] = 'kubelet = { object_id = "11111111-1111-1111-1111-111111111111" }\n'
    written = env_model(files).by_address("azurerm_kubernetes_cluster.main").values["kubelet_identity"]
    assert written == [{"object_id": "11111111-1111-1111-1111-111111111111"}]
