provider "azurerm" {
  features {}
  storage_use_azuread = true
}

resource "azurerm_storage_account" "example" {
  name                            = "stexample"
  resource_group_name             = "rg-example"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  shared_access_key_enabled       = false
  default_to_oauth_authentication = true
  https_traffic_only_enabled      = true
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = false
  local_user_enabled              = false
  sftp_enabled                    = false
}

resource "azurerm_log_analytics_workspace" "example" {
  name                         = "log-example"
  resource_group_name          = "rg-example"
  location                     = "westeurope"
  local_authentication_enabled = false
}

# Each storage data service logs its own requests, with their AuthenticationType.
resource "azurerm_monitor_diagnostic_setting" "storage" {
  for_each                   = toset(["blobServices", "queueServices", "tableServices", "fileServices"])
  name                       = "diag-${each.key}"
  target_resource_id         = "${azurerm_storage_account.example.id}/${each.key}/default"
  log_analytics_workspace_id = azurerm_log_analytics_workspace.example.id

  enabled_log {
    category_group = "allLogs"
  }
}

resource "azurerm_monitor_action_group" "ops" {
  name                = "ag-example"
  resource_group_name = "rg-example"
  short_name          = "ops"

  email_receiver {
    name          = "ops"
    email_address = "ops@example.invalid"
  }
}

resource "azurerm_monitor_scheduled_query_rules_alert_v2" "key_use" {
  name                 = "alert-key-use"
  resource_group_name  = "rg-example"
  location             = "westeurope"
  scopes               = [azurerm_log_analytics_workspace.example.id]
  severity             = 1
  evaluation_frequency = "PT15M"
  window_duration      = "PT15M"
  # Switched off "while we migrate": nobody hears of a key in use.
  enabled = false

  criteria {
    query                   = "StorageBlobLogs | where AuthenticationType in (\"AccountKey\", \"SAS\")"
    time_aggregation_method = "Count"
    operator                = "GreaterThan"
    threshold               = 0
  }

  action {
    action_groups = [azurerm_monitor_action_group.ops.id]
  }
}
