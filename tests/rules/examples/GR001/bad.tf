provider "azurerm" {
  features {}
  storage_use_azuread = true
}

resource "azurerm_resource_group" "example" {
  name     = "rg-example"
  location = "westeurope"
}

resource "azurerm_resource_group_policy_assignment" "shared_key" {
  name                 = "shared-key"
  resource_group_id    = azurerm_resource_group.example.id
  policy_definition_id = "/providers/Microsoft.Authorization/policyDefinitions/8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54"
  # Audit only: a shared key turned back on in the portal would be reported, not refused.
  parameters = jsonencode({ effect = { value = "Audit" } })
}
