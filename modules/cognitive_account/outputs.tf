output "account_id" {
  description = "Id of the account: the scope of its Cognitive Services role assignments (for Speech, also part of the SDK's Entra ID authorization token)."
  value       = azurerm_cognitive_account.main.id
}

output "account_name" {
  description = "Name of the account."
  value       = azurerm_cognitive_account.main.name
}

output "endpoint" {
  description = "Endpoint of the account on its custom subdomain (https://<subdomain>.openai.azure.com/ or https://<subdomain>.cognitiveservices.azure.com/)."
  value       = azurerm_cognitive_account.main.endpoint
}

output "region" {
  description = "Region of the account (the Speech SDK needs it beside the endpoint)."
  value       = azurerm_cognitive_account.main.location
}

output "principal_id" {
  description = "Object id of the account's system-assigned identity."
  value       = azurerm_cognitive_account.main.identity[0].principal_id
}

output "deployment_names" {
  description = "Deployment names keyed like var.deployments (empty for Speech)."
  value       = { for key, d in azurerm_cognitive_deployment.this : key => d.name }
}
