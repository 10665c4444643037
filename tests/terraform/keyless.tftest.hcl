# Keyless invariants of the planned values, for one environment at a time:
#   terraform test -test-directory=tests/terraform -var-file=envs/<env>/terraform.tfvars
# (tests/terraform/test_tftest.py runs it for every environment through the offline azurerm stand-in, which serves
# the schema; every resource here is mocked). Assertions can only read the root module and module outputs, so the
# whole configuration is planned once (the environment's toggles, the identities and the grants per scope), then each
# module holding a credential-bearing resource is planned on its own with the environment's values and the root's
# outputs, and its resources asserted. The expected grants are written here, independently of main.tf.

mock_provider "azurerm" {
  # Mocked computed values are known at plan time, so every run plans (nothing is applied, nothing torn down).
  override_during = plan

  # Mock ids shaped like real Azure ids: the rbac modules validate scope_id against the resource-id pattern.
  mock_data "azurerm_client_config" {
    defaults = {
      tenant_id       = "00000000-0000-0000-0000-00000000000a"
      subscription_id = "00000000-0000-0000-0000-00000000000b"
      client_id       = "00000000-0000-0000-0000-00000000000c"
      object_id       = "00000000-0000-0000-0000-00000000000d"
    }
  }
  mock_resource "azurerm_resource_group" {
    defaults = { id = "/subscriptions/00000000-0000-0000-0000-00000000000b/resourceGroups/rg-pulse-mock" }
  }
  # Distinct principals for the two app identities (what the role assignments are keyed on).
  mock_resource "azurerm_linux_web_app" {
    defaults = {
      identity = { principal_id = "00000000-0000-0000-0000-0000000000e1", tenant_id = "00000000-0000-0000-0000-00000000000a" }
    }
  }
  mock_resource "azurerm_linux_function_app" {
    defaults = {
      identity = { principal_id = "00000000-0000-0000-0000-0000000000f1", tenant_id = "00000000-0000-0000-0000-00000000000a" }
    }
  }
  mock_resource "azurerm_postgresql_flexible_server" {
    defaults = {
      id   = "/subscriptions/00000000-0000-0000-0000-00000000000b/resourceGroups/rg-pulse-mock/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-pulse-mock"
      fqdn = "psql-pulse-mock.postgres.database.azure.com"
    }
  }
  mock_resource "azurerm_storage_account" {
    defaults = {
      id                    = "/subscriptions/00000000-0000-0000-0000-00000000000b/resourceGroups/rg-pulse-mock/providers/Microsoft.Storage/storageAccounts/stpulsemock"
      primary_blob_endpoint = "https://stpulsemock.blob.core.windows.net/"
    }
  }
  mock_resource "azurerm_cognitive_account" {
    defaults = {
      id       = "/subscriptions/00000000-0000-0000-0000-00000000000b/resourceGroups/rg-pulse-mock/providers/Microsoft.CognitiveServices/accounts/oai-pulse-mock"
      endpoint = "https://oai-pulse-mock.openai.azure.com/"
    }
  }
  mock_resource "azurerm_key_vault" {
    defaults = {
      id        = "/subscriptions/00000000-0000-0000-0000-00000000000b/resourceGroups/rg-pulse-mock/providers/Microsoft.KeyVault/vaults/kv-pulse-mock"
      vault_uri = "https://kv-pulse-mock.vault.azure.net/"
    }
  }
  mock_resource "azurerm_application_insights" {
    defaults = {
      id                = "/subscriptions/00000000-0000-0000-0000-00000000000b/resourceGroups/rg-pulse-mock/providers/Microsoft.Insights/components/appi-pulse-mock"
      connection_string = "IngestionEndpoint=https://swedencentral-0.in.applicationinsights.azure.com/"
    }
  }
}


