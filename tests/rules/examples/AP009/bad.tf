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
  ftp_publish_basic_authentication_enabled       = true
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
