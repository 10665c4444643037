variable "name" {
  description = "Key Vault name: 3-24 letters, digits and hyphens, starting with a letter, globally unique."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z](-?[a-zA-Z0-9])+$", var.name)) && length(var.name) >= 3 && length(var.name) <= 24
    error_message = "Key Vault names are 3-24 letters, digits and single hyphens, starting with a letter and ending with a letter or digit."
  }
}

variable "resource_group_name" {
  description = "Resource group of the vault."
  type        = string
}

variable "location" {
  description = "Azure region of the vault."
  type        = string
}

variable "tenant_id" {
  description = "Entra ID tenant of the vault."
  type        = string
}

variable "sku_name" {
  description = "Key Vault SKU: standard or premium."
  type        = string
  default     = "standard"

  validation {
    condition     = contains(["standard", "premium"], var.sku_name)
    error_message = "sku_name must be standard or premium."
  }
}

variable "soft_delete_retention_days" {
  description = "Soft-delete retention in days (7-90; cannot be changed after creation)."
  type        = number
  default     = 90

  validation {
    condition     = var.soft_delete_retention_days >= 7 && var.soft_delete_retention_days <= 90
    error_message = "soft_delete_retention_days must be between 7 and 90."
  }
}

variable "public_network_access_enabled" {
  description = "Accept traffic from public networks. When false, network_acls deny by default (AzureServices bypass) and access goes through the private endpoint: terraform apply then has to run from a network that reaches it (secrets are written over the data plane)."
  type        = bool
  default     = false
}

variable "deployer_principal_id" {
  description = "Object id of the principal running terraform apply; granted Key Vault Secrets Officer so it can write the two secrets (data.azurerm_client_config.current.object_id in the root)."
  type        = string
}

variable "deployer_principal_type" {
  description = "Principal type of the deployer: ServicePrincipal (CI) or User (an engineer)."
  type        = string
  default     = "ServicePrincipal"
}

variable "nextauth_secret" {
  description = "NextAuth.js secret, written with value_wo (never stored in state or plan)."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "azure_ad_client_secret" {
  description = "Entra app registration client secret for the web app's sign-in, written with value_wo (never stored in state or plan)."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "secrets_version" {
  description = "value_wo_version of both secrets; increase it to write new values."
  type        = number
  default     = 1
}

variable "nextauth_secret_name" {
  description = "Key Vault secret name of the NextAuth secret."
  type        = string
  default     = "nextauth-secret"
}

variable "azure_ad_client_secret_name" {
  description = "Key Vault secret name of the Entra client secret."
  type        = string
  default     = "azure-ad-client-secret"
}

variable "private_endpoint_enabled" {
  description = "Create a private endpoint for the vault sub-resource."
  type        = bool
  default     = false
}

variable "private_endpoint_subnet_id" {
  description = "Subnet of the private endpoint (required when private_endpoint_enabled)."
  type        = string
  default     = null
}

variable "private_dns_zone_ids" {
  description = "Private DNS zone ids keyed by zone purpose; must contain vault (privatelink.vaultcore.azure.net) when private_endpoint_enabled."
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