variables {
  # Shaped like the ids the root module would pass; the modules validate some of them.
  mock_subnet_id = "/subscriptions/00000000-0000-0000-0000-00000000000b/resourceGroups/rg-pulse-mock/providers/Microsoft.Network/virtualNetworks/vnet-pulse-mock/subnets/snet-mock"
  mock_zone_id   = "/subscriptions/00000000-0000-0000-0000-00000000000b/resourceGroups/rg-pulse-mock/providers/Microsoft.Network/privateDnsZones/privatelink.mock"
  mock_tenant_id = "00000000-0000-0000-0000-00000000000a"
  mock_deployer  = "00000000-0000-0000-0000-00000000000d"
  storage_role   = ["Storage Blob Data Contributor", "Storage Blob Data Owner", "Storage Queue Data Contributor", "Storage Table Data Contributor"]
  expected_grants = {
    # (identity, role) pairs per scope: the keyless design's whole RBAC, written here independently of main.tf.
    rbac_storage = {
      web_app_blob_data_contributor       = ["web_app", "Storage Blob Data Contributor"]
      function_app_blob_data_owner        = ["function_app", "Storage Blob Data Owner"]
      function_app_queue_data_contributor = ["function_app", "Storage Queue Data Contributor"]
      function_app_table_data_contributor = ["function_app", "Storage Table Data Contributor"]
    }
    rbac_openai = {
      web_app_openai_user      = ["web_app", "Cognitive Services OpenAI User"]
      function_app_openai_user = ["function_app", "Cognitive Services OpenAI User"]
    }
    rbac_speech = {
      function_app_speech_user = ["function_app", "Cognitive Services Speech User"]
    }
    rbac_keyvault = {
      web_app_secrets_user      = ["web_app", "Key Vault Secrets User"]
      function_app_secrets_user = ["function_app", "Key Vault Secrets User"]
    }
    rbac_monitoring = {
      web_app_metrics_publisher      = ["web_app", "Monitoring Metrics Publisher"]
      function_app_metrics_publisher = ["function_app", "Monitoring Metrics Publisher"]
    }
  }
}

# The whole configuration, applied against the mocks: every module's own validations hold with Azure-shaped ids,
# and the grants per scope are exactly the expected ones.
run "configuration" {
  command = plan

  assert {
    condition     = var.storage_account_shared_access_key_enabled == false && var.storage_default_oauth_authentication == true
    error_message = "The environment must keep shared keys off and OAuth the default (storage_account_shared_access_key_enabled = false, storage_default_oauth_authentication = true)."
  }
  assert {
    condition     = var.storage_use_managed_identity && var.openai_use_managed_identity && var.postgres_use_managed_identity
    error_message = "The environment must use managed identities for storage, OpenAI and PostgreSQL."
  }
  assert {
    condition     = output.web_app_principal_id != output.function_app_principal_id
    error_message = "The web app and the function app must have distinct identities."
  }
  assert {
    condition     = toset(keys(module.rbac_storage.role_assignment_ids)) == toset(keys(var.expected_grants.rbac_storage))
    error_message = "Storage role assignments differ from the expected (identity, role) pairs."
  }
  assert {
    condition     = toset(keys(module.rbac_openai.role_assignment_ids)) == toset(keys(var.expected_grants.rbac_openai))
    error_message = "OpenAI role assignments differ from the expected (identity, role) pairs."
  }
  assert {
    condition     = toset(keys(module.rbac_speech.role_assignment_ids)) == toset(keys(var.expected_grants.rbac_speech))
    error_message = "Speech role assignments differ from the expected (identity, role) pairs."
  }
  assert {
    condition     = toset(keys(module.rbac_keyvault.role_assignment_ids)) == toset(keys(var.expected_grants.rbac_keyvault))
    error_message = "Key Vault role assignments differ from the expected (identity, role) pairs."
  }
  assert {
    condition     = toset(keys(module.rbac_monitoring.role_assignment_ids)) == toset(keys(var.expected_grants.rbac_monitoring))
    error_message = "Application Insights role assignments differ from the expected (identity, role) pairs."
  }
}

run "storage_shared_keys_off_oauth_default" {
  command = plan
  module {
    source = "./modules/storage"
  }
  variables {
    name                            = run.configuration.storage_account_name
    resource_group_name             = run.configuration.resource_group_name
    location                        = var.location
    replication_type                = var.storage_replication_type
    shared_access_key_enabled       = var.storage_account_shared_access_key_enabled
    default_to_oauth_authentication = var.storage_default_oauth_authentication
    public_network_access_enabled   = var.public_network_access_enabled
    private_endpoint_enabled        = var.private_endpoints_enabled
    private_endpoint_subnet_id      = var.mock_subnet_id
    private_dns_zone_ids            = { blob = var.mock_zone_id, queue = var.mock_zone_id, table = var.mock_zone_id }
  }
  assert {
    condition     = azurerm_storage_account.main.shared_access_key_enabled == false
    error_message = "The storage account must disable shared key access."
  }
  assert {
    condition     = azurerm_storage_account.main.default_to_oauth_authentication == true
    error_message = "The storage account must make Entra ID (OAuth) the default authorization."
  }
  assert {
    condition     = !azurerm_storage_account.main.local_user_enabled && !azurerm_storage_account.main.sftp_enabled
    error_message = "The storage account must not have local users or SFTP (both authenticate without Entra ID)."
  }
}

