variable "name" {
  description = "Storage account name: 3-24 lowercase letters and digits, globally unique."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]{3,24}$", var.name))
    error_message = "Storage account names are 3-24 lowercase letters and digits."
  }
}

variable "resource_group_name" {
  description = "Resource group of the storage account."
  type        = string
}

variable "location" {
  description = "Azure region of the storage account."
  type        = string
}

variable "replication_type" {
  description = "account_replication_type: LRS, ZRS, GRS, GZRS, RAGRS or RAGZRS."
  type        = string
  default     = "LRS"

  validation {
    condition     = contains(["LRS", "ZRS", "GRS", "GZRS", "RAGRS", "RAGZRS"], var.replication_type)
    error_message = "replication_type must be one of LRS, ZRS, GRS, GZRS, RAGRS, RAGZRS."
  }
}

variable "shared_access_key_enabled" {
  description = "Allow Shared Key authorization (account keys, key-signed SAS). Secure value: false."
  type        = bool
  default     = false
}

variable "default_to_oauth_authentication" {
  description = "Default to Entra ID authorization in the Azure portal. Secure value: true."
  type        = bool
  default     = true
}

variable "public_network_access_enabled" {
  description = "Accept traffic from public networks. When false, network_rules deny by default (AzureServices bypass) and access goes through private endpoints."
  type        = bool
  default     = false
}

variable "container_names" {
  description = "Private blob containers the apps use."
  type        = set(string)
  default     = ["uploads", "generated-assets"]
  nullable    = false

  validation {
    condition     = alltrue([for c in var.container_names : can(regex("^[a-z0-9](-?[a-z0-9])+$", c)) && length(c) >= 3 && length(c) <= 63])
    error_message = "Container names are 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit."
  }
}

variable "retention_days" {
  description = "Soft-delete retention of blobs and containers, in days."
  type        = number
  default     = 30

  validation {
    condition     = var.retention_days >= 1 && var.retention_days <= 365
    error_message = "retention_days must be between 1 and 365."
  }
}

variable "private_endpoint_enabled" {
  description = "Create private endpoints for the blob, queue and table sub-resources."
  type        = bool
  default     = false
}

variable "private_endpoint_subnet_id" {
  description = "Subnet of the private endpoints (required when private_endpoint_enabled)."
  type        = string
  default     = null
}

variable "private_dns_zone_ids" {
  description = "Private DNS zone ids keyed by sub-resource; must contain blob, queue and table when private_endpoint_enabled."
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
