output "storage_account_id" {
  description = "Id of the storage account (scope of the storage role assignments)."
  value       = azurerm_storage_account.main.id
}

output "storage_account_name" {
  description = "Name of the storage account."
  value       = azurerm_storage_account.main.name
}

output "primary_blob_endpoint" {
  description = "Blob endpoint of the storage account."
  value       = azurerm_storage_account.main.primary_blob_endpoint
}

output "container_names" {
  description = "Names of the blob containers created."
  value       = sort([for c in azurerm_storage_container.this : c.name])
}
