variable "diagnostic_settings" {
  description = "Diagnostic settings (Azure Verified Modules interface), keyed by a static name: where the resource's logs go. Each sends log_categories and log_groups (default allLogs) and metric_categories (default AllMetrics) to workspace_resource_id; log_analytics_destination_type null lets the service choose its tables."
  type = map(object({
    name                           = optional(string, null)
    log_categories                 = optional(set(string), [])
    log_groups                     = optional(set(string), ["allLogs"])
    metric_categories              = optional(set(string), ["AllMetrics"])
    log_analytics_destination_type = optional(string, null)
    workspace_resource_id          = string
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for s in values(var.diagnostic_settings) : length(s.log_categories) + length(s.log_groups) > 0])
    error_message = "Each diagnostic setting must send logs (log_categories or log_groups): the audit trail is the point."
  }

  validation {
    condition     = alltrue([for s in values(var.diagnostic_settings) : s.log_analytics_destination_type == null || contains(["Dedicated", "AzureDiagnostics"], coalesce(s.log_analytics_destination_type, "Dedicated"))])
    error_message = "log_analytics_destination_type must be Dedicated, AzureDiagnostics or null."
  }
}

variable "target_resource_ids" {
  description = "Resources to send diagnostics from, keyed by a static name (e.g. blob, queue): every setting is applied to each."
  type        = map(string)
  nullable    = false
}
