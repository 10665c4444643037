variable "name" {
  description = "Name of the Cognitive Services account."
  type        = string
}

variable "kind" {
  description = "Account kind: OpenAI (model deployments) or SpeechServices (speech to text, text to speech). One account per service, so that a role on it reaches that service alone."
  type        = string

  validation {
    condition     = contains(["OpenAI", "SpeechServices"], var.kind)
    error_message = "kind must be OpenAI or SpeechServices (the kinds whose private DNS zone this module knows)."
  }
}

variable "custom_subdomain_name" {
  description = "Custom subdomain (https://<name>.openai.azure.com/ or https://<name>.cognitiveservices.azure.com/): required for Entra ID token auth; changing it replaces the account."
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
  description = "Azure region of the account (must offer every model in var.deployments; for Speech also the SPEECH_REGION the apps use)."
  type        = string
}

variable "sku_name" {
  description = "Account SKU: S0 (standard) or F0 (free, one per subscription and kind; not offered for OpenAI)."
  type        = string
  default     = "S0"

  validation {
    condition     = contains(["F0", "S0"], var.sku_name)
    error_message = "sku_name must be F0 or S0."
  }

  validation {
    condition     = var.kind != "OpenAI" || var.sku_name == "S0"
    error_message = "Azure OpenAI accounts are offered as S0 only."
  }
}

variable "public_network_access_enabled" {
  description = "Accept traffic from public networks. When false, network_acls deny by default and access goes through the private endpoint."
  type        = bool
  default     = false
}

variable "deployments" {
  description = "Model deployments (kind OpenAI only) keyed by purpose; the deployment name is the key with '_' replaced by '-'. capacity is in the SKU's unit (thousands of tokens per minute for token-based models)."
  type = map(object({
    model_name             = string
    model_version          = string
    sku_name               = optional(string, "GlobalStandard")
    capacity               = optional(number, 10)
    version_upgrade_option = optional(string, "OnceCurrentVersionExpired")
  }))
  default  = {}
  nullable = false

  validation {
    condition     = var.kind == "OpenAI" || length(var.deployments) == 0
    error_message = "deployments are for kind OpenAI only."
  }

  validation {
    condition     = alltrue([for d in values(var.deployments) : contains(["Standard", "GlobalStandard", "DataZoneStandard", "ProvisionedManaged", "GlobalProvisionedManaged", "DataZoneProvisionedManaged"], d.sku_name)])
    error_message = "sku_name must be Standard, GlobalStandard, DataZoneStandard or a ProvisionedManaged variant."
  }
}

variable "capacity_overrides" {
  description = "Capacity per deployment key, overriding var.deployments (per-environment sizing)."
  type        = map(number)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for v in values(var.capacity_overrides) : v >= 1])
    error_message = "Capacities must be at least 1."
  }

  validation {
    condition     = alltrue([for k in keys(var.capacity_overrides) : contains(keys(var.deployments), k)])
    error_message = "capacity_overrides keys must be keys of var.deployments."
  }
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
  description = "Private DNS zone ids keyed by zone purpose; must contain openai (privatelink.openai.azure.com, kind OpenAI) or cognitiveservices (privatelink.cognitiveservices.azure.com, kind SpeechServices) when private_endpoint_enabled."
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
