# Entra ID only (local_authentication_enabled = false); workspace-based Application Insights ingestion is not affected.
resource "azurerm_log_analytics_workspace" "main" {
  name                = var.log_analytics_workspace_name
  resource_group_name = var.resource_group_name
  location            = var.location
  sku                 = "PerGB2018"
  retention_in_days   = var.retention_in_days

  local_authentication_enabled = false

  tags = var.tags
}

# Entra ID ingestion only (local_authentication_disabled, the azurerm 4.55 name): the apps set
# APPLICATIONINSIGHTS_AUTHENTICATION_STRING = "Authorization=AAD" and hold Monitoring Metrics Publisher on it.
resource "azurerm_application_insights" "main" {
  name                = var.application_insights_name
  resource_group_name = var.resource_group_name
  location            = var.location
  workspace_id        = azurerm_log_analytics_workspace.main.id
  application_type    = "web"

  local_authentication_disabled = true

  tags = var.tags
}

# Key-use alert: any request still authenticated with a storage account key or SAS, any call to a cognitive account
# (OpenAI, Speech) without an Entra ID caller (a key, refused since local auth is off), and any Key Vault data-plane
# operation authorised by an access policy instead of RBAC. The tables are filled by the services' diagnostic
# settings (modules/diagnostic_settings); isfuzzy and column_ifexists keep the query valid before the first log.
resource "azurerm_monitor_action_group" "key_use" {
  name                = "ag-${var.log_analytics_workspace_name}-key-use"
  resource_group_name = var.resource_group_name
  location            = "global"
  short_name          = "keyuse"

  dynamic "email_receiver" {
    for_each = var.key_use_alert_email_receivers
    content {
      name                    = email_receiver.key
      email_address           = email_receiver.value
      use_common_alert_schema = true
    }
  }

  tags = var.tags
}

resource "azurerm_monitor_scheduled_query_rules_alert_v2" "key_use" {
  name                 = "alert-${var.log_analytics_workspace_name}-key-use"
  resource_group_name  = var.resource_group_name
  location             = var.location
  description          = "A request used an account key, a SAS or local auth: the platform is meant to be keyless."
  scopes               = [azurerm_log_analytics_workspace.main.id]
  severity             = 1
  evaluation_frequency = "PT15M"
  window_duration      = "PT15M"
  enabled              = true

  criteria {
    query                   = <<-KQL
      let storage = union isfuzzy=true StorageBlobLogs, StorageQueueLogs, StorageTableLogs, StorageFileLogs
        | where AuthenticationType in ("AccountKey", "SAS")
        | project TimeGenerated, Service = "storage", Resource = AccountName, Signal = AuthenticationType, OperationName;
      let cognitive = union isfuzzy=true AzureDiagnostics
        | where ResourceProvider == "MICROSOFT.COGNITIVESERVICES" and Category == "RequestResponse"
        | where isempty(tostring(parse_json(tostring(column_ifexists("properties_s", ""))).objectId))
        | project TimeGenerated, Service = "cognitive", Resource, Signal = "no Entra ID caller (key)", OperationName;
      let vault = union isfuzzy=true AzureDiagnostics
        | where ResourceProvider == "MICROSOFT.KEYVAULT" and Category == "AuditEvent"
        | where tostring(column_ifexists("isRbacAuthorized_b", "")) == "false"
        | project TimeGenerated, Service = "keyvault", Resource, Signal = "access policy (not RBAC)", OperationName;
      union storage, cognitive, vault
    KQL
    time_aggregation_method = "Count"
    operator                = "GreaterThan"
    threshold               = 0
  }

  action {
    action_groups = [azurerm_monitor_action_group.key_use.id]
  }

  tags = var.tags
}
