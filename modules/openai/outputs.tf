output "account_id" {
  description = "Id of the Azure OpenAI account (scope of the Cognitive Services OpenAI User assignments)."
  value       = azurerm_cognitive_account.main.id
}

output "account_name" {
  description = "Name of the Azure OpenAI account."
  value       = azurerm_cognitive_account.main.name
}

output "endpoint" {
  description = "Endpoint of the account (https://<custom subdomain>.openai.azure.com/)."
  value       = azurerm_cognitive_account.main.endpoint
}

output "principal_id" {
  description = "Object id of the account's system-assigned identity."
  value       = azurerm_cognitive_account.main.identity[0].principal_id
}

output "deployment_names" {
  description = "Deployment names keyed core_chat, high_reasoning, realtime_audio, whisper, visual_asset."
  value       = { for key, d in azurerm_cognitive_deployment.this : key => d.name }
}
