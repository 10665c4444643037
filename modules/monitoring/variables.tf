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
}
