variable "scope_id" {
  description = "Resource id of the Application Insights component every assignment is scoped to."
  type        = string

  validation {
    condition     = can(regex("(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/.+", var.scope_id))
    error_message = "scope_id must be the resource id of one Application Insights component (not a resource group or subscription)."
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

  validation {
    condition = alltrue([
      for a in values(var.assignments) : contains([
        "Monitoring Metrics Publisher",
      ], a.role_definition_name)
    ])
    error_message = "Only these roles may be assigned on the Application Insights component: Monitoring Metrics Publisher."
  }

  validation {
    condition     = alltrue([for a in values(var.assignments) : contains(["ServicePrincipal", "User", "Group"], a.principal_type)])
    error_message = "principal_type must be ServicePrincipal, User or Group."
  }
}
