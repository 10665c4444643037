output "role_assignment_ids" {
  description = "Role assignment ids keyed like var.assignments."
  value       = module.assignment.role_assignment_ids
}