run "key_vault_rbac_and_write_only_secrets" {
  command = plan
  module {
    source = "./modules/keyvault"
  }
  variables {
    name                          = "kv-pulse-mock"
    resource_group_name           = run.configuration.resource_group_name
    location                      = var.location
    tenant_id                     = var.mock_tenant_id
    public_network_access_enabled = var.public_network_access_enabled
    private_endpoint_enabled      = var.private_endpoints_enabled
    private_endpoint_subnet_id    = var.mock_subnet_id
    private_dns_zone_ids          = { vault = var.mock_zone_id }
    deployer_principal_id         = var.mock_deployer
    nextauth_secret               = var.nextauth_secret
    azure_ad_client_secret        = var.azure_ad_client_secret
  }
  assert {
    condition     = azurerm_key_vault.main.rbac_authorization_enabled == true
    error_message = "Key Vault must use Azure RBAC for the data plane (rbac_authorization_enabled = true), not access policies."
  }
  assert {
    condition     = azurerm_key_vault_secret.nextauth_secret.value == null && azurerm_key_vault_secret.azure_ad_client_secret.value == null
    error_message = "Secrets must be written with value_wo only, so no value is persisted in state or plan."
  }
}

run "openai_local_auth_off" {
  command = plan
  module {
    source = "./modules/cognitive_account"
  }
  variables {
    kind                          = "OpenAI"
    name                          = "oai-pulse-mock"
    custom_subdomain_name         = "oai-pulse-mock"
    resource_group_name           = run.configuration.resource_group_name
    location                      = var.location
    public_network_access_enabled = var.public_network_access_enabled
    # The keys of main.tf's local.openai_deployments (the environment's capacity overrides are keyed by them).
    deployments = {
      core_chat      = { model_name = "gpt-4o", model_version = "2024-11-20" }
      high_reasoning = { model_name = "o3-mini", model_version = "2025-01-31" }
      realtime_audio = { model_name = "gpt-4o-realtime-preview", model_version = "2024-12-17" }
      whisper        = { model_name = "whisper", model_version = "001", sku_name = "Standard" }
      visual_asset   = { model_name = "dall-e-3", model_version = "3.0", sku_name = "Standard" }
    }
    capacity_overrides         = var.openai_capacity_overrides
    private_endpoint_enabled   = var.private_endpoints_enabled
    private_endpoint_subnet_id = var.mock_subnet_id
    private_dns_zone_ids       = { openai = var.mock_zone_id }
  }
  assert {
    condition     = azurerm_cognitive_account.main.local_auth_enabled == false
    error_message = "The OpenAI account must disable local (API key) authentication."
  }
  assert {
    condition     = azurerm_cognitive_account.main.custom_subdomain_name == "oai-pulse-mock"
    error_message = "The OpenAI account needs a custom subdomain for Entra ID token authentication."
  }
}

run "speech_local_auth_off" {
  command = plan
  module {
    source = "./modules/cognitive_account"
  }
  variables {
    kind                          = "SpeechServices"
    name                          = "spch-pulse-mock"
    custom_subdomain_name         = "spch-pulse-mock"
    resource_group_name           = run.configuration.resource_group_name
    location                      = var.location
    public_network_access_enabled = var.public_network_access_enabled
    private_endpoint_enabled      = var.private_endpoints_enabled
    private_endpoint_subnet_id    = var.mock_subnet_id
    private_dns_zone_ids          = { cognitiveservices = var.mock_zone_id }
  }
  assert {
    condition     = azurerm_cognitive_account.main.kind == "SpeechServices" && azurerm_cognitive_account.main.local_auth_enabled == false
    error_message = "The Speech account must disable local (key) authentication."
  }
  assert {
    condition     = azurerm_cognitive_account.main.custom_subdomain_name == "spch-pulse-mock"
    error_message = "The Speech account needs a custom subdomain for Entra ID token authentication."
  }
  assert {
    condition     = azurerm_cognitive_account.main.network_acls[0].bypass == null
    error_message = "A Speech account refuses the trusted-services bypass (ARM: NetworkAclsBypassNotSupported)."
  }
  assert {
    condition     = length(module.private_endpoint.private_endpoint_ids) == (var.private_endpoints_enabled ? 1 : 0)
    error_message = "The Speech account must have a private endpoint wherever the environment uses private endpoints."
  }
}

