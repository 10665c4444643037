"""Every rule on the good fixture (quiet) and on at least one bad copy of it (firing, for that reason only)."""
from __future__ import annotations

import os
import shutil

import pytest

from pulse_gate import policy_data
from pulse_gate.gate import env_models
from pulse_gate.rules import RULES, run_rules

HERE = os.path.dirname(os.path.abspath(__file__))
GOOD = os.path.join(HERE, "fixtures", "good")
POLICY = policy_data.load(os.path.join(HERE, "fixtures", "policy.toml"))

TFVARS = "envs/test/terraform.tfvars"
BACKEND = "envs/test/backend.hcl"

# (id, rule expected to fire, [(file, old text, new text)], a phrase the finding must contain)
BAD = [
    ("shared-key-on", "ST001", [("main.tf", "shared_access_key_enabled       = var.storage_account_shared_access_key_enabled",
                                 "shared_access_key_enabled       = true")], "is true"),
    ("shared-key-from-tfvars", "ST001", [(TFVARS, "shared_access_key_enabled = false",
                                          "shared_access_key_enabled = true")], "envs/test/terraform.tfvars:1"),
    ("shared-key-absent", "ST001", [("main.tf", "  shared_access_key_enabled       = var.storage_account_shared_access_key_enabled\n", "")],
     "azurerm 4.x default: true"),
    ("oauth-off", "ST002", [(TFVARS, "storage_default_oauth_authentication      = true",
                             "storage_default_oauth_authentication      = false")], "is false"),
    ("https-off", "ST003", [("main.tf", "https_traffic_only_enabled      = true",
                             "https_traffic_only_enabled      = false")], "must be true"),
    ("tls10", "ST004", [("main.tf", 'min_tls_version                 = "TLS1_2"',
                         'min_tls_version                 = "TLS1_0"')], "TLS1_0"),
    ("public-blobs", "ST005", [("main.tf", "allow_nested_items_to_be_public = false",
                                "allow_nested_items_to_be_public = true")], "must be false"),
    ("local-users", "ST006", [("main.tf", "local_user_enabled              = false",
                               "local_user_enabled              = true")], "local_user_enabled"),
    ("openai-keys", "OA001", [("main.tf", "local_auth_enabled    = false", "local_auth_enabled    = true")],
     "is true; must be false - fix: set local_auth_enabled = false; apps call with a token (Cognitive Services OpenAI User)"),
    ("speech-keys", "OA001", [("main.tf", 'kind                  = "OpenAI"\n  sku_name              = "S0"\n'
                               "  local_auth_enabled    = false",
                               'kind                  = "SpeechServices"\n  sku_name              = "S0"\n'
                               "  local_auth_enabled    = true")], "(Cognitive Services Speech User)"),
    ("openai-keys-unknown", "OA001", [("main.tf", "local_auth_enabled    = false",
                                       "local_auth_enabled    = timestamp() == \"x\"")], "cannot prove"),
    ("openai-no-subdomain", "OA002", [("main.tf", '  custom_subdomain_name = "oai-fixture"\n', "")], "not set"),
    ("other-kind-keys", "OA001", [("main.tf", 'kind                  = "OpenAI"\n  sku_name              = "S0"\n'
                                   "  local_auth_enabled    = false",
                                   'kind                  = "TextAnalytics"\n  sku_name              = "S0"\n'
                                   "  local_auth_enabled    = true")],
     "through the service's data-plane role (not Cognitive Services User: it lists keys)"),
    ("ai-services-keys", "OA001", [("main.tf", "local_authentication_enabled = false",
                                    "local_authentication_enabled = true")],
     "azurerm_ai_services.foundry.local_authentication_enabled (main.tf:"),
    ("ai-services-keys-default", "OA001", [("main.tf", "  local_authentication_enabled = false\n", "")],
     "local_authentication_enabled is not set (azurerm 4.x default: true)"),
    ("ai-services-local-auth-3x-name", "OA001", [("main.tf", "local_authentication_enabled = false",
                                                  "local_auth_enabled           = false")],
     "azurerm_ai_services.foundry.local_authentication_enabled"),
    ("ai-services-cognitive-name", "EV003", [("main.tf", "local_authentication_enabled = false",
                                              "local_auth_enabled           = false")],
     'no argument or block "local_auth_enabled" here (azurerm 4.x uses "local_authentication_enabled" instead)'),
    ("ai-services-no-subdomain", "OA002", [("main.tf", '  custom_subdomain_name        = "ais-fixture"\n', "")],
     "azurerm_ai_services.foundry.custom_subdomain_name"),
    ("kv-access-policies", "KV001", [("main.tf", "rbac_authorization_enabled = true",
                                      "rbac_authorization_enabled = false")], "must be true"),
    ("kv-no-purge", "KV002", [("main.tf", "purge_protection_enabled   = true",
                               "purge_protection_enabled   = false")], "purge_protection_enabled"),
    ("kv-policy-block", "KV003", [("main.tf", "  purge_protection_enabled   = true\n",
                                   "  purge_protection_enabled   = true\n  access_policy {\n    tenant_id = \"t\"\n"
                                   "    object_id = \"o\"\n  }\n")], "access_policy"),
    ("pg-no-entra", "PG001", [("main.tf", "active_directory_auth_enabled = true",
                               "active_directory_auth_enabled = false")], "must be true"),
    ("pg-password", "PG002", [("main.tf", "password_auth_enabled         = false",
                               "password_auth_enabled         = true")], "must be false"),
    ("pg-no-admin", "PG003", [("main.tf", "server_name         = azurerm_postgresql_flexible_server.main.name",
                               'server_name         = "some-other-server"')], "no Entra ID administrator"),
    ("pg-literal-password", "PG004", [("main.tf", '  version             = "16"\n',
                                       '  version             = "16"\n  administrator_password = "P4ssw0rd!"\n')],
     "literal"),
    ("app-no-identity", "AP001", [("main.tf", '  identity {\n    type = "SystemAssigned"\n  }\n\n  site_config {\n'
                                   '    ftps_state               = "Disabled"\n    minimum_tls_version      = "1.2"\n'
                                   '    remote_debugging_enabled = false\n  }\n\n  app_settings = merge(local.common_settings, {\n'
                                   '    NEXTAUTH_SECRET',
                                   '  site_config {\n    ftps_state               = "Disabled"\n'
                                   '    minimum_tls_version      = "1.2"\n    remote_debugging_enabled = false\n  }\n\n'
                                   '  app_settings = merge(local.common_settings, {\n    NEXTAUTH_SECRET')], "identity"),
    ("func-host-key", "AP002", [("main.tf", "storage_uses_managed_identity                  = true",
                                 "storage_account_access_key = azurerm_storage_account.main.primary_access_key")],
     "storage_uses_managed_identity"),
    ("func-consumption", "AP003", [("main.tf", 'default = "P1v3"', 'default = "Y1"')], "Y1"),
    ("func-elastic-premium", "AP003", [("main.tf", 'default = "P1v3"', 'default = "EP1"')], "content share"),
    ("setting-account-key", "AP004", [("main.tf", 'AzureWebJobsStorage__credential = "managedidentity"',
                                       'AzureWebJobsStorage = "DefaultEndpointsProtocol=https;AccountName=x;'
                                       'AccountKey=${azurerm_storage_account.main.primary_access_key}"')],
     "AzureWebJobsStorage"),
    ("setting-sas", "AP004", [("main.tf", 'AzureWebJobsStorage__credential = "managedidentity"',
                               'BLOB_URL = "https://x.blob.core.windows.net/c?sv=2022&sig=abc"')], "sig"),
    ("setting-password-url", "AP004", [("main.tf", 'AzureWebJobsStorage__credential = "managedidentity"',
                                        'DATABASE_URL = "postgres://pulse:hunter2@db:5432/pulse"')], "credential"),
    ("setting-api-key-name", "AP004", [("main.tf", 'AzureWebJobsStorage__credential = "managedidentity"',
                                        'AZURE_OPENAI_API_KEY = "abc123"')], "named like a credential"),
    ("setting-secret-ref", "AP004", [("main.tf", 'AzureWebJobsStorage__credential = "managedidentity"',
                                      "OPENAI_KEY = azurerm_cognitive_account.main.primary_access_key")],
     "secret-bearing"),
    ("setting-not-kv-ref", "AP004", [("main.tf",
                                      'NEXTAUTH_SECRET = "@Microsoft.KeyVault(VaultName=${azurerm_key_vault.main.name};SecretName=nextauth-secret)"',
                                      "NEXTAUTH_SECRET = var.nextauth_secret")], "not a Key Vault reference"),
    ("connection-string-block", "AP004", [("main.tf", "  app_settings = merge(local.common_settings, {\n    NEXTAUTH",
                                           '  connection_string {\n    name  = "db"\n    type  = "PostgreSQL"\n'
                                           '    value = "Server=db;Password=x"\n  }\n\n'
                                           "  app_settings = merge(local.common_settings, {\n    NEXTAUTH")],
     "connection string"),
    ("mi-flag-off", "AP005", [(TFVARS, "storage_default_oauth_authentication      = true",
                               "storage_default_oauth_authentication      = true\nopenai_use_managed_identity = false")],
     "OPENAI_USE_MANAGED_IDENTITY"),
    ("app-http", "AP006", [("main.tf", "https_only                                     = true",
                            "https_only                                     = false")], "https_only"),
    ("app-ftp", "AP007", [("main.tf", 'ftps_state               = "Disabled"', 'ftps_state               = "AllAllowed"')],
     "AllAllowed"),
    ("app-tls11", "AP008", [("main.tf", 'minimum_tls_version      = "1.2"', 'minimum_tls_version      = "1.1"')], "1.1"),
    ("app-basic-auth", "AP009", [("main.tf", "ftp_publish_basic_authentication_enabled       = false",
                                  "ftp_publish_basic_authentication_enabled       = true")], "ftp_publish"),
    ("app-remote-debug", "AP010", [("main.tf", "remote_debugging_enabled = false", "remote_debugging_enabled = true")],
     "remote_debugging_enabled"),
    ("rbac-missing-owner", "RB001", [("main.tf", 'role = "Storage Blob Data Owner"', 'role = "Storage Blob Data Reader"')],
     "lacks Storage Blob Data Owner"),
    ("rbac-wrong-resource", "RB001", [("main.tf", 'role = "Storage Queue Data Contributor", scope = azurerm_storage_account.main.id',
                                       'role = "Storage Queue Data Contributor", scope = azurerm_key_vault.main.id')],
     "lacks Storage Queue Data Contributor"),
    ("rbac-extra-role", "RB002", [("main.tf", "    deployer   = {",
                                   '    extra      = { principal = local.web, role = "Storage Blob Data Reader", scope = azurerm_storage_account.main.id }\n    deployer   = {')],
     "does not list"),
    ("rbac-rg-scope", "RB002", [("main.tf", "    deployer   = {",
                                 '    web_rg     = { principal = local.web, role = "Key Vault Secrets User", scope = azurerm_resource_group.main.id }\n    deployer   = {')],
     "broader"),
    ("rbac-owner", "RB003", [("main.tf", "    deployer   = {",
                              '    web_owner  = { principal = local.fn, role = "Owner", scope = azurerm_storage_account.main.id }\n    deployer   = {')],
     "Owner"),
    ("rbac-unknown-principal", "RB004", [("main.tf", "    deployer   = {",
                                          '    stranger   = { principal = "11111111-2222-3333-4444-555555555555", role = "Key Vault Secrets User", scope = azurerm_key_vault.main.id }\n    deployer   = {')],
     "not an identity"),
    ("provider-keys", "PL001", [("main.tf", "  storage_use_azuread = true\n", "")], "storage_use_azuread"),
    ("backend-key", "PL002", [(BACKEND, "use_azuread_auth     = true", 'access_key = "c2VjcmV0"')], "access_key"),
    ("backend-rg", "PL002", [(BACKEND, "use_azuread_auth     = true",
                              'use_azuread_auth = true\nresource_group_name = "rg-state"')], "resource_group_name"),
    ("tfvars-secret", "PL003", [(TFVARS, "storage_default_oauth_authentication      = true",
                                 'storage_default_oauth_authentication      = true\nnextauth_secret = "not-a-real-secret"')],
     "sensitive"),
    ("sensitive-default", "PL003", [("main.tf", "  type      = string\n  sensitive = true\n",
                                     '  type      = string\n  sensitive = true\n  default   = "changeme"\n')],
     "literal default"),
    ("toggle-insecure", "PL004", [(TFVARS, "storage_default_oauth_authentication      = true",
                                   "storage_default_oauth_authentication      = true\npostgres_use_managed_identity = false")],
     "postgres_use_managed_identity ends up false"),
    ("key-in-kv-secret", "PL005", [("main.tf", 'module "rbac" {',
                                    'resource "azurerm_key_vault_secret" "storage" {\n  name         = "storage-cs"\n'
                                    '  key_vault_id = azurerm_key_vault.main.id\n'
                                    '  value        = azurerm_storage_account.main.primary_connection_string\n}\n\n'
                                    'module "rbac" {')], "primary_connection_string"),
    ("sas-data-source", "PL005", [("main.tf", 'module "rbac" {',
                                   'data "azurerm_storage_account_sas" "upload" {\n'
                                   '  connection_string = azurerm_storage_account.main.primary_connection_string\n}\n\n'
                                   'module "rbac" {')], "signs a SAS"),
    ("flex-key-auth", "AP002", [("main.tf", 'module "rbac" {',
                                 'resource "azurerm_function_app_flex_consumption" "jobs" {\n'
                                 '  name                                           = "func-flex"\n'
                                 '  https_only                                     = true\n'
                                 '  webdeploy_publish_basic_authentication_enabled = false\n'
                                 '  storage_authentication_type                    = "StorageAccountConnectionString"\n'
                                 '  storage_access_key = azurerm_storage_account.main.primary_access_key\n'
                                 '  identity {\n    type = "SystemAssigned"\n  }\n}\n\nmodule "rbac" {')],
     "storage_authentication_type is"),
    ("flex-no-identity", "AP001", [("main.tf", 'module "rbac" {',
                                    'resource "azurerm_function_app_flex_consumption" "jobs" {\n'
                                    '  name                                           = "func-flex"\n'
                                    '  https_only                                     = true\n'
                                    '  webdeploy_publish_basic_authentication_enabled = false\n'
                                    '  storage_authentication_type                    = "SystemAssignedIdentity"\n'
                                    '}\n\nmodule "rbac" {')], "azurerm_function_app_flex_consumption.jobs"),
    ("external-data", "PL006", [("main.tf", 'module "rbac" {',
                                 'data "external" "token" {\n  program = ["sh", "-c", "az account get-access-token"]\n}\n\n'
                                 'module "rbac" {')], 'data.external.token (main.tf:'),
    ("local-exec", "PL006", [("main.tf", "  sftp_enabled                    = false\n",
                              "  sftp_enabled                    = false\n\n  provisioner \"local-exec\" {\n"
                              "    command = \"az storage account keys list -n ${self.name}\"\n  }\n")],
     'azurerm_storage_account.main.provisioner[0] (main.tf:78): provisioner "local-exec" runs a command on the runner'),
    ("terraform-data-remote-exec", "PL006", [("main.tf", "  input = var.environment\n",
                                              "  input = var.environment\n\n  provisioner \"file\" {\n"
                                              "    content     = \"x\"\n    destination = \"/tmp/x\"\n  }\n"
                                              "  provisioner \"remote-exec\" {\n    inline = [\"id\"]\n  }\n\n"
                                              "  connection {\n    host = \"10.0.0.4\"\n  }\n")],
     'terraform_data.release.provisioner[1] (main.tf:217): provisioner "remote-exec" runs commands on another host'
     " during apply, over a connection whose credentials it must hold, with the pipeline's OIDC token and Azure"
     " login in reach; terraform_data exists only to run it"),
    ("invalid-environment", "EV002", [(TFVARS, "storage_default_oauth_authentication      = true",
                                       'storage_default_oauth_authentication      = true\nenvironment = "qa"')],
     "not qa"),
    ("v3-argument", "EV003", [("main.tf", "https_traffic_only_enabled      = true",
                               "enable_https_traffic_only       = false")],
     'enable_https_traffic_only" here (azurerm 4.x uses "https_traffic_only_enabled" instead)'),
    # Terraform rejects an unknown argument whatever its value: null too.
    ("v3-argument-null", "EV003", [("main.tf", "https_traffic_only_enabled      = true",
                                    "enable_https_traffic_only       = null")], "enable_https_traffic_only"),
    ("unknown-dynamic-block", "EV003", [("main.tf", "  sftp_enabled                    = false\n",
                                         "  sftp_enabled                    = false\n\n  dynamic \"network_rule\" {\n"
                                         "    for_each = []\n    content {\n      default_action = \"Deny\"\n"
                                         "    }\n  }\n")],
     'no argument or block "network_rule" here (did you mean "network_rules"?)'),
    ("v3-nested-argument", "EV003", [("main.tf", 'minimum_tls_version      = "1.2"', 'min_tls_version          = "1.0"')],
     "azurerm_linux_web_app.ui.site_config.min_tls_version (main.tf:"),
    ("unknown-block", "EV003", [("main.tf", "  sftp_enabled                    = false\n",
                                 "  sftp_enabled                    = false\n\n  site_config {\n    ftps_state = \"Disabled\"\n  }\n")],
     'no argument or block "site_config"'),
    ("v3-type", "EV003", [("main.tf", 'module "rbac" {',
                           'resource "azurerm_app_service" "legacy" {\n  name                = "app-legacy"\n'
                           '  location            = "westeurope"\n  resource_group_name = "rg-fixture"\n'
                           '  app_service_plan_id = "plan"\n  https_only          = false\n}\n\nmodule "rbac" {')],
     "use azurerm_linux_web_app or azurerm_windows_web_app"),
    ("removed-type", "EV003", [("main.tf", 'module "rbac" {',
                                'resource "azurerm_sql_server" "legacy" {\n  name    = "sql-legacy"\n  version = "12.0"\n}\n\n'
                                'module "rbac" {')], "no resource type azurerm_sql_server (removed in 4.0)"),
    ("azapi-storage-account", "EV004", [("main.tf", 'module "rbac" {',
                                         'resource "azapi_resource" "st" {\n'
                                         '  type      = "Microsoft.Storage/storageAccounts@2023-05-01"\n'
                                         '  name      = "stazapi"\n  parent_id = azurerm_resource_group.main.id\n'
                                         '  body      = { properties = { allowSharedKeyAccess = true } }\n}\n\n'
                                         'module "rbac" {')], "written through azapi"),
    ("azapi-type-not-known", "EV004", [("main.tf", 'module "rbac" {',
                                        'resource "azapi_resource" "any" {\n'
                                        '  type      = azurerm_resource_group.main.id\n'
                                        '  name      = "x"\n  parent_id = azurerm_resource_group.main.id\n}\n\n'
                                        'module "rbac" {')], "cannot tell which Azure resource"),
    ("argument-unknown-on-a-type-we-do-not-use", "EV003", [("main.tf", 'module "rbac" {',
                                              'resource "azurerm_storage_queue" "jobs" {\n  name = "jobs"\n'
                                              '  storage_account_id = azurerm_storage_account.main.id\n'
                                              '  public = true\n}\n\nmodule "rbac" {')],
     'has no argument or block "public"'),
    ("no-logs-for-vault", "MO001", [("main.tf", "    vault        = azurerm_key_vault.main.id\n", "")],
     "azurerm_key_vault.main (main.tf:98): no diagnostic setting sends this resource's logs"),
    ("no-logs-for-queues", "MO001", [("main.tf", '    queue        = "${azurerm_storage_account.main.id}/queueServices/default"\n', "")],
     "no diagnostic setting sends the logs of queueServices"),
    ("logs-to-storage-not-workspace", "MO001", [("main.tf", "  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id\n",
                                                 "  storage_account_id         = azurerm_storage_account.main.id\n")],
     "azurerm_linux_function_app.orchestrator (main.tf:183): no diagnostic setting"),
    ("metrics-only", "MO001", [("main.tf", '  enabled_log {\n    category_group = "allLogs"\n  }\n',
                                '  enabled_metric {\n    category = "AllMetrics"\n  }\n')], "key or local-auth use would leave no trace"),
    ("target-not-provable", "MO001", [("main.tf", "    openai       = azurerm_cognitive_account.main.id\n",
                                       "    openai       = lower(azurerm_cognitive_account.main.id)\n")],
     "azurerm_cognitive_account.main (main.tf:79)"),
    ("key-use-alert-disabled", "MO002", [("main.tf", "  enabled              = true\n", "  enabled              = false\n")],
     "azurerm_monitor_scheduled_query_rules_alert_v2.key_use.enabled"),
    ("key-use-alert-no-action", "MO002", [("main.tf", "  action {\n    action_groups = [azurerm_monitor_action_group.ops.id]\n  }\n", "")],
     "notifies no action group"),
    ("key-use-alert-missing", "MO002", [("main.tf", 'where AuthenticationType in (\\"AccountKey\\", \\"SAS\\")', 'where StatusCode == 500')],
     "azurerm_log_analytics_workspace.main (main.tf:"),
    ("guardrail-audit-where-deny", "GR001", [("main.tf", 'jsonencode({ effect = { value = "Deny" } })',
                                              'jsonencode({ effect = { value = "Audit" } })')],
     "storage_shared_key_access effect is Audit; must be Deny in test"),
    ("guardrail-effect-left-to-default", "GR001", [("main.tf", '  parameters           = jsonencode({ effect = { value = "Deny" } })\n', "")],
     "not set (the definition's default, Audit)"),
    ("guardrail-missing", "GR001", [("main.tf", "2b9ad585-36bc-4615-b300-fd4435808332", "0da106f2-4ca3-48e8-bc85-c638fe6aea8f")],
     "azurerm_resource_group.main (main.tf:59): the built-in policy web_app_managed_identity"),
    ("guardrail-not-enforced", "GR001", [("main.tf", '  parameters           = jsonencode({ effect = { value = "Deny" } })\n',
                                          '  parameters           = jsonencode({ effect = { value = "Deny" } })\n  enforce              = false\n')],
     "enforce is false"),
    ("guardrail-effect-unknown", "GR001", [("main.tf", 'jsonencode({ effect = { value = "Deny" } })',
                                            'jsonencode({ effect = { value = azurerm_storage_account.main.id } })')],
     "cannot prove the storage_shared_key_access effect is Deny"),
    ("remote-module", "EV001", [("main.tf", 'module "rbac" {', 'module "extra" {\n  source = "Azure/avm-res-storage/azurerm"\n}\n\nmodule "rbac" {')],
     "not evaluated"),
]

