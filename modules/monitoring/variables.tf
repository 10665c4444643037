variable "log_analytics_workspace_name" {
  description = "Name of the Log Analytics workspace."
  type        = string
}

variable "application_insights_name" {
  description = "Name of the workspace-based Application Insights component."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group of the monitoring resources."
  type        = string
}

variable "location" {
  description = "Azure region of the monitoring resources."
  type        = string
}

variable "retention_in_days" {
  description = "Retention of the Log Analytics workspace in days (30-730)."
  type        = number
  default     = 30

  validation {
    condition     = var.retention_in_days >= 30 && var.retention_in_days <= 730
    error_message = "retention_in_days must be between 30 and 730."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "key_use_alert_email_receivers" {
  description = "E-mail receivers of the key-use alert's action group, keyed by a receiver name."
  type        = map(string)
  nullable    = false

  validation {
    condition     = length(var.key_use_alert_email_receivers) > 0 && alltrue([for a in values(var.key_use_alert_email_receivers) : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", a))])
    error_message = "key_use_alert_email_receivers needs at least one receiver, each an e-mail address."
  }
}
