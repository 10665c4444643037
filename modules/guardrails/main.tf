locals {
  # Built-in Azure Policy definitions, by id, with the effect each offers besides Disabled (source: the public
  # Azure/azure-policy repository, built-in-policies/policyDefinitions/<path>; the gate's policy data cites each).
  # audit: the definition's audit effect; deny: whether it also offers Deny.
  definitions = {
    storage_shared_key_access = { # Storage/StorageAccountAllowSharedKeyAccess_Audit.json
      id = "8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54", audit = "Audit", deny = true
    }
    ai_services_local_auth = { # Azure Ai Services/DisableLocalAuth_Audit.json
      id = "71ef260a-8f18-47b7-abcb-62d0673d94dc", audit = "Audit", deny = true
    }
    key_vault_rbac = { # Key Vault/Should_Use_RBAC.json
      id = "12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5", audit = "Audit", deny = true
    }
    postgres_entra_only = { # SQL/PostgreSQL_FlexibleServers_EnableEntraOnlyAuthentication_Audit.json (preview)
      id = "fa498b91-8a7e-4710-9578-da944c68d1fe", audit = "Audit", deny = false
    }
    app_insights_entra_ingestion = { # Monitoring/ApplicationInsightsComponents_DisableLocalAuth_Deny.json
      id = "199d5677-e4d9-4264-9465-efe1839c06bd", audit = "Audit", deny = true
    }
    web_app_managed_identity = { # App Service/UseManagedIdentity_WebApp_Audit.json
      id = "2b9ad585-36bc-4615-b300-fd4435808332", audit = "AuditIfNotExists", deny = false
    }
    function_app_managed_identity = { # App Service/UseManagedIdentity_FunctionApp_Audit.json
      id = "0da106f2-4ca3-48e8-bc85-c638fe6aea8f", audit = "AuditIfNotExists", deny = false
    }
  }
}

# Azure itself refuses (Deny) or reports (Audit) a resource that turns a key back on, whatever created it: a portal
# click, another pipeline, a script. Scoped to the platform's resource group.
resource "azurerm_resource_group_policy_assignment" "this" {
  for_each = local.definitions

  name                 = "pulse-${replace(each.key, "_", "-")}"
  resource_group_id    = var.resource_group_id
  policy_definition_id = "/providers/Microsoft.Authorization/policyDefinitions/${each.value.id}"
  description          = "Keyless guardrail (modules/guardrails): ${each.key}."
  enforce              = true

  parameters = jsonencode({
    effect = { value = var.deny_enabled && each.value.deny ? "Deny" : each.value.audit }
  })
}