# A bad case may, by construction, also trip a rule that depends on the same value; list those here.
ALSO = {
    "shared-key-from-tfvars": {"PL004"}, "oauth-off": {"PL004"},
    "func-host-key": {"AP004", "PL005"}, "setting-account-key": {"PL005"}, "setting-secret-ref": {"PL005"},
    "mi-flag-off": {"PL004"}, "rbac-missing-owner": {"RB002"},
    "rbac-wrong-resource": {"RB002"}, "rbac-owner": {"RB002"},
    "toggle-insecure": {"AP005"},
    # local_auth_enabled is the cognitive account's name: on azurerm_ai_services it is unknown, and ignored.
    "ai-services-local-auth-3x-name": {"EV003"}, "ai-services-cognitive-name": {"OA001"},
    # A Flex Consumption app added without a diagnostic setting of its own also has no audit trail.
    "flex-key-auth": {"PL005", "MO001"}, "flex-no-identity": {"MO001"},
}


def _copy_with(tmp_path, edits):
    root = tmp_path / "tree"
    shutil.copytree(GOOD, root)
    for rel, old, new in edits:
        path = root / rel
        text = path.read_text()
        assert old in text, f"bad case does not apply: {old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1))
    return str(root)


def _findings(root):
    [model] = env_models(root, ["test"])
    return run_rules(model, POLICY)


