variable "name" {
  description = "Name of the Speech (Cognitive Services, kind SpeechServices) account."
  type        = string
}

variable "custom_subdomain_name" {
  description = "Custom subdomain (https://<name>.cognitiveservices.azure.com/): required for Entra ID token auth; changing it replaces the account."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$", var.custom_subdomain_name))
    error_message = "custom_subdomain_name must be 2-64 lowercase letters, digits or hyphens, starting and ending with a letter or digit."
  }
}

variable "resource_group_name" {
  description = "Resource group of the account."
  type        = string
}

variable "location" {
  description = "Azure region of the account (also the SPEECH_REGION the apps use)."
  type        = string
}

variable "sku_name" {
  description = "Account SKU: S0 (standard) or F0 (free, one per subscription)."
  type        = string
  default     = "S0"

  validation {
    condition     = contains(["F0", "S0"], var.sku_name)
    error_message = "sku_name must be F0 or S0."
  }
}

variable "public_network_access_enabled" {
  description = "Accept traffic from public networks. When false, network_acls deny by default and access goes through the private endpoint."
  type        = bool
  default     = false
}

variable "private_endpoint_enabled" {
  description = "Create a private endpoint for the account sub-resource."
  type        = bool
  default     = false
}

variable "private_endpoint_subnet_id" {
  description = "Subnet of the private endpoint (required when private_endpoint_enabled)."
  type        = string
  default     = null
}

variable "private_dns_zone_ids" {
  description = "Private DNS zone ids keyed by zone purpose; must contain cognitiveservices (privatelink.cognitiveservices.azure.com) when private_endpoint_enabled."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}

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
}
