output "role_assignment_ids" {
  description = "Role assignment ids keyed like var.assignments."
  value       = { for key, ra in azurerm_role_assignment.this : key => ra.id }
}
