resource "azurerm_key_vault" "example" {
  name                       = "kv-example"
  location                   = "westeurope"
  resource_group_name        = "rg-example"
  tenant_id                  = "00000000-0000-0000-0000-000000000000"
  sku_name                   = "standard"
  rbac_authorization_enabled = false # access policies decide who reads secrets
  purge_protection_enabled   = true
}