def test_good_fixture_is_clean():
    findings = _findings(GOOD)
    assert findings == [], "\n".join(f.line_text() for f in findings)


@pytest.mark.parametrize("case_id, rule_id, edits, phrase", BAD, ids=[b[0] for b in BAD])
def test_bad_fixture_fires(tmp_path, case_id, rule_id, edits, phrase):
    findings = _findings(_copy_with(tmp_path, edits))
    fired = {f.rule_id for f in findings}
    assert rule_id in fired, f"{rule_id} did not fire; got:\n" + "\n".join(f.line_text() for f in findings)
    assert fired <= {rule_id} | ALSO.get(case_id, set()), "unexpected rules fired:\n" + "\n".join(
        f.line_text() for f in findings if f.rule_id != rule_id)
    texts = [f.line_text() for f in findings if f.rule_id == rule_id]
    assert any(phrase in t for t in texts), f"no {rule_id} finding mentions {phrase!r}:\n" + "\n".join(texts)


def test_every_rule_has_a_bad_case():
    assert {b[1] for b in BAD} == set(RULES), set(RULES) ^ {b[1] for b in BAD}


def test_finding_line_format(tmp_path):
    edit = ("main.tf", "local_auth_enabled    = false", "local_auth_enabled    = true")
    [f] = [f for f in _findings(_copy_with(tmp_path, [edit])) if f.rule_id == "OA001"]
    assert f.line_text().startswith("FAIL OA001 [test] azurerm_cognitive_account.main.local_auth_enabled (main.tf:")
    assert " - fix: " in f.line_text()
