locals {
  # Settings both apps carry. Booleans become the strings "true"/"false". No key, password or connection string.
  common_app_settings = {
    STORAGE_ACCOUNT_NAME                      = var.storage_account_name
    STORAGE_USE_MANAGED_IDENTITY              = var.storage_use_managed_identity ? "true" : "false"
    OPENAI_ENDPOINT                           = var.openai_endpoint
    OPENAI_USE_MANAGED_IDENTITY               = var.openai_use_managed_identity ? "true" : "false"
    OPENAI_API_VERSION                        = var.openai_api_version
    OPENAI_DEPLOYMENT_PERSONA_CORE_CHAT       = var.openai_deployment_names["core_chat"]
    OPENAI_DEPLOYMENT_PERSONA_HIGH_REASONING  = var.openai_deployment_names["high_reasoning"]
    OPENAI_DEPLOYMENT_PULSE_AUDIO_REALTIME    = var.openai_deployment_names["realtime_audio"]
    OPENAI_DEPLOYMENT_WHISPER                 = var.openai_deployment_names["whisper"]
    OPENAI_DEPLOYMENT_PERSONA_VISUAL_ASSET    = var.openai_deployment_names["visual_asset"]
    PULSE_ANALYTICS_DB_HOST                   = var.postgres_host
    PULSE_ANALYTICS_DB_NAME                   = var.postgres_database_name
    POSTGRES_USE_MANAGED_IDENTITY             = var.postgres_use_managed_identity ? "true" : "false"
    AZURE_KEYVAULT_URI                        = var.key_vault_uri
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING = "Authorization=AAD"
  }

  web_app_settings = merge(local.common_app_settings, {
    PULSE_ANALYTICS_DB_USER               = var.web_app_db_role_name
    APPLICATIONINSIGHTS_CONNECTION_STRING = var.application_insights_connection_string
    NEXTAUTH_URL                          = var.nextauth_url != null ? var.nextauth_url : "https://${var.web_app_name}.azurewebsites.net"
    AZURE_AD_CLIENT_ID                    = var.azure_ad_client_id
    AZURE_AD_TENANT_ID                    = var.azure_ad_tenant_id
    # Resolved by App Service with the app's system-assigned identity (Key Vault Secrets User). Built from names, not
    # from the secret resources, so the app does not wait on the secrets.
    NEXTAUTH_SECRET        = "@Microsoft.KeyVault(VaultName=${var.key_vault_name};SecretName=${var.nextauth_secret_name})"
    AZURE_AD_CLIENT_SECRET = "@Microsoft.KeyVault(VaultName=${var.key_vault_name};SecretName=${var.azure_ad_client_secret_name})"
  })

  function_app_settings = merge(local.common_app_settings, {
    PULSE_ANALYTICS_DB_USER = var.function_app_db_role_name
    # Identity-based host storage. The provider writes AzureWebJobsStorage__accountName itself
    # (storage_uses_managed_identity) and FUNCTIONS_WORKER_RUNTIME from application_stack; not repeated here.
    # APPLICATIONINSIGHTS_CONNECTION_STRING is site_config.application_insights_connection_string (the provider moves
    # that setting out of app_settings on read, so setting it here would show a diff on every plan).
    AzureWebJobsStorage__credential = "managedidentity"
    # Speech: only the orchestrator transcribes (it alone holds Cognitive Services Speech User). The account has no
    # usable key, so there is no toggle: the identity is the only way in.
    SPEECH_ENDPOINT             = var.speech_endpoint
    SPEECH_REGION               = var.speech_region
    SPEECH_RESOURCE_ID          = var.speech_resource_id
    SPEECH_USE_MANAGED_IDENTITY = "true"
  })
}

resource "azurerm_service_plan" "main" {
  name                   = var.service_plan_name
  resource_group_name    = var.resource_group_name
  location               = var.location
  os_type                = "Linux"
  sku_name               = var.service_plan_sku_name
  worker_count           = var.service_plan_worker_count
  zone_balancing_enabled = var.service_plan_zone_balancing_enabled
  tags                   = var.tags
}

