output "log_analytics_workspace_id" {
  description = "Id of the Log Analytics workspace."
  value       = azurerm_log_analytics_workspace.main.id
}

output "application_insights_id" {
  description = "Id of the Application Insights component (scope of the Monitoring Metrics Publisher assignments)."
  value       = azurerm_application_insights.main.id
}

output "application_insights_name" {
  description = "Name of the Application Insights component."
  value       = azurerm_application_insights.main.name
}

output "application_insights_connection_string" {
  description = "Connection string (instrumentation key + endpoints; with local auth disabled it grants nothing). Marked sensitive by the provider."
  value       = azurerm_application_insights.main.connection_string
  sensitive   = true
}

output "key_use_alert_id" {
  description = "Id of the key-use alert (scheduled query rule over the workspace)."
  value       = azurerm_monitor_scheduled_query_rules_alert_v2.key_use.id
}
