resource "azurerm_postgresql_flexible_server" "example" {
  name                = "psql-example"
  resource_group_name = "rg-example"
  location            = "westeurope"
  version             = "16"
  sku_name            = "GP_Standard_D2ds_v5"

  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = false
    tenant_id                     = "00000000-0000-0000-0000-000000000000"
  }
}
