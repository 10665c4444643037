locals {
  secret_names = {
    nextauth_secret        = var.nextauth_secret_name
    azure_ad_client_secret = var.azure_ad_client_secret_name
  }
}

# Azure RBAC data-plane authorization (rbac_authorization_enabled, the 4.42+ name); no access_policy blocks.
resource "azurerm_key_vault" "main" {
  name                = var.name
  resource_group_name = var.resource_group_name
  location            = var.location
  tenant_id           = var.tenant_id
  sku_name            = var.sku_name

  rbac_authorization_enabled = true
  purge_protection_enabled   = true
  soft_delete_retention_days = var.soft_delete_retention_days

  public_network_access_enabled = var.public_network_access_enabled

  network_acls {
    default_action = var.public_network_access_enabled ? "Allow" : "Deny"
    bypass         = "AzureServices"
  }

  tags = var.tags
}

# The deployer writes the secrets below: in RBAC mode it needs Key Vault Secrets Officer first. The assignment stays in
# modules/rbac/* like every other one; calling it from here avoids a cycle with the root.
module "deployer_access" {
  source = "../rbac/keyvault"

  scope_id = azurerm_key_vault.main.id
  assignments = {
    deployer_secrets_officer = {
      principal_id         = var.deployer_principal_id
      role_definition_name = "Key Vault Secrets Officer"
      principal_type       = var.deployer_principal_type
      description          = "terraform apply writes the NextAuth and Entra client secrets (value_wo)."
    }
  }
}

# Private endpoints: one module for every service (modules/private_endpoint).
module "private_endpoint" {
  source = "../private_endpoint"

  name                 = var.name
  resource_group_name  = var.resource_group_name
  location             = var.location
  subnet_id            = var.private_endpoint_subnet_id
  target_resource_id   = azurerm_key_vault.main.id
  endpoints            = var.private_endpoint_enabled ? { vault = { subresource_name = "vault", private_dns_zone = "vault" } } : {}
  private_dns_zone_ids = var.private_dns_zone_ids
  tags                 = var.tags
}

# State written before modules/private_endpoint existed: move the endpoint instead of replacing it.
moved {
  from = azurerm_private_endpoint.this[0]
  to   = module.private_endpoint.azurerm_private_endpoint.this["vault"]
}

# Write-only values: never in state or plan. Role assignments can take a few minutes to propagate; a first apply that
# fails here with 403 succeeds when re-run.
resource "azurerm_key_vault_secret" "nextauth_secret" {
  #checkov:skip=CKV_AZURE_41:The value is rotated by bumping secrets_version (write-only value_wo), and the Entra client secret's lifetime is set where it is issued (app registration). An expiration_date here would be a literal date nobody rotates with the value.
  name             = local.secret_names.nextauth_secret
  key_vault_id     = azurerm_key_vault.main.id
  value_wo         = var.nextauth_secret
  value_wo_version = var.secrets_version
  content_type     = "text/plain"
  tags             = var.tags

  depends_on = [module.deployer_access, module.private_endpoint]
}

resource "azurerm_key_vault_secret" "azure_ad_client_secret" {
  #checkov:skip=CKV_AZURE_41:The value is rotated by bumping secrets_version (write-only value_wo), and the Entra client secret's lifetime is set where it is issued (app registration). An expiration_date here would be a literal date nobody rotates with the value.
  name             = local.secret_names.azure_ad_client_secret
  key_vault_id     = azurerm_key_vault.main.id
  value_wo         = var.azure_ad_client_secret
  value_wo_version = var.secrets_version
  content_type     = "text/plain"
  tags             = var.tags

  depends_on = [module.deployer_access, module.private_endpoint]
}

# Audit trail: the resource's logs to the Log Analytics workspace (modules/diagnostic_settings).
module "diagnostic_settings" {
  source = "../diagnostic_settings"

  target_resource_ids = { vault = azurerm_key_vault.main.id }
  diagnostic_settings = var.diagnostic_settings
}
