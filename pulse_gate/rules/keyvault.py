"""Key Vault: RBAC authorization, purge protection, and no access policies beside RBAC."""
from ..values import Ref, Unknown, describe
from .base import is_true, rule

KV = "azurerm_key_vault"


@rule("KV001", "keyvault_rbac", "Key Vault uses Azure RBAC, not access policies", resource_types=(KV,),
      rationale="Access policies are vault-wide, cannot be scoped to one secret, and are granted by anyone with "
                "Contributor on the vault; Azure RBAC is scoped, audited and granted only by access administrators.",
      learn_url="https://learn.microsoft.com/azure/key-vault/general/rbac-guide")
def rbac(rule, model, policy):
    out = []
    for res in model.of_type(KV):
        # Either 4.x name: rbac_authorization_enabled (4.42+) or the deprecated enable_rbac_authorization.
        attr = "rbac_authorization_enabled" if res.is_set("rbac_authorization_enabled") or not res.is_set(
            "enable_rbac_authorization") else "enable_rbac_authorization"
        out += rule.expect(model, res, attr, is_true, "true", "set rbac_authorization_enabled = true")
    return out


@rule("KV002", "keyvault_purge_protection", "Key Vault has purge protection", resource_types=(KV,),
      rationale="Without purge protection a deleted vault or secret can be purged at once, by mistake or by an "
                "attacker, before anyone can recover it.",
      learn_url="https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview")
def purge(rule, model, policy):
    return rule.expect_each(model, (KV,), "purge_protection_enabled", is_true, "true",
                       "set purge_protection_enabled = true")


@rule("KV003", "keyvault_no_access_policies", "Key Vault grants no access through access policies",
      resource_types=(KV, "azurerm_key_vault_access_policy"),
      rationale="An access policy grants access outside Azure RBAC, where the role assignment rules cannot see it.",
      learn_url="https://learn.microsoft.com/azure/key-vault/general/rbac-migration")
def no_access_policies(rule, model, policy):
    out = []
    for res in model.of_type(KV):
        blocks = res.blocks("access_policy")
        if blocks:
            out.append(rule.finding(model, res, "access_policy",
                               f"{len(blocks)} access_policy block(s) grant access outside RBAC",
                               "remove access_policy blocks; grant Key Vault Secrets User with a role assignment"))
    for res in model.of_type("azurerm_key_vault_access_policy"):
        kv = res.get("key_vault_id")
        out.append(rule.finding(model, res, "key_vault_id",
                           f"access policy on {describe(kv) if isinstance(kv, (Ref, Unknown)) else kv} grants "
                           "access outside RBAC",
                           "delete the azurerm_key_vault_access_policy; use a role assignment"))
    return out
