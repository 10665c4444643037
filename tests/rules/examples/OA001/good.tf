resource "azurerm_cognitive_account" "example" {
  name                  = "oai-example"
  location              = "swedencentral"
  resource_group_name   = "rg-example"
  kind                  = "OpenAI"
  sku_name              = "S0"
  custom_subdomain_name = "oai-example"
  local_auth_enabled    = false
}