resource "azurerm_linux_web_app" "ui" {
  #checkov:skip=CKV_AZURE_222:The public Next.js UI: end users reach it from the internet and sign in with Entra ID. The data services it calls stay private.
  #checkov:skip=CKV_AZURE_17:Browser-facing UI: users sign in with Entra ID (NextAuth). Mutual-TLS client certificates would lock ordinary browsers out.
  #checkov:skip=CKV_AZURE_13:Users sign in inside the app (NextAuth with the Entra app registration AZURE_AD_CLIENT_ID). App Service Easy Auth would add a second, conflicting sign-in.
  #checkov:skip=CKV_AZURE_88:Azure Files mounts authenticate with the storage account key, and shared keys are off (keyless). The app uses Blob storage with its managed identity.
  #checkov:skip=CKV_AZURE_213:The UI has no health endpoint yet, and a health_check_path that does not exist gets healthy instances evicted. Set it when the app ships one.
  name                = var.web_app_name
  resource_group_name = var.resource_group_name
  location            = var.location
  service_plan_id     = azurerm_service_plan.main.id

  https_only                                     = true
  client_certificate_enabled                     = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false
  virtual_network_subnet_id                      = var.app_subnet_id

  identity {
    type = "SystemAssigned"
  }

  site_config {
    always_on                = true
    ftps_state               = "Disabled"
    minimum_tls_version      = "1.2"
    scm_minimum_tls_version  = "1.2"
    remote_debugging_enabled = false
    http2_enabled            = true
    vnet_route_all_enabled   = true

    application_stack {
      node_version = var.node_version
    }
  }

  # HTTP logs, failed-request traces and detailed error pages go to the app's file system (bounded) for incident
  # review; they are never shown to clients. Telemetry goes to Application Insights.
  logs {
    detailed_error_messages = true
    failed_request_tracing  = true

    http_logs {
      file_system {
        retention_in_days = 7
        retention_in_mb   = 35
      }
    }
  }

  app_settings = local.web_app_settings

  tags = var.tags
}

# Host storage through the system-assigned identity (storage_uses_managed_identity; roles: Storage Blob Data Owner,
# Queue and Table Data Contributor, granted by module.rbac_storage in the root).
resource "azurerm_linux_function_app" "orchestrator" {
  #checkov:skip=CKV_AZURE_221:Code deployment reaches the app over its public endpoint (SCM, Entra ID only: basic-auth publishing is off). This design has no private endpoint for sites; adding one, with a deploy runner in the VNet, is a follow-up.
  name                = var.function_app_name
  resource_group_name = var.resource_group_name
  location            = var.location
  service_plan_id     = azurerm_service_plan.main.id

  storage_account_name          = var.storage_account_name
  storage_uses_managed_identity = true
  builtin_logging_enabled       = false
  functions_extension_version   = "~4"

  https_only                                     = true
  client_certificate_enabled                     = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false
  virtual_network_subnet_id                      = var.app_subnet_id

  identity {
    type = "SystemAssigned"
  }

  site_config {
    always_on                              = true
    ftps_state                             = "Disabled"
    minimum_tls_version                    = "1.2"
    scm_minimum_tls_version                = "1.2"
    remote_debugging_enabled               = false
    http2_enabled                          = true
    vnet_route_all_enabled                 = true
    application_insights_connection_string = var.application_insights_connection_string

    application_stack {
      python_version = var.python_version
    }
  }

  app_settings = local.function_app_settings

  tags = var.tags
}

# Audit trail: the resource's logs to the Log Analytics workspace (modules/diagnostic_settings).
module "diagnostic_settings" {
  source = "../diagnostic_settings"

  target_resource_ids = {
    web_app      = azurerm_linux_web_app.ui.id
    function_app = azurerm_linux_function_app.orchestrator.id
  }
  diagnostic_settings = var.diagnostic_settings
}
