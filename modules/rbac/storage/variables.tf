variable "scope_id" {
  description = "Resource id of the storage account every assignment is scoped to (checked by modules/rbac/assignment)."
  type        = string
}

variable "assignments" {
  description = "Role assignments keyed by a static name: see modules/rbac/assignment for their shape and checks."
  type        = any
}
