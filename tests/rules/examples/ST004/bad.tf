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
  min_tls_version                 = "TLS1_0" # TLS 1.0 accepted
  allow_nested_items_to_be_public = false
  local_user_enabled              = false
  sftp_enabled                    = false
}
