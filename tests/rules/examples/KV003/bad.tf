resource "azurerm_key_vault" "example" {
  name                       = "kv-example"
  location                   = "westeurope"
  resource_group_name        = "rg-example"
  tenant_id                  = "00000000-0000-0000-0000-000000000000"
  sku_name                   = "standard"
  rbac_authorization_enabled = true
  purge_protection_enabled   = true

  # Access outside Azure RBAC
  access_policy {
    tenant_id          = "00000000-0000-0000-0000-000000000000"
    object_id          = "11111111-1111-1111-1111-111111111111"
    secret_permissions = ["Get", "List"]
  }
}
