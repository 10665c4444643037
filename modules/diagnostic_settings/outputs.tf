output "ids" {
  description = "Diagnostic setting ids keyed <target>-<setting>."
  value       = { for key, ds in azurerm_monitor_diagnostic_setting.this : key => ds.id }
}
