output "vnet_id" {
  description = "Id of the virtual network."
  value       = azurerm_virtual_network.main.id
}

output "vnet_name" {
  description = "Name of the virtual network."
  value       = azurerm_virtual_network.main.name
}

output "app_subnet_id" {
  description = "Id of the subnet delegated to Microsoft.Web/serverFarms (app VNet integration)."
  value       = azurerm_subnet.app.id
}

output "postgres_subnet_id" {
  description = "Id of the subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers."
  value       = azurerm_subnet.postgres.id
}

output "private_endpoint_subnet_id" {
  description = "Id of the subnet for private endpoints."
  value       = azurerm_subnet.private_endpoints.id
}

output "postgres_private_dns_zone_id" {
  description = "Id of privatelink.postgres.database.azure.com; available once the zone is linked to the VNet."
  value       = azurerm_private_dns_zone.postgres.id

  # The server must not be created before the zone resolves in the VNet.
  depends_on = [azurerm_private_dns_zone_virtual_network_link.postgres]
}

output "private_endpoint_dns_zone_ids" {
  description = "Private DNS zone ids keyed blob, queue, table, openai, vault, cognitiveservices (empty map when private endpoints are off)."
  value       = { for key, zone in azurerm_private_dns_zone.private_endpoints : key => zone.id }

  depends_on = [azurerm_private_dns_zone_virtual_network_link.private_endpoints]
}
