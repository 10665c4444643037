resource "azurerm_key_vault" "example" {
  name                       = "kv-example"
  location                   = "westeurope"
  resource_group_name        = "rg-example"
  tenant_id                  = "00000000-0000-0000-0000-000000000000"
  sku_name                   = "standard"
  rbac_authorization_enabled = true
  purge_protection_enabled   = true
}

resource "azurerm_role_assignment" "reader" {
  scope                = azurerm_key_vault.example.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = "11111111-1111-1111-1111-111111111111"
}
