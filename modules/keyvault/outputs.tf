output "key_vault_id" {
  description = "Id of the vault (scope of the Key Vault role assignments)."
  value       = azurerm_key_vault.main.id
}

output "key_vault_name" {
  description = "Name of the vault (used in the apps' Key Vault references)."
  value       = azurerm_key_vault.main.name
}

output "key_vault_uri" {
  description = "URI of the vault (app setting AZURE_KEYVAULT_URI)."
  value       = azurerm_key_vault.main.vault_uri
}

output "secret_names" {
  description = "Secret names keyed nextauth_secret and azure_ad_client_secret. Built from variables, not from the secret resources, so that Key Vault references do not wait for the secrets."
  value       = local.secret_names
}

output "deployer_role_assignment_ids" {
  description = "Id of the deployer's Key Vault Secrets Officer assignment."
  value       = module.deployer_access.role_assignment_ids
}
