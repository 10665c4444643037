data "azurerm_client_config" "current" {}

locals {
  env_short = lookup({ dev = "dev", staging = "stg", prod = "prd" }, var.environment)

  # e.g. pulse-prd; unique_prefix adds var.name_suffix for names that must be globally unique.
  name_prefix   = "${var.project_name}-${local.env_short}"
  unique_prefix = var.name_suffix == "" ? local.name_prefix : "${local.name_prefix}-${var.name_suffix}"

  names = {
    resource_group       = "rg-${local.name_prefix}"
    virtual_network      = "vnet-${local.name_prefix}"
    log_analytics        = "log-${local.name_prefix}"
    application_insights = "appi-${local.name_prefix}"
    storage_account      = substr(lower(replace("st${local.unique_prefix}", "-", "")), 0, 24) # <= 24, lowercase alnum
    key_vault            = substr(lower("kv-${local.unique_prefix}"), 0, 24)                  # <= 24
    openai               = "oai-${local.unique_prefix}"                                       # also the custom subdomain
    speech               = "spch-${local.unique_prefix}"                                      # also the custom subdomain
    postgres             = "psql-${local.unique_prefix}"
    service_plan         = "asp-${local.name_prefix}"
    web_app              = "app-${local.unique_prefix}-ui"
    function_app         = "func-${local.unique_prefix}-orchestrator"
  }

  # PostgreSQL role of each app identity (created by SQL, see module.analytics_postgres output principal_statements).
  web_app_db_role      = local.names.web_app
  function_app_db_role = local.names.function_app
  postgres_database    = "pulse_analytics"
  # Built from the server name rather than read from module.analytics_postgres, so that module.app does not depend on
  # the module that takes the app identities (no module-level cycle). Same value as the server's fqdn attribute.
  postgres_fqdn = "${local.names.postgres}.postgres.database.azure.com"

  tenant_id = data.azurerm_client_config.current.tenant_id

  # Azure OpenAI model deployments, keyed by purpose: the apps read one OPENAI_DEPLOYMENT_* setting per key (the app
  # module requires all five). var.openai_capacity_overrides resizes them per environment.
  openai_deployments = {
    core_chat = {
      model_name    = "gpt-4o"
      model_version = "2024-11-20"
      capacity      = 30
    }
    high_reasoning = {
      model_name    = "o3-mini"
      model_version = "2025-01-31"
      capacity      = 10
    }
    realtime_audio = {
      model_name    = "gpt-4o-realtime-preview"
      model_version = "2024-12-17"
      capacity      = 1
    }
    whisper = {
      model_name    = "whisper"
      model_version = "001"
      sku_name      = "Standard"
      capacity      = 1
    }
    visual_asset = {
      model_name    = "dall-e-3"
      model_version = "3.0"
      sku_name      = "Standard"
      capacity      = 1
    }
  }

  # Audit trail (AVM diagnostic_settings interface of every service module): logs to the workspace. No metrics: the
  # platform metrics are in Azure Monitor without a setting, and the storage services take other categories.
  diagnostic_settings = {
    workspace = {
      workspace_resource_id = module.monitoring.log_analytics_workspace_id
      log_groups            = ["allLogs"]
      metric_categories     = []
    }
  }

  common_tags = merge(var.tags, {
    environment = var.environment
    project     = var.project_name
    managed_by  = "terraform"
  })
}

resource "azurerm_resource_group" "main" {
  name     = local.names.resource_group
  location = var.location
  tags     = local.common_tags
}

# ---------------------------------------------------------------------------------------------------------------------
# Platform
# ---------------------------------------------------------------------------------------------------------------------

module "network" {
  source = "./modules/network"

  name                      = local.names.virtual_network
  resource_group_name       = azurerm_resource_group.main.name
  location                  = azurerm_resource_group.main.location
  address_space             = var.vnet_address_space
  private_endpoints_enabled = var.private_endpoints_enabled
  tags                      = local.common_tags
}

module "monitoring" {
  source = "./modules/monitoring"

  log_analytics_workspace_name  = local.names.log_analytics
  application_insights_name     = local.names.application_insights
  resource_group_name           = azurerm_resource_group.main.name
  location                      = azurerm_resource_group.main.location
  retention_in_days             = var.log_analytics_retention_days
  key_use_alert_email_receivers = var.key_use_alert_email_receivers
  tags                          = local.common_tags
}

module "storage" {
  source = "./modules/storage"

  name                            = local.names.storage_account
  resource_group_name             = azurerm_resource_group.main.name
  location                        = azurerm_resource_group.main.location
  replication_type                = var.storage_replication_type
  shared_access_key_enabled       = var.storage_account_shared_access_key_enabled
  default_to_oauth_authentication = var.storage_default_oauth_authentication
  public_network_access_enabled   = var.public_network_access_enabled
  private_endpoint_enabled        = var.private_endpoints_enabled
  private_endpoint_subnet_id      = module.network.private_endpoint_subnet_id
  private_dns_zone_ids            = module.network.private_endpoint_dns_zone_ids
  diagnostic_settings             = local.diagnostic_settings
  tags                            = local.common_tags
}

