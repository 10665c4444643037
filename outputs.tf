output "resource_group_name" {
  description = "Name of the resource group."
  value       = azurerm_resource_group.main.name
}

output "resource_group_id" {
  description = "Id of the resource group."
  value       = azurerm_resource_group.main.id
}

output "web_app_principal_id" {
  description = "Object id of the web app's system-assigned identity."
  value       = module.app.web_app_principal_id
}

output "function_app_principal_id" {
  description = "Object id of the function app's system-assigned identity."
  value       = module.app.function_app_principal_id
}

output "deployer_principal_id" {
  description = "Object id of the principal that ran terraform apply (holds Key Vault Secrets Officer on the vault)."
  value       = data.azurerm_client_config.current.object_id
}

output "storage_account_id" {
  description = "Id of the storage account."
  value       = module.storage.storage_account_id
}

output "storage_account_name" {
  description = "Name of the storage account."
  value       = module.storage.storage_account_name
}

output "openai_account_id" {
  description = "Id of the Azure OpenAI account."
  value       = module.openai.account_id
}

output "openai_endpoint" {
  description = "Endpoint of the Azure OpenAI account (custom subdomain)."
  value       = module.openai.endpoint
}

output "openai_deployment_names" {
  description = "Azure OpenAI deployment names by purpose."
  value       = module.openai.deployment_names
}

output "speech_account_id" {
  description = "Id of the Speech account (verify reads its disableLocalAuth)."
  value       = module.speech.account_id
}

output "speech_endpoint" {
  description = "Endpoint of the Speech account (custom subdomain)."
  value       = module.speech.endpoint
}

output "key_vault_id" {
  description = "Id of the Key Vault."
  value       = module.keyvault.key_vault_id
}

output "key_vault_uri" {
  description = "URI of the Key Vault."
  value       = module.keyvault.key_vault_uri
}

output "application_insights_id" {
  description = "Id of the Application Insights component."
  value       = module.monitoring.application_insights_id
}

output "postgres_server_id" {
  description = "Id of the PostgreSQL Flexible Server."
  value       = module.analytics_postgres.server_id
}

output "postgres_server_fqdn" {
  description = "FQDN of the PostgreSQL Flexible Server (resolves privately inside the VNet)."
  value       = module.analytics_postgres.server_fqdn
}

output "postgres_database_name" {
  description = "Name of the analytics database."
  value       = module.analytics_postgres.database_name
}

output "web_app_name" {
  description = "Name of the web app."
  value       = module.app.web_app_name
}

output "function_app_id" {
  description = "Id of the function app (verify reads its host storage app settings)."
  value       = module.app.function_app_id
}

output "function_app_name" {
  description = "Name of the function app."
  value       = module.app.function_app_name
}

output "web_app_default_hostname" {
  description = "Default hostname of the web app."
  value       = module.app.web_app_default_hostname
}

output "function_app_default_hostname" {
  description = "Default hostname of the function app."
  value       = module.app.function_app_default_hostname
}

output "postgres_principal_statements" {
  description = "SQL, per app identity, that an Entra admin of the server runs on the postgres database to create the app's role."
  value       = module.analytics_postgres.principal_statements
}
