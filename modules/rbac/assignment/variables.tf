variable "caller" {
  description = "Path of the rbac/* module that wraps this one (e.g. modules/rbac/storage): named in the default description and the error messages."
  type        = string
}

variable "scope_kind" {
  description = "What scope_id is (e.g. storage account), for the error messages."
  type        = string
}

variable "allowed_roles" {
  description = "The only role names the caller may assign on this scope: its least-privilege allow-list."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.allowed_roles) > 0
    error_message = "allowed_roles must name at least one role."
  }
}

variable "scope_id" {
  description = "Resource id of the one resource every assignment is scoped to."
  type        = string

  validation {
    condition     = can(regex("(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/.+", var.scope_id))
    error_message = "scope_id must be the resource id of one ${var.scope_kind} (not a resource group or subscription)."
  }
}

variable "assignments" {
  description = "Role assignments keyed by a static name (e.g. web_app_...): principal_id, role_definition_name, optional principal_type (default ServicePrincipal, i.e. a managed identity) and optional description (why)."
  type = map(object({
    principal_id         = string
    role_definition_name = string
    principal_type       = optional(string, "ServicePrincipal")
    description          = optional(string)
  }))
  nullable = false

  validation {
    condition     = alltrue([for a in values(var.assignments) : contains(var.allowed_roles, a.role_definition_name)])
    error_message = "Only these roles may be assigned on the ${var.scope_kind} (${var.caller}): ${join(", ", var.allowed_roles)}."
  }

  validation {
    condition     = alltrue([for a in values(var.assignments) : contains(["ServicePrincipal", "User", "Group"], a.principal_type)])
    error_message = "principal_type must be ServicePrincipal, User or Group."
  }
}
