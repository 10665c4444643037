output "service_plan_id" {
  description = "Id of the App Service plan."
  value       = azurerm_service_plan.main.id
}

output "web_app_id" {
  description = "Id of the web app."
  value       = azurerm_linux_web_app.ui.id
}

output "web_app_name" {
  description = "Name of the web app."
  value       = azurerm_linux_web_app.ui.name
}

output "web_app_principal_id" {
  description = "Object id of the web app's system-assigned identity."
  value       = azurerm_linux_web_app.ui.identity[0].principal_id
}

output "web_app_default_hostname" {
  description = "Default hostname of the web app."
  value       = azurerm_linux_web_app.ui.default_hostname
}

output "function_app_id" {
  description = "Id of the function app."
  value       = azurerm_linux_function_app.orchestrator.id
}

output "function_app_name" {
  description = "Name of the function app."
  value       = azurerm_linux_function_app.orchestrator.name
}

output "function_app_principal_id" {
  description = "Object id of the function app's system-assigned identity."
  value       = azurerm_linux_function_app.orchestrator.identity[0].principal_id
}

output "function_app_default_hostname" {
  description = "Default hostname of the function app."
  value       = azurerm_linux_function_app.orchestrator.default_hostname
}