module "keyvault" {
  source = "./modules/keyvault"

  name                          = local.names.key_vault
  resource_group_name           = azurerm_resource_group.main.name
  location                      = azurerm_resource_group.main.location
  tenant_id                     = local.tenant_id
  public_network_access_enabled = var.public_network_access_enabled
  private_endpoint_enabled      = var.private_endpoints_enabled
  private_endpoint_subnet_id    = module.network.private_endpoint_subnet_id
  private_dns_zone_ids          = module.network.private_endpoint_dns_zone_ids
  deployer_principal_id         = data.azurerm_client_config.current.object_id
  deployer_principal_type       = var.deployer_principal_type
  nextauth_secret               = var.nextauth_secret
  azure_ad_client_secret        = var.azure_ad_client_secret
  secrets_version               = var.key_vault_secrets_version
  diagnostic_settings           = local.diagnostic_settings
  tags                          = local.common_tags
}

module "openai" {
  source = "./modules/cognitive_account"

  kind                          = "OpenAI"
  name                          = local.names.openai
  custom_subdomain_name         = local.names.openai
  resource_group_name           = azurerm_resource_group.main.name
  location                      = azurerm_resource_group.main.location
  public_network_access_enabled = var.public_network_access_enabled
  deployments                   = local.openai_deployments
  capacity_overrides            = var.openai_capacity_overrides
  private_endpoint_enabled      = var.private_endpoints_enabled
  private_endpoint_subnet_id    = module.network.private_endpoint_subnet_id
  private_dns_zone_ids          = module.network.private_endpoint_dns_zone_ids
  diagnostic_settings           = local.diagnostic_settings
  tags                          = local.common_tags
}

# A dedicated Speech account rather than an AI Services account: see modules/cognitive_account/README.md.
module "speech" {
  source = "./modules/cognitive_account"

  kind                          = "SpeechServices"
  name                          = local.names.speech
  custom_subdomain_name         = local.names.speech
  resource_group_name           = azurerm_resource_group.main.name
  location                      = azurerm_resource_group.main.location
  public_network_access_enabled = var.public_network_access_enabled
  private_endpoint_enabled      = var.private_endpoints_enabled
  private_endpoint_subnet_id    = module.network.private_endpoint_subnet_id
  private_dns_zone_ids          = module.network.private_endpoint_dns_zone_ids
  diagnostic_settings           = local.diagnostic_settings
  tags                          = local.common_tags
}

module "analytics_postgres" {
  source = "./modules/analytics_postgres"

  name                         = local.names.postgres
  resource_group_name          = azurerm_resource_group.main.name
  location                     = azurerm_resource_group.main.location
  delegated_subnet_id          = module.network.postgres_subnet_id
  private_dns_zone_id          = module.network.postgres_private_dns_zone_id
  tenant_id                    = local.tenant_id
  entra_admin_object_id        = var.postgres_entra_admin_group_object_id
  entra_admin_name             = var.postgres_entra_admin_group_name
  sku_name                     = var.postgres_sku_name
  storage_mb                   = var.postgres_storage_mb
  zone                         = var.postgres_zone
  high_availability_mode       = var.postgres_high_availability_mode
  standby_availability_zone    = var.postgres_standby_zone
  backup_retention_days        = var.postgres_backup_retention_days
  geo_redundant_backup_enabled = var.postgres_geo_redundant_backup_enabled
  database_name                = local.postgres_database
  app_principals = {
    (local.web_app_db_role)      = module.app.web_app_principal_id
    (local.function_app_db_role) = module.app.function_app_principal_id
  }
  diagnostic_settings = local.diagnostic_settings
  tags                = local.common_tags
}

module "app" {
  source = "./modules/app"

  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  service_plan_name   = local.names.service_plan
  web_app_name        = local.names.web_app
  function_app_name   = local.names.function_app

  service_plan_sku_name               = var.app_service_plan_sku_name
  service_plan_worker_count           = var.app_service_plan_worker_count
  service_plan_zone_balancing_enabled = var.app_service_plan_zone_balancing_enabled
  app_subnet_id                       = module.network.app_subnet_id

  storage_account_name         = module.storage.storage_account_name
  storage_use_managed_identity = var.storage_use_managed_identity

  openai_endpoint             = module.openai.endpoint
  openai_api_version          = var.openai_api_version
  openai_deployment_names     = module.openai.deployment_names
  openai_use_managed_identity = var.openai_use_managed_identity

  speech_endpoint    = module.speech.endpoint
  speech_region      = module.speech.region
  speech_resource_id = module.speech.account_id

