"""Azure AI services accounts (Azure OpenAI and every other kind): no API keys, and a custom subdomain so Entra ID
tokens work.

Both azurerm types manage the same ARM resource, Microsoft.CognitiveServices/accounts: `azurerm_cognitive_account`
(any `kind`: OpenAI, CognitiveServices, SpeechServices, ...) and `azurerm_ai_services` (kind AIServices, the
Foundry multi-service account). Both hand out two account keys unless local auth is off, so both are held to the
same rules whatever the kind.
"""
from ..values import Ref, Unknown
from .base import is_false, rule

CA = "azurerm_cognitive_account"
AI = "azurerm_ai_services"
# One ARM property (disableLocalAuth), two provider names; both default to keys on (pulse_gate/defaults.py).
LOCAL_AUTH = {CA: "local_auth_enabled", AI: "local_authentication_enabled"}
# The data-plane role an app calls each kind with instead of a key (none of them can list keys); named in the fix.
TOKEN_ROLE = {"OpenAI": "Cognitive Services OpenAI User", "SpeechServices": "Cognitive Services Speech User"}


def _token_hint(res) -> str:
    kind = res.get("kind")
    role = TOKEN_ROLE.get(kind) if isinstance(kind, str) else None
    if role:
        return f"apps call with a token ({role})"
    return "apps call with a token through the service's data-plane role (not Cognitive Services User: it lists keys)"


@rule("OA001", "openai_local_auth_disabled", "AI services accounts (every cognitive kind, ai_services) accept no keys",
      resource_types=(CA, AI), learn_url="https://learn.microsoft.com/azure/ai-services/disable-local-auth")
def local_auth(rule, model, policy):
    """Every kind and azurerm_ai_services: a key works against every API of the account, for anyone holding it, and
    Azure Policy 71ef260a ("Azure AI Services resources should have key access disabled") applies to
    Microsoft.CognitiveServices/accounts of every kind; every kind accepts Entra ID tokens instead."""
    out = []
    for res in model.of_type(CA, AI):
        attribute = LOCAL_AUTH[res.type]
        out += rule.expect(model, res, attribute, is_false, "false",
                      f"set {attribute} = false; {_token_hint(res)}")
    return out


@rule("OA002", "openai_custom_subdomain", "AI services accounts have a custom subdomain (required for Entra ID auth)",
      resource_types=(CA, AI), severity="warning",
      learn_url="https://learn.microsoft.com/azure/ai-services/cognitive-services-custom-subdomains")
def subdomain(rule, model, policy):
    """Every kind and azurerm_ai_services: Entra ID tokens are accepted only on the account's own endpoint
    (https://<custom subdomain>.cognitiveservices.azure.com), never on the shared regional one (Learn: "Custom
    subdomain names for Azure AI services", required "to enable features like Microsoft Entra ID"); with local
    auth off (OA001) an account without one cannot be called at all. Speech is no exception: its Entra ID
    authentication also needs the custom domain. A warning: without it the account fails closed (nothing can call
    it), it does not open up."""
    out = []
    for res in model.of_type(CA, AI):
        value = res.get("custom_subdomain_name")
        if isinstance(value, (Unknown, Ref)) or (isinstance(value, str) and value.strip()):
            continue   # a computed name is still a name; it only has to be there
        out.append(rule.finding(model, res, "custom_subdomain_name",
                           "custom_subdomain_name is not set; Entra ID token authentication needs it",
                           "set custom_subdomain_name (changing it later replaces the account)"))
    return out
