# Entra-only PostgreSQL (departure from MIGRATION_GUIDE §5.2): no administrator_login / administrator_password at all.
# Private access only: VNet integration (delegated subnet + private DNS zone), no public endpoint.
# zone / standby zone are ignored after creation: Azure may swap primary and standby on failover.
resource "azurerm_postgresql_flexible_server" "main" {
  #checkov:skip=CKV2_AZURE_57:Private access by VNet integration (delegated_subnet_id + private DNS zone, public_network_access_enabled = false). A server in a delegated subnet cannot also take a private endpoint; there is no public endpoint to close.
  name                = var.name
  resource_group_name = var.resource_group_name
  location            = var.location
  version             = var.postgres_version
  sku_name            = var.sku_name
  storage_mb          = var.storage_mb
  auto_grow_enabled   = true
  zone                = var.zone

  delegated_subnet_id           = var.delegated_subnet_id
  private_dns_zone_id           = var.private_dns_zone_id
  public_network_access_enabled = false

  backup_retention_days        = var.backup_retention_days
  geo_redundant_backup_enabled = var.geo_redundant_backup_enabled

  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = false
    tenant_id                     = var.tenant_id
  }

  dynamic "high_availability" {
    for_each = var.high_availability_mode == null ? [] : [var.high_availability_mode]

    content {
      mode                      = high_availability.value
      standby_availability_zone = high_availability.value == "ZoneRedundant" ? var.standby_availability_zone : null
    }
  }

  tags = var.tags

  lifecycle {
    ignore_changes = [
      zone,
      high_availability[0].standby_availability_zone,
    ]
  }
}

resource "azurerm_postgresql_flexible_server_active_directory_administrator" "main" {
  server_name         = azurerm_postgresql_flexible_server.main.name
  resource_group_name = var.resource_group_name
  tenant_id           = var.tenant_id
  object_id           = var.entra_admin_object_id
  principal_name      = var.entra_admin_name
  principal_type      = "Group"
}

resource "azurerm_postgresql_flexible_server_database" "analytics" {
  name      = var.database_name
  server_id = azurerm_postgresql_flexible_server.main.id
  charset   = "UTF8"
  collation = "en_US.utf8"
}

# Audit trail: the resource's logs to the Log Analytics workspace (modules/diagnostic_settings).
module "diagnostic_settings" {
  source = "../diagnostic_settings"

  target_resource_ids = { server = azurerm_postgresql_flexible_server.main.id }
  diagnostic_settings = var.diagnostic_settings
}
