# ---------------------------------------------------------------------------------------------------------------------
# Identity of the deployment
# ---------------------------------------------------------------------------------------------------------------------

variable "environment" {
  description = "Deployment environment. Drives names, SKUs and network exposure."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of: dev, staging, prod."
  }
}

variable "location" {
  description = "Azure region for every resource. It must offer the five Azure OpenAI models of local.openai_deployments (main.tf) with their SKUs (e.g. swedencentral)."
  type        = string
}

variable "project_name" {
  description = "Short project name used in every resource name: 2-12 lowercase letters/digits, starting with a letter (storage account and Key Vault names are length-limited)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,11}$", var.project_name))
    error_message = "project_name must be 2-12 characters, lowercase letters and digits, starting with a letter."
  }
}

variable "name_suffix" {
  description = "Optional 0-4 lowercase letters/digits appended to globally unique names (storage account, Key Vault, OpenAI and Speech subdomains, web/function apps, PostgreSQL server)."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^[a-z0-9]{0,4}$", var.name_suffix))
    error_message = "name_suffix must be 0-4 lowercase letters or digits."
  }
}

variable "tags" {
  description = "Tags applied to every resource (environment, project and managed_by are always added)."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "subscription_id" {
  description = "Target subscription id. null lets the provider read ARM_SUBSCRIPTION_ID."
  type        = string
  default     = null
}

# ---------------------------------------------------------------------------------------------------------------------
# Keyless toggles. Every default is the secure value; a separate policy gate rejects the insecure ones.
# ---------------------------------------------------------------------------------------------------------------------

variable "storage_account_shared_access_key_enabled" {
  description = "Allow Shared Key (account key / SAS signed with a key) authorization on the storage account. Keep false."
  type        = bool
  default     = false
}

variable "storage_default_oauth_authentication" {
  description = "Make Entra ID (OAuth) the default authorization in the Azure portal for the storage account."
  type        = bool
  default     = true
}

variable "storage_use_managed_identity" {
  description = "Apps use their managed identity for Blob/Queue/Table access (app setting STORAGE_USE_MANAGED_IDENTITY)."
  type        = bool
  default     = true
}

variable "openai_use_managed_identity" {
  description = "Apps use their managed identity for Azure OpenAI (app setting OPENAI_USE_MANAGED_IDENTITY)."
  type        = bool
  default     = true
}

variable "postgres_use_managed_identity" {
  description = "Apps use an Entra token of their managed identity as the PostgreSQL password (app setting POSTGRES_USE_MANAGED_IDENTITY)."
  type        = bool
  default     = true
}

# ---------------------------------------------------------------------------------------------------------------------
# Secrets: supplied by CI as TF_VAR_nextauth_secret / TF_VAR_azure_ad_client_secret, written to Key Vault with
# value_wo (never in state, never in a plan file because the variables are ephemeral). Never put them in tfvars.
# ---------------------------------------------------------------------------------------------------------------------

variable "nextauth_secret" {
  description = "NextAuth.js signing secret. Written only to Key Vault (write-only argument). Supply as TF_VAR_nextauth_secret."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "azure_ad_client_secret" {
  description = "Client secret of the Entra app registration the web app signs users in with. Written only to Key Vault. Supply as TF_VAR_azure_ad_client_secret."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "key_vault_secrets_version" {
  description = "Version stamp of the two write-only Key Vault secrets. Increase it to write new values of nextauth_secret / azure_ad_client_secret."
  type        = number
  default     = 1

  validation {
    condition     = var.key_vault_secrets_version >= 1 && floor(var.key_vault_secrets_version) == var.key_vault_secrets_version
    error_message = "key_vault_secrets_version must be a positive integer."
  }
}

variable "deployer_principal_type" {
  description = "Principal type of whoever runs terraform apply (granted Key Vault Secrets Officer on the vault): ServicePrincipal for CI (OIDC), User for an engineer."
  type        = string
  default     = "ServicePrincipal"

  validation {
    condition     = contains(["ServicePrincipal", "User", "Group"], var.deployer_principal_type)
    error_message = "deployer_principal_type must be ServicePrincipal, User or Group."
  }
}

# ---------------------------------------------------------------------------------------------------------------------
# Network
# ---------------------------------------------------------------------------------------------------------------------

variable "vnet_address_space" {
  description = "Address space of the VNet (a /16 to /20); /24 subnets for app integration, PostgreSQL and private endpoints are carved from it."
  type        = string
}

variable "public_network_access_enabled" {
  description = "Whether storage, Key Vault, Azure OpenAI and Speech accept traffic from public networks. false requires private_endpoints_enabled = true."
  type        = bool
  default     = false
}

variable "private_endpoints_enabled" {
  description = "Create private endpoints (and privatelink DNS zones) for storage (blob, queue, table), Azure OpenAI, Speech and Key Vault."
  type        = bool
  default     = true

  validation {
    condition     = var.private_endpoints_enabled || var.public_network_access_enabled
    error_message = "With public_network_access_enabled = false the apps can only reach storage, Key Vault, OpenAI and Speech through private endpoints: set private_endpoints_enabled = true."
  }
}

# ---------------------------------------------------------------------------------------------------------------------
# Sizing per environment
# ---------------------------------------------------------------------------------------------------------------------

variable "app_service_plan_sku_name" {
  description = "Dedicated Linux App Service plan SKU shared by the web app and the function app (e.g. B1, S1, P0v3, P1v3)."
  type        = string
  default     = "B1"
}

variable "app_service_plan_worker_count" {
  description = "Number of instances of the App Service plan."
  type        = number
  default     = 1
}

variable "app_service_plan_zone_balancing_enabled" {
  description = "Spread plan instances across availability zones (Premium v3; changing it recreates the plan)."
  type        = bool
  default     = false
}

variable "storage_replication_type" {
  description = "Storage account replication (LRS, ZRS, GRS, GZRS, RAGRS, RAGZRS)."
  type        = string
  default     = "LRS"
}

variable "key_use_alert_email_receivers" {
  description = "Who the key-use alert (any account key, SAS or local auth in the logs) e-mails, keyed by a receiver name. Addresses are not secrets, but keep real ones out of examples."
  type        = map(string)
  nullable    = false
}

variable "log_analytics_retention_days" {
  description = "Retention of the Log Analytics workspace (and so of workspace-based Application Insights)."
  type        = number
  default     = 30
}

variable "openai_capacity_overrides" {
  description = "Per-deployment capacity overrides for Azure OpenAI, keyed like local.openai_deployments in main.tf (core_chat, high_reasoning, realtime_audio, whisper, visual_asset)."
  type        = map(number)
  default     = {}
  nullable    = false
}

variable "openai_api_version" {
  description = "Azure OpenAI data-plane API version the apps use (app setting OPENAI_API_VERSION)."
  type        = string
  default     = "2024-10-21"
}

variable "postgres_sku_name" {
  description = "PostgreSQL Flexible Server SKU (e.g. B_Standard_B1ms, GP_Standard_D2ds_v5)."
  type        = string
  default     = "B_Standard_B1ms"
}

variable "postgres_storage_mb" {
  description = "PostgreSQL storage size in MB."
  type        = number
  default     = 32768
}

variable "postgres_zone" {
  description = "Availability zone of the PostgreSQL primary (null lets Azure choose)."
  type        = string
  default     = null
}

variable "postgres_high_availability_mode" {
  description = "PostgreSQL high availability: null (off), SameZone or ZoneRedundant. Not available on Burstable SKUs."
  type        = string
  default     = null
}

variable "postgres_standby_zone" {
  description = "Availability zone of the PostgreSQL standby when postgres_high_availability_mode = ZoneRedundant."
  type        = string
  default     = null
}

variable "postgres_backup_retention_days" {
  description = "PostgreSQL backup retention (7-35 days)."
  type        = number
  default     = 7
}

variable "postgres_geo_redundant_backup_enabled" {
  description = "Geo-redundant PostgreSQL backups (can only be set when the server is created)."
  type        = bool
  default     = false
}

# ---------------------------------------------------------------------------------------------------------------------
# Entra ID
# ---------------------------------------------------------------------------------------------------------------------

variable "postgres_entra_admin_group_object_id" {
  description = "Object id of the Entra ID group that administers PostgreSQL (migrations run as a member of it, with a token)."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", var.postgres_entra_admin_group_object_id))
    error_message = "postgres_entra_admin_group_object_id must be a GUID."
  }
}

variable "postgres_entra_admin_group_name" {
  description = "Display name of that Entra ID group (the PostgreSQL role name of the administrator)."
  type        = string
}

variable "azure_ad_client_id" {
  description = "Application (client) id of the Entra app registration used by NextAuth in the web app (app setting AZURE_AD_CLIENT_ID; not a secret)."
  type        = string
}

variable "azure_ad_tenant_id" {
  description = "Tenant of that app registration (app setting AZURE_AD_TENANT_ID). null uses the tenant Terraform runs in."
  type        = string
  default     = null
}

variable "nextauth_url" {
  description = "Public URL of the web app (app setting NEXTAUTH_URL). null uses https://<web app default hostname>."
  type        = string
  default     = null
}
