output "server_id" {
  description = "Id of the PostgreSQL Flexible Server."
  value       = azurerm_postgresql_flexible_server.main.id
}

output "server_name" {
  description = "Name of the server."
  value       = azurerm_postgresql_flexible_server.main.name
}

output "server_fqdn" {
  description = "FQDN of the server (resolves to its private address inside the VNet)."
  value       = azurerm_postgresql_flexible_server.main.fqdn
}

output "database_name" {
  description = "Name of the application database."
  value       = azurerm_postgresql_flexible_server_database.analytics.name
}

output "entra_admin_name" {
  description = "PostgreSQL role name of the Entra admin group."
  value       = azurerm_postgresql_flexible_server_active_directory_administrator.main.principal_name
}

output "principal_statements" {
  description = "Per role name, the SQL an Entra admin runs on the postgres database to create the role of that app identity."
  value = {
    for role, object_id in var.app_principals :
    role => format("select * from pgaadauth_create_principal_with_oid('%s', '%s', 'service', false, false);", role, object_id)
  }
}
