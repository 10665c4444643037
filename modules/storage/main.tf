# Keyless: Entra ID only (the provider itself talks to storage with storage_use_azuread = true).
resource "azurerm_storage_account" "main" {
  #checkov:skip=CKV2_AZURE_1:Encrypted at rest with Microsoft-managed keys plus infrastructure (double) encryption. A customer-managed key adds a Key Vault key, a crypto role and a rotation process this migration does not take on; revisit if the data classification requires CMK.
  #checkov:skip=CKV_AZURE_33:Queue Storage Analytics logging is a data-plane setting the provider cannot manage with shared keys off and features.storage.data_plane_available = false. Storage logs belong in Azure Monitor diagnostic settings.
  #checkov:skip=CKV_AZURE_43:False positive: checkov cannot render the computed name (local.names.storage_account, built with substr/lower/replace). var.name is validated against ^[a-z0-9]{3,24}$ at plan time.
  name                     = var.name
  resource_group_name      = var.resource_group_name
  location                 = var.location
  account_kind             = "StorageV2"
  account_tier             = "Standard"
  account_replication_type = var.replication_type

  shared_access_key_enabled       = var.shared_access_key_enabled
  default_to_oauth_authentication = var.default_to_oauth_authentication
  local_user_enabled              = false
  sftp_enabled                    = false

  https_traffic_only_enabled        = true
  min_tls_version                   = "TLS1_2"
  allow_nested_items_to_be_public   = false
  cross_tenant_replication_enabled  = false
  infrastructure_encryption_enabled = true
  public_network_access_enabled     = var.public_network_access_enabled

  network_rules {
    default_action = var.public_network_access_enabled ? "Allow" : "Deny"
    bypass         = ["AzureServices"]
  }

  blob_properties {
    versioning_enabled = true

    delete_retention_policy {
      days = var.retention_days
    }

    container_delete_retention_policy {
      days = var.retention_days
    }
  }

  tags = var.tags
}

# ARM (management plane) containers: no data-plane call, no key.
resource "azurerm_storage_container" "this" {
  #checkov:skip=CKV2_AZURE_21:The check wants azurerm_log_analytics_storage_insights, which requires the storage account key, and shared keys are off. Blob read logging belongs in Azure Monitor diagnostic settings.
  for_each = var.container_names

  name                  = each.value
  storage_account_id    = azurerm_storage_account.main.id
  container_access_type = "private"
}

# Private endpoints: one module for every service (modules/private_endpoint).
module "private_endpoint" {
  source = "../private_endpoint"

  name                 = var.name
  resource_group_name  = var.resource_group_name
  location             = var.location
  subnet_id            = var.private_endpoint_subnet_id
  target_resource_id   = azurerm_storage_account.main.id
  endpoints            = { for key in(var.private_endpoint_enabled ? ["blob", "queue", "table"] : []) : key => { subresource_name = key, private_dns_zone = key } }
  private_dns_zone_ids = var.private_dns_zone_ids
  tags                 = var.tags
}

# State written before modules/private_endpoint existed: move the endpoint instead of replacing it.
moved {
  from = azurerm_private_endpoint.this
  to   = module.private_endpoint.azurerm_private_endpoint.this
}

# Audit trail: the resource's logs to the Log Analytics workspace (modules/diagnostic_settings).
module "diagnostic_settings" {
  source = "../diagnostic_settings"

  target_resource_ids = {
    # The account itself has no logs; each data service logs its requests with their AuthenticationType.
    blob  = "${azurerm_storage_account.main.id}/blobServices/default"
    queue = "${azurerm_storage_account.main.id}/queueServices/default"
    table = "${azurerm_storage_account.main.id}/tableServices/default"
    file  = "${azurerm_storage_account.main.id}/fileServices/default"
  }
  diagnostic_settings = var.diagnostic_settings
}
