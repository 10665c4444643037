variable "name" {
  description = "PostgreSQL Flexible Server name: 3-63 lowercase letters, digits and hyphens, globally unique."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.name))
    error_message = "Server names are 3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "resource_group_name" {
  description = "Resource group of the server."
  type        = string
}

variable "location" {
  description = "Azure region of the server."
  type        = string
}

variable "postgres_version" {
  description = "PostgreSQL major version."
  type        = string
  default     = "16"
}

variable "delegated_subnet_id" {
  description = "Subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers (private access, no public endpoint)."
  type        = string
}

variable "private_dns_zone_id" {
  description = "Id of the privatelink.postgres.database.azure.com zone linked to the VNet."
  type        = string
}

variable "tenant_id" {
  description = "Entra ID tenant used for authentication."
  type        = string
}

variable "entra_admin_object_id" {
  description = "Object id of the Entra ID group that administers the server."
  type        = string
}

variable "entra_admin_name" {
  description = "Display name of that Entra ID group (its PostgreSQL role name)."
  type        = string
}

variable "sku_name" {
  description = "Server SKU, tier-prefixed: B_ (Burstable), GP_ (General Purpose) or MO_ (Memory Optimized), e.g. B_Standard_B1ms, GP_Standard_D2ds_v5."
  type        = string

  validation {
    condition     = can(regex("^(B|GP|MO)_Standard_", var.sku_name))
    error_message = "sku_name must look like B_Standard_B1ms, GP_Standard_D2ds_v5 or MO_Standard_E2ds_v5."
  }
}

variable "storage_mb" {
  description = "Storage size in MB."
  type        = number
  default     = 32768

  validation {
    condition     = contains([32768, 65536, 131072, 262144, 524288, 1048576, 2097152, 4193280, 4194304, 8388608, 16777216, 33553408], var.storage_mb)
    error_message = "storage_mb must be one of the sizes PostgreSQL Flexible Server offers (32768, 65536, 131072, ...)."
  }
}

variable "zone" {
  description = "Availability zone of the primary (null lets Azure choose)."
  type        = string
  default     = null
}

variable "high_availability_mode" {
  description = "null (no HA), SameZone or ZoneRedundant. Not available on Burstable (B_) SKUs."
  type        = string
  default     = null

  validation {
    condition     = var.high_availability_mode == null || contains(["SameZone", "ZoneRedundant"], coalesce(var.high_availability_mode, "none"))
    error_message = "high_availability_mode must be null, SameZone or ZoneRedundant."
  }

  validation {
    condition     = var.high_availability_mode == null || !startswith(var.sku_name, "B_")
    error_message = "High availability needs a General Purpose or Memory Optimized SKU, not Burstable."
  }
}

variable "standby_availability_zone" {
  description = "Availability zone of the standby (ZoneRedundant HA)."
  type        = string
  default     = null
}

variable "backup_retention_days" {
  description = "Backup retention in days (7-35)."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_days >= 7 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 7 and 35."
  }
}

variable "geo_redundant_backup_enabled" {
  description = "Geo-redundant backups (only settable at creation)."
  type        = bool
  default     = false
}

variable "database_name" {
  description = "Name of the application database."
  type        = string
  default     = "pulse_analytics"
}

variable "app_principals" {
  description = "Map of PostgreSQL role name => Entra object id of the app identity that logs in as that role. Azurerm cannot create database roles: the module outputs the SQL (principal_statements)."
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
