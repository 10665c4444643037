output "private_endpoint_ids" {
  description = "Private endpoint ids keyed like var.endpoints."
  value       = { for key, pe in azurerm_private_endpoint.this : key => pe.id }
}