run "monitoring_local_auth_off" {
  command = plan
  module {
    source = "./modules/monitoring"
  }
  variables {
    log_analytics_workspace_name = "log-pulse-mock"
    application_insights_name    = "appi-pulse-mock"
    resource_group_name          = run.configuration.resource_group_name
    location                     = var.location
    retention_in_days            = var.log_analytics_retention_days
  }
  assert {
    condition     = azurerm_application_insights.main.local_authentication_disabled == true
    error_message = "Application Insights must accept Entra ID ingestion only (local_authentication_disabled = true)."
  }
  assert {
    condition     = azurerm_log_analytics_workspace.main.local_authentication_enabled == false
    error_message = "The Log Analytics workspace must disable local (shared key) authentication."
  }
  assert {
    condition     = azurerm_monitor_scheduled_query_rules_alert_v2.key_use.enabled == true && length(azurerm_monitor_action_group.key_use.email_receiver) > 0
    error_message = "The key-use alert must be enabled and e-mail at least one receiver."
  }
}

run "postgres_entra_only" {
  command = plan
  module {
    source = "./modules/analytics_postgres"
  }
  variables {
    name                         = "psql-pulse-mock"
    resource_group_name          = run.configuration.resource_group_name
    location                     = var.location
    delegated_subnet_id          = var.mock_subnet_id
    private_dns_zone_id          = var.mock_zone_id
    tenant_id                    = var.mock_tenant_id
    entra_admin_object_id        = var.postgres_entra_admin_group_object_id
    entra_admin_name             = var.postgres_entra_admin_group_name
    sku_name                     = var.postgres_sku_name
    storage_mb                   = var.postgres_storage_mb
    backup_retention_days        = var.postgres_backup_retention_days
    geo_redundant_backup_enabled = var.postgres_geo_redundant_backup_enabled
    app_principals = {
      (run.configuration.web_app_name)      = run.configuration.web_app_principal_id
      (run.configuration.function_app_name) = run.configuration.function_app_principal_id
    }
  }
  assert {
    condition     = azurerm_postgresql_flexible_server.main.authentication[0].active_directory_auth_enabled == true
    error_message = "PostgreSQL must accept Entra ID authentication."
  }
  assert {
    condition     = azurerm_postgresql_flexible_server.main.authentication[0].password_auth_enabled == false
    error_message = "PostgreSQL must be Entra-only (password_auth_enabled = false)."
  }
  assert {
    condition     = azurerm_postgresql_flexible_server.main.administrator_password == null && azurerm_postgresql_flexible_server.main.administrator_password_wo == null
    error_message = "PostgreSQL must have no administrator password (not even write-only)."
  }
}

