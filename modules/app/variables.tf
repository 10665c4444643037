variable "resource_group_name" {
  description = "Resource group of the plan and the apps."
  type        = string
}

variable "location" {
  description = "Azure region of the plan and the apps."
  type        = string
}

variable "service_plan_name" {
  description = "Name of the App Service plan."
  type        = string
}

variable "web_app_name" {
  description = "Name of the Next.js web app (globally unique, <= 60 characters)."
  type        = string
}

variable "function_app_name" {
  description = "Name of the Python orchestrator function app (globally unique, <= 60 characters)."
  type        = string
}

variable "service_plan_sku_name" {
  description = "Dedicated Linux plan SKU (B1-B3, S1-S3, P0v3-P3v3, P1mv3-P5mv3). Consumption (Y1), Elastic Premium (EP*) and Flex Consumption (FC1) are rejected: they need an Azure Files content share, which only works with account keys."
  type        = string

  validation {
    condition     = can(regex("^(B[1-3]|S[1-3]|P[0-3]v3|P[1-5]mv3)$", var.service_plan_sku_name))
    error_message = "service_plan_sku_name must be a Dedicated SKU (B1-B3, S1-S3, P0v3-P3v3, P1mv3-P5mv3); Y1, EP1-EP3, FC1 and Free/Shared are not allowed."
  }
}

variable "service_plan_worker_count" {
  description = "Number of plan instances."
  type        = number
  default     = 1

  validation {
    condition     = var.service_plan_worker_count >= 1
    error_message = "service_plan_worker_count must be at least 1."
  }
}

variable "service_plan_zone_balancing_enabled" {
  description = "Spread instances across availability zones (Premium v3; at least 2 instances; changing it recreates the plan)."
  type        = bool
  default     = false

  validation {
    condition     = !var.service_plan_zone_balancing_enabled || var.service_plan_worker_count >= 2
    error_message = "Zone balancing needs service_plan_worker_count >= 2."
  }
}

variable "app_subnet_id" {
  description = "Subnet delegated to Microsoft.Web/serverFarms for regional VNet integration of both apps."
  type        = string
}

variable "node_version" {
  description = "Node.js version of the web app."
  type        = string
  default     = "20-lts"
}

variable "python_version" {
  description = "Python version of the function app."
  type        = string
  default     = "3.11"
}

variable "storage_account_name" {
  description = "Storage account of the Functions host (identity-based AzureWebJobsStorage) and of the apps' blobs (STORAGE_ACCOUNT_NAME)."
  type        = string
}

variable "storage_use_managed_identity" {
  description = "Value of STORAGE_USE_MANAGED_IDENTITY."
  type        = bool
  default     = true
}

variable "openai_endpoint" {
  description = "Azure OpenAI endpoint (OPENAI_ENDPOINT)."
  type        = string
}

variable "openai_api_version" {
  description = "Azure OpenAI API version (OPENAI_API_VERSION)."
  type        = string
}

variable "openai_deployment_names" {
  description = "Deployment names keyed core_chat, high_reasoning, realtime_audio, whisper, visual_asset (OPENAI_DEPLOYMENT_* settings)."
  type        = map(string)

  validation {
    condition     = alltrue([for k in ["core_chat", "high_reasoning", "realtime_audio", "whisper", "visual_asset"] : contains(keys(var.openai_deployment_names), k)])
    error_message = "openai_deployment_names needs core_chat, high_reasoning, realtime_audio, whisper and visual_asset."
  }
}

variable "openai_use_managed_identity" {
  description = "Value of OPENAI_USE_MANAGED_IDENTITY."
  type        = bool
  default     = true
}

variable "speech_endpoint" {
  description = "Endpoint of the Speech account, on its custom subdomain (SPEECH_ENDPOINT; function app only)."
  type        = string
}

variable "speech_region" {
  description = "Region of the Speech account (SPEECH_REGION; function app only)."
  type        = string
}

variable "speech_resource_id" {
  description = "Resource id of the Speech account (SPEECH_RESOURCE_ID; function app only): the Speech SDK's Entra ID authorization token is aad#<resource id>#<token>."
  type        = string
}

variable "postgres_host" {
  description = "PostgreSQL FQDN (PULSE_ANALYTICS_DB_HOST)."
  type        = string
}

variable "postgres_database_name" {
  description = "PostgreSQL database (PULSE_ANALYTICS_DB_NAME)."
  type        = string
}

variable "web_app_db_role_name" {
  description = "PostgreSQL role of the web app's identity (PULSE_ANALYTICS_DB_USER of the web app)."
  type        = string
}

variable "function_app_db_role_name" {
  description = "PostgreSQL role of the function app's identity (PULSE_ANALYTICS_DB_USER of the function app)."
  type        = string
}

variable "postgres_use_managed_identity" {
  description = "Value of POSTGRES_USE_MANAGED_IDENTITY."
  type        = bool
  default     = true
}

variable "key_vault_name" {
  description = "Vault holding the web app's remaining secrets (Key Vault references)."
  type        = string
}

variable "key_vault_uri" {
  description = "Vault URI (AZURE_KEYVAULT_URI)."
  type        = string
}

variable "nextauth_secret_name" {
  description = "Key Vault secret name of NEXTAUTH_SECRET."
  type        = string
}

variable "azure_ad_client_secret_name" {
  description = "Key Vault secret name of AZURE_AD_CLIENT_SECRET."
  type        = string
}

variable "application_insights_connection_string" {
  description = "Application Insights connection string (instrumentation key + endpoints; ingestion requires Entra ID because local auth is disabled)."
  type        = string
  sensitive   = true
}

variable "nextauth_url" {
  description = "NEXTAUTH_URL; null uses https://<web_app_name>.azurewebsites.net."
  type        = string
  default     = null
}

variable "azure_ad_client_id" {
  description = "AZURE_AD_CLIENT_ID: client id of the Entra app registration for user sign-in."
  type        = string
}

variable "azure_ad_tenant_id" {
  description = "AZURE_AD_TENANT_ID: tenant of that app registration."
  type        = string
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
