variable "service" {
  description = "Which kind of Cognitive Services account scope_id is: openai (kind OpenAI) or speech (kind SpeechServices). Selects the roles that may be assigned on it."
  type        = string

  validation {
    condition     = contains(["openai", "speech"], var.service)
    error_message = "service must be openai or speech."
  }
}

variable "scope_id" {
  description = "Resource id of the one Cognitive Services account every assignment is scoped to."
  type        = string

  validation {
    condition     = can(regex("(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/.+", var.scope_id))
    error_message = "scope_id must be the resource id of one Cognitive Services account (not a resource group or subscription)."
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

  # The data-plane role of each service only: every management role (and Cognitive Services User) can list keys.
  validation {
    condition = alltrue([
      for a in values(var.assignments) : contains(lookup({
        openai = ["Cognitive Services OpenAI User"]
        speech = ["Cognitive Services Speech User"]
      }, var.service, []), a.role_definition_name)
    ])
    error_message = "Only the service's data-plane role may be assigned: Cognitive Services OpenAI User on an openai account, Cognitive Services Speech User on a speech account."
  }

  validation {
    condition     = alltrue([for a in values(var.assignments) : contains(["ServicePrincipal", "User", "Group"], a.principal_type)])
    error_message = "principal_type must be ServicePrincipal, User or Group."
  }
}