run "app_identity_based_host_storage" {
  command = plan
  module {
    source = "./modules/app"
  }
  variables {
    resource_group_name                    = run.configuration.resource_group_name
    location                               = var.location
    service_plan_name                      = "asp-pulse-mock"
    web_app_name                           = run.configuration.web_app_name
    function_app_name                      = run.configuration.function_app_name
    service_plan_sku_name                  = var.app_service_plan_sku_name
    service_plan_worker_count              = var.app_service_plan_worker_count
    service_plan_zone_balancing_enabled    = var.app_service_plan_zone_balancing_enabled
    app_subnet_id                          = var.mock_subnet_id
    storage_account_name                   = run.configuration.storage_account_name
    storage_use_managed_identity           = var.storage_use_managed_identity
    openai_endpoint                        = run.configuration.openai_endpoint
    openai_api_version                     = "2024-10-21"
    openai_deployment_names                = run.configuration.openai_deployment_names
    openai_use_managed_identity            = var.openai_use_managed_identity
    speech_endpoint                        = run.configuration.speech_endpoint
    speech_region                          = var.location
    speech_resource_id                     = run.configuration.speech_account_id
    postgres_host                          = run.configuration.postgres_server_fqdn
    postgres_database_name                 = run.configuration.postgres_database_name
    web_app_db_role_name                   = run.configuration.web_app_name
    function_app_db_role_name              = run.configuration.function_app_name
    postgres_use_managed_identity          = var.postgres_use_managed_identity
    key_vault_name                         = "kv-pulse-mock"
    key_vault_uri                          = run.configuration.key_vault_uri
    nextauth_secret_name                   = "nextauth-secret"
    azure_ad_client_secret_name            = "azure-ad-client-secret"
    application_insights_connection_string = "IngestionEndpoint=https://swedencentral-0.in.applicationinsights.azure.com/"
    azure_ad_client_id                     = var.azure_ad_client_id
    azure_ad_tenant_id                     = var.mock_tenant_id
  }
  assert {
    condition     = azurerm_linux_function_app.orchestrator.storage_uses_managed_identity == true && azurerm_linux_function_app.orchestrator.storage_account_access_key == null
    error_message = "The function app's host storage must use its managed identity, never an account key."
  }
  assert {
    condition     = azurerm_linux_function_app.orchestrator.identity[0].type == "SystemAssigned" && azurerm_linux_web_app.ui.identity[0].type == "SystemAssigned"
    error_message = "Both apps must have a system-assigned identity."
  }
  assert {
    condition = alltrue([for v in values(merge(azurerm_linux_web_app.ui.app_settings, azurerm_linux_function_app.orchestrator.app_settings)) :
    !can(regex("(?i)AccountKey=|SharedAccessSignature=|[?&]sig=|Password=|InstrumentationKey=", v))])
    error_message = "No app setting may carry a key, SAS, password or instrumentation key."
  }
  assert {
    condition     = !azurerm_linux_web_app.ui.ftp_publish_basic_authentication_enabled && !azurerm_linux_web_app.ui.webdeploy_publish_basic_authentication_enabled && !azurerm_linux_function_app.orchestrator.ftp_publish_basic_authentication_enabled && !azurerm_linux_function_app.orchestrator.webdeploy_publish_basic_authentication_enabled
    error_message = "Basic (publishing credential) authentication must be off on both apps."
  }
  assert {
    condition     = azurerm_linux_function_app.orchestrator.app_settings["SPEECH_USE_MANAGED_IDENTITY"] == "true" && !contains(keys(azurerm_linux_web_app.ui.app_settings), "SPEECH_ENDPOINT")
    error_message = "The orchestrator (the only identity that transcribes) must call Speech with its managed identity; the web app has no Speech access."
  }
}

run "storage_grants_one_per_identity_and_role_on_the_account" {
  command = plan
  module {
    source = "./modules/rbac/assignment"
  }
  variables {
    caller        = "modules/rbac/storage"
    scope_kind    = "storage account"
    allowed_roles = ["Storage Blob Data Owner", "Storage Blob Data Contributor", "Storage Queue Data Contributor", "Storage Table Data Contributor"]
    scope_id      = run.configuration.storage_account_id
    assignments = { for key, grant in var.expected_grants.rbac_storage : key => {
      principal_id         = grant[0] == "web_app" ? run.configuration.web_app_principal_id : run.configuration.function_app_principal_id
      role_definition_name = grant[1]
    } }
  }
  assert {
    condition     = alltrue([for ra in azurerm_role_assignment.this : ra.scope == run.configuration.storage_account_id])
    error_message = "Every storage grant must be scoped to the storage account itself."
  }
  assert {
    condition     = length(distinct([for ra in azurerm_role_assignment.this : "${ra.principal_id}/${ra.role_definition_name}"])) == length(azurerm_role_assignment.this)
    error_message = "Each (identity, role) pair must be granted once."
  }
}

# A cognitive account takes only its service's data-plane role: Cognitive Services User (lists keys) on Speech fails.
run "speech_key_listing_role_is_rejected" {
  command = plan
  module {
    source = "./modules/rbac/assignment"
  }
  variables {
    caller        = "modules/rbac/cognitive"
    scope_kind    = "Cognitive Services account"
    allowed_roles = ["Cognitive Services Speech User"]
    scope_id      = run.configuration.speech_account_id
    assignments = {
      function_app_cognitive_user = { principal_id = run.configuration.function_app_principal_id, role_definition_name = "Cognitive Services User" }
    }
  }
  expect_failures = [var.assignments]
}

