output "policy_assignment_ids" {
  description = "Policy assignment ids keyed like the definitions (storage_shared_key_access, ...)."
  value       = { for key, a in azurerm_resource_group_policy_assignment.this : key => a.id }
}
