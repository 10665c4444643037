locals {
  # Private DNS zone of the account sub-resource, as a key of the network module's zone map.
  private_dns_zone_keys = {
    OpenAI         = "openai"            # privatelink.openai.azure.com
    SpeechServices = "cognitiveservices" # privatelink.cognitiveservices.azure.com
  }

  deployments = {
    for key, d in var.deployments : key => merge(d, {
      name     = replace(key, "_", "-")
      capacity = lookup(var.capacity_overrides, key, d.capacity)
    })
  }
}

# Entra ID only (local_auth_enabled = false, no keys) for every kind: there is no input that turns keys back on.
# custom_subdomain_name is required because tokens are accepted only on the account's custom domain.
resource "azurerm_cognitive_account" "main" {
  #checkov:skip=CKV_AZURE_247:Outbound access is restricted (outbound_network_access_restricted = true) with an empty allow-list: neither the model deployments nor real-time speech to text and text to speech call out (batch transcription from storage URLs would add that FQDN to fqdns). The check also demands a non-empty fqdns list, which would only open egress.
  #checkov:skip=CKV2_AZURE_22:Encrypted at rest with Microsoft-managed keys. A customer-managed key adds a Key Vault key, a crypto role for the account identity and a rotation process this migration does not take on; revisit if the data classification requires CMK.
  name                  = var.name
  resource_group_name   = var.resource_group_name
  location              = var.location
  kind                  = var.kind
  sku_name              = var.sku_name
  custom_subdomain_name = var.custom_subdomain_name

  local_auth_enabled            = false
  public_network_access_enabled = var.public_network_access_enabled
  # No egress from the account (data loss prevention).
  outbound_network_access_restricted = true

  # Trusted Azure services may pass the firewall of an OpenAI account only: ARM refuses the bypass for other kinds
  # (NetworkAclsBypassNotSupported: "The Kind 'SpeechServices' does not support Trusted Services").
  network_acls {
    default_action = var.public_network_access_enabled ? "Allow" : "Deny"
    bypass         = var.kind == "OpenAI" ? "AzureServices" : null
  }

  identity {
    type = "SystemAssigned"
  }

  tags = var.tags
}

resource "azurerm_cognitive_deployment" "this" {
  for_each = local.deployments

  name                   = each.value.name
  cognitive_account_id   = azurerm_cognitive_account.main.id
  version_upgrade_option = each.value.version_upgrade_option

  model {
    format  = "OpenAI"
    name    = each.value.model_name
    version = each.value.model_version
  }

  sku {
    name     = each.value.sku_name
    capacity = each.value.capacity
  }
}

# Private endpoints: one module for every service (modules/private_endpoint).
module "private_endpoint" {
  source = "../private_endpoint"

  name                 = var.name
  resource_group_name  = var.resource_group_name
  location             = var.location
  subnet_id            = var.private_endpoint_subnet_id
  target_resource_id   = azurerm_cognitive_account.main.id
  endpoints            = var.private_endpoint_enabled ? { account = { subresource_name = "account", private_dns_zone = local.private_dns_zone_keys[var.kind] } } : {}
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
