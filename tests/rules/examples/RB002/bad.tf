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

resource "azurerm_service_plan" "example" {
  name                = "asp-example"
  resource_group_name = "rg-example"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "P1v3"
}

resource "azurerm_linux_web_app" "example" {
  name                                           = "app-example"
  resource_group_name                            = "rg-example"
  location                                       = "westeurope"
  service_plan_id                                = azurerm_service_plan.example.id
  https_only                                     = true
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false

  identity {
    type = "SystemAssigned"
  }

  site_config {
    ftps_state               = "Disabled"
    minimum_tls_version      = "1.2"
    scm_minimum_tls_version  = "1.2"
    remote_debugging_enabled = false
  }

  app_settings = {
    AZURE_OPENAI_ENDPOINT       = "https://oai-example.openai.azure.com/"
    OPENAI_USE_MANAGED_IDENTITY = "true"
  }
}

resource "azurerm_role_assignment" "app_blob" {
  scope                = azurerm_storage_account.example.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_linux_web_app.example.identity[0].principal_id
}

resource "azurerm_role_assignment" "app_queue" {
  scope                = azurerm_storage_account.example.id
  role_definition_name = "Storage Queue Data Contributor"
  principal_id         = azurerm_linux_web_app.example.identity[0].principal_id
}
