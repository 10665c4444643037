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

resource "azurerm_postgresql_flexible_server_active_directory_administrator" "example" {
  server_name         = azurerm_postgresql_flexible_server.example.name
  resource_group_name = "rg-example"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  object_id           = "11111111-1111-1111-1111-111111111111"
  principal_name      = "pg-admins"
  principal_type      = "Group"
}
