provider "azurerm" {
  features {}
  storage_use_azuread = true
}

resource "azurerm_storage_account" "example" {
  name                            = "stexample"
  resource_group_name             = "rg-example"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  shared_access_key_enabled       = false
  default_to_oauth_authentication = true
  https_traffic_only_enabled      = true
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = false
  local_user_enabled              = false
  sftp_enabled                    = false
}

resource "azurerm_key_vault" "example" {
  name                       = "kv-example"
  location                   = "westeurope"
  resource_group_name        = "rg-example"
  tenant_id                  = "00000000-0000-0000-0000-000000000000"
  sku_name                   = "standard"
  rbac_authorization_enabled = true
  purge_protection_enabled   = true
}

resource "azurerm_key_vault_secret" "storage" {
  name         = "storage-connection-string"
  key_vault_id = azurerm_key_vault.example.id
  value        = azurerm_storage_account.example.primary_connection_string
}