  postgres_host                 = local.postgres_fqdn
  postgres_database_name        = local.postgres_database
  web_app_db_role_name          = local.web_app_db_role
  function_app_db_role_name     = local.function_app_db_role
  postgres_use_managed_identity = var.postgres_use_managed_identity

  key_vault_name              = module.keyvault.key_vault_name
  key_vault_uri               = module.keyvault.key_vault_uri
  nextauth_secret_name        = module.keyvault.secret_names.nextauth_secret
  azure_ad_client_secret_name = module.keyvault.secret_names.azure_ad_client_secret

  application_insights_connection_string = module.monitoring.application_insights_connection_string

  nextauth_url       = var.nextauth_url
  azure_ad_client_id = var.azure_ad_client_id
  azure_ad_tenant_id = coalesce(var.azure_ad_tenant_id, local.tenant_id)

  diagnostic_settings = local.diagnostic_settings
  tags                = local.common_tags
}

# Azure Policy guardrails on the resource group: Deny in staging and prod wherever the definition offers it.
module "guardrails" {
  source = "./modules/guardrails"

  resource_group_id = azurerm_resource_group.main.id
  deny_enabled      = var.environment != "dev"
}

# ---------------------------------------------------------------------------------------------------------------------
# RBAC: every role an app identity holds, on the one resource it needs. Keys are static (principal ids are unknown at
# plan time). Nothing else is granted; the deployer's Key Vault Secrets Officer lives inside module.keyvault.
# ---------------------------------------------------------------------------------------------------------------------

module "rbac_storage" {
  source = "./modules/rbac/storage"

  scope_id = module.storage.storage_account_id
  assignments = {
    web_app_blob_data_contributor = {
      principal_id         = module.app.web_app_principal_id
      role_definition_name = "Storage Blob Data Contributor"
      description          = "Web app reads and writes user uploads and generated assets."
    }
    function_app_blob_data_owner = {
      principal_id         = module.app.function_app_principal_id
      role_definition_name = "Storage Blob Data Owner"
      description          = "Functions host storage with identity (AzureWebJobsStorage): Blob Data Owner is the documented minimum."
    }
    function_app_queue_data_contributor = {
      principal_id         = module.app.function_app_principal_id
      role_definition_name = "Storage Queue Data Contributor"
      description          = "Functions queue triggers and blob-trigger receipts."
    }
    function_app_table_data_contributor = {
      principal_id         = module.app.function_app_principal_id
      role_definition_name = "Storage Table Data Contributor"
      description          = "Functions host diagnostic events in Table storage."
    }
  }
}

module "rbac_openai" {
  source = "./modules/rbac/cognitive"

  service  = "openai"
  scope_id = module.openai.account_id
  assignments = {
    web_app_openai_user = {
      principal_id         = module.app.web_app_principal_id
      role_definition_name = "Cognitive Services OpenAI User"
      description          = "Web app calls model deployments with an Entra ID token."
    }
    function_app_openai_user = {
      principal_id         = module.app.function_app_principal_id
      role_definition_name = "Cognitive Services OpenAI User"
      description          = "Orchestrator calls model deployments with an Entra ID token."
    }
  }
}

module "rbac_speech" {
  source = "./modules/rbac/cognitive"

  service  = "speech"
  scope_id = module.speech.account_id
  assignments = {
    function_app_speech_user = {
      principal_id         = module.app.function_app_principal_id
      role_definition_name = "Cognitive Services Speech User"
      description          = "Orchestrator transcribes and synthesises speech with an Entra ID token (no key listing)."
    }
  }
}

module "rbac_keyvault" {
  source = "./modules/rbac/keyvault"

  scope_id = module.keyvault.key_vault_id
  assignments = {
    web_app_secrets_user = {
      principal_id         = module.app.web_app_principal_id
      role_definition_name = "Key Vault Secrets User"
      description          = "Web app resolves its Key Vault references (NextAuth secret, Entra client secret)."
    }
    function_app_secrets_user = {
      principal_id         = module.app.function_app_principal_id
      role_definition_name = "Key Vault Secrets User"
      description          = "Orchestrator reads the secrets it needs at run time."
    }
  }
}

module "rbac_monitoring" {
  source = "./modules/rbac/monitoring"

  scope_id = module.monitoring.application_insights_id
  assignments = {
    web_app_metrics_publisher = {
      principal_id         = module.app.web_app_principal_id
      role_definition_name = "Monitoring Metrics Publisher"
      description          = "Web app sends telemetry to Application Insights with local authentication disabled."
    }
    function_app_metrics_publisher = {
      principal_id         = module.app.function_app_principal_id
      role_definition_name = "Monitoring Metrics Publisher"
      description          = "Function app sends telemetry to Application Insights with local authentication disabled."
    }
  }
}
