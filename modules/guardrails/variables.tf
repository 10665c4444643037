variable "resource_group_id" {
  description = "Id of the resource group the guardrails are assigned to."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+$", var.resource_group_id))
    error_message = "resource_group_id must be a resource group id."
  }
}

variable "deny_enabled" {
  description = "Use the Deny effect wherever the definition offers it (staging, prod); false: every definition audits (dev)."
  type        = bool
  nullable    = false
}
