output "account_id" {
  description = "Id of the Speech account (scope of the Cognitive Services Speech User assignment; the Speech SDK's Entra ID authorization token is built from it)."
  value       = azurerm_cognitive_account.main.id
}

output "account_name" {
  description = "Name of the Speech account."
  value       = azurerm_cognitive_account.main.name
}

output "endpoint" {
  description = "Endpoint of the account (https://<custom subdomain>.cognitiveservices.azure.com/)."
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
