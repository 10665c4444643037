variable "scope_id" {
  description = "Resource id of the Azure OpenAI account every assignment is scoped to."
  type        = string

  validation {
    condition     = can(regex("(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/.+", var.scope_id))
    error_message = "scope_id must be the resource id of one Azure OpenAI account (not a resource group or subscription)."
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
        "Cognitive Services OpenAI User",
      ], a.role_definition_name)
    ])
    error_message = "Only these roles may be assigned on the Azure OpenAI account: Cognitive Services OpenAI User."
  }

  validation {
    condition     = alltrue([for a in values(var.assignments) : contains(["ServicePrincipal", "User", "Group"], a.principal_type)])
    error_message = "principal_type must be ServicePrincipal, User or Group."
  }
}
