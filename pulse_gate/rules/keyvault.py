"""Key Vault: RBAC authorization, purge protection, and no access policies beside RBAC."""
from ..values import Ref, Unknown, describe
from .base import expect, expect_each, finding, is_true, rule

KV = "azurerm_key_vault"


@rule("KV001", "keyvault_rbac", "Key Vault uses Azure RBAC, not access policies")
def rbac(model, policy):
    out = []
    for res in model.of_type(KV):
        # Either 4.x name: rbac_authorization_enabled (4.42+) or the deprecated enable_rbac_authorization.
        attr = "rbac_authorization_enabled" if res.is_set("rbac_authorization_enabled") or not res.is_set(
            "enable_rbac_authorization") else "enable_rbac_authorization"
        out += expect("KV001", model, res, attr, is_true, "true", "set rbac_authorization_enabled = true")
    return out


@rule("KV002", "keyvault_purge_protection", "Key Vault has purge protection")
def purge(model, policy):
    return expect_each("KV002", model, (KV,), "purge_protection_enabled", is_true, "true",
                       "set purge_protection_enabled = true")


@rule("KV003", "keyvault_no_access_policies", "Key Vault grants no access through access policies")
def no_access_policies(model, policy):
    out = []
    for res in model.of_type(KV):
        blocks = res.blocks("access_policy")
        if blocks:
            out.append(finding("KV003", model, res, "access_policy",
                               f"{len(blocks)} access_policy block(s) grant access outside RBAC",
                               "remove access_policy blocks; grant Key Vault Secrets User with a role assignment"))
    for res in model.of_type("azurerm_key_vault_access_policy"):
        kv = res.get("key_vault_id")
        out.append(finding("KV003", model, res, "key_vault_id",
                           f"access policy on {describe(kv) if isinstance(kv, (Ref, Unknown)) else kv} grants "
                           "access outside RBAC",
                           "delete the azurerm_key_vault_access_policy; use a role assignment in modules/rbac"))
    return out
