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
