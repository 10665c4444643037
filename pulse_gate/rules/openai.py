"""Azure OpenAI (cognitive accounts): no API keys, and a custom subdomain so Entra ID tokens work."""
from ..values import Ref, Unknown
from .base import expect_each, finding, is_false, rule

CA = "azurerm_cognitive_account"


@rule("OA001", "openai_local_auth_disabled", "Cognitive account API keys are disabled")
def local_auth(model, policy):
    return expect_each("OA001", model, (CA,), "local_auth_enabled", is_false, "false",
                       "set local_auth_enabled = false; apps call with a token (Cognitive Services OpenAI User)")


@rule("OA002", "openai_custom_subdomain", "Cognitive account has a custom subdomain (required for Entra ID auth)")
def subdomain(model, policy):
    out = []
    for res in model.of_type(CA):
        value = res.get("custom_subdomain_name")
        if isinstance(value, (Unknown, Ref)) or (isinstance(value, str) and value.strip()):
            continue   # a computed name is still a name; it only has to be there
        out.append(finding("OA002", model, res, "custom_subdomain_name",
                           "custom_subdomain_name is not set; Entra ID token authentication needs it",
                           "set custom_subdomain_name (changing it later replaces the account)"))
    return out