# The module refuses what a least-privilege mistake looks like: a grant at resource-group scope and a broad role.
run "storage_grant_broader_than_the_account_is_rejected" {
  command = plan
  module {
    source = "./modules/rbac/assignment"
  }
  variables {
    caller        = "modules/rbac/storage"
    scope_kind    = "storage account"
    allowed_roles = ["Storage Blob Data Contributor"]
    scope_id      = run.configuration.resource_group_id
    assignments = {
      web_app_owner = { principal_id = run.configuration.web_app_principal_id, role_definition_name = "Owner" }
    }
  }
  expect_failures = [var.scope_id, var.assignments]
}

# The one private-endpoint module refuses an endpoint it could not register in DNS or place in a subnet.
run "private_endpoint_without_zone_or_subnet_is_rejected" {
  command = plan
  module {
    source = "./modules/private_endpoint"
  }
  variables {
    name                 = "kv-pulse-mock"
    resource_group_name  = run.configuration.resource_group_name
    location             = var.location
    target_resource_id   = run.configuration.storage_account_id
    endpoints            = { vault = { subresource_name = "vault", private_dns_zone = "vault" } }
    private_dns_zone_ids = { blob = var.mock_zone_id }
  }
  expect_failures = [var.private_dns_zone_ids, var.subnet_id]
}

run "private_endpoint_one_per_sub_resource" {
  command = plan
  module {
    source = "./modules/private_endpoint"
  }
  variables {
    name                 = "stpulsemock"
    resource_group_name  = run.configuration.resource_group_name
    location             = var.location
    subnet_id            = var.mock_subnet_id
    target_resource_id   = run.configuration.storage_account_id
    endpoints            = { for s in ["blob", "queue"] : s => { subresource_name = s, private_dns_zone = s } }
    private_dns_zone_ids = { blob = var.mock_zone_id, queue = var.mock_zone_id }
  }
  assert {
    condition     = alltrue([for k, pe in azurerm_private_endpoint.this : pe.name == "pe-stpulsemock-${k}" && one(pe.private_service_connection[0].subresource_names) == k])
    error_message = "Each endpoint must be named pe-<name>-<key> (the names the services' endpoints had) and connect to its own sub-resource."
  }
}

# The one cognitive-account module: model deployments only on an OpenAI account, only the kinds whose private DNS
# zone it knows, and the private endpoint in the zone of the kind.
run "cognitive_account_refuses_an_unknown_kind" {
  command = plan
  module {
    source = "./modules/cognitive_account"
  }
  variables {
    kind                  = "TextAnalytics"
    name                  = "lang-pulse-mock"
    custom_subdomain_name = "lang-pulse-mock"
    resource_group_name   = run.configuration.resource_group_name
    location              = var.location
  }
  expect_failures = [var.kind]
}

run "cognitive_account_refuses_deployments_on_speech" {
  command = plan
  module {
    source = "./modules/cognitive_account"
  }
  variables {
    kind                  = "SpeechServices"
    name                  = "spch-pulse-mock"
    custom_subdomain_name = "spch-pulse-mock"
    resource_group_name   = run.configuration.resource_group_name
    location              = var.location
    deployments           = { core_chat = { model_name = "gpt-4o", model_version = "2024-11-20" } }
  }
  expect_failures = [var.deployments]
}

run "cognitive_account_private_endpoint_in_the_zone_of_its_kind" {
  command = plan
  module {
    source = "./modules/cognitive_account"
  }
  variables {
    kind                       = "SpeechServices"
    name                       = "spch-pulse-mock"
    custom_subdomain_name      = "spch-pulse-mock"
    resource_group_name        = run.configuration.resource_group_name
    location                   = var.location
    private_endpoint_enabled   = true
    private_endpoint_subnet_id = var.mock_subnet_id
    # Only the Speech zone: an endpoint looking for the openai zone would fail modules/private_endpoint's validation.
    private_dns_zone_ids = { cognitiveservices = var.mock_zone_id }
  }
  assert {
    condition     = length(module.private_endpoint.private_endpoint_ids) == 1 && length(azurerm_cognitive_deployment.this) == 0
    error_message = "A Speech account gets one private endpoint (zone privatelink.cognitiveservices.azure.com) and no model deployments."
  }
}
