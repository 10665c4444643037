variable "service" {
  description = "Which kind of Cognitive Services account scope_id is: openai (kind OpenAI) or speech (kind SpeechServices). Selects the roles that may be assigned on it."
  type        = string

  validation {
    condition     = contains(["openai", "speech"], var.service)
    error_message = "service must be openai or speech."
  }
}

variable "scope_id" {
  description = "Resource id of the Cognitive Services account every assignment is scoped to (checked by modules/rbac/assignment)."
  type        = string
}

variable "assignments" {
  description = "Role assignments keyed by a static name: see modules/rbac/assignment for their shape and checks."
  type        = any
}
