# A dedicated Speech account (kind SpeechServices) rather than an AI Services account: see README "Why
# SpeechServices". Entra ID only (local_auth_enabled = false, no keys); Speech accepts tokens only on its custom
# subdomain, so custom_subdomain_name is required.
resource "azurerm_cognitive_account" "main" {
  #checkov:skip=CKV_AZURE_247:Outbound access is restricted (outbound_network_access_restricted = true) with an empty allow-list: real-time speech to text and text to speech need no egress (batch transcription from storage URLs would add that FQDN to fqdns). The check also demands a non-empty fqdns list, which would only open egress.
  #checkov:skip=CKV2_AZURE_22:Encrypted at rest with Microsoft-managed keys, as the OpenAI account. A customer-managed key adds a Key Vault key, a crypto role for the account identity and a rotation process this migration does not take on; revisit if the data classification requires CMK.
  name                  = var.name
  resource_group_name   = var.resource_group_name
  location              = var.location
  kind                  = "SpeechServices"
  sku_name              = var.sku_name
  custom_subdomain_name = var.custom_subdomain_name

  local_auth_enabled                 = false
  public_network_access_enabled      = var.public_network_access_enabled
  outbound_network_access_restricted = true

  network_acls {
    default_action = var.public_network_access_enabled ? "Allow" : "Deny"
    bypass         = "AzureServices"
  }

  identity {
    type = "SystemAssigned"
  }

  tags = var.tags
}

# Private endpoints: one module for every service (modules/private_endpoint).
module "private_endpoint" {
  source = "../private_endpoint"

  name                 = var.name
  resource_group_name  = var.resource_group_name
  location             = var.location
  subnet_id            = var.private_endpoint_subnet_id
  target_resource_id   = azurerm_cognitive_account.main.id
  endpoints            = var.private_endpoint_enabled ? { account = { subresource_name = "account", private_dns_zone = "cognitiveservices" } } : {}
  private_dns_zone_ids = var.private_dns_zone_ids
  tags                 = var.tags
}

# State written before modules/private_endpoint existed: move the endpoint instead of replacing it.
moved {
  from = azurerm_private_endpoint.this[0]
  to   = module.private_endpoint.azurerm_private_endpoint.this["account"]
}

# Audit trail: the resource's logs to the Log Analytics workspace (modules/diagnostic_settings).
module "diagnostic_settings" {
  source = "../diagnostic_settings"

  target_resource_ids = { account = azurerm_cognitive_account.main.id }
  diagnostic_settings = var.diagnostic_settings
}
