"""Web and Function apps: managed identity, identity-based host storage, no credential in settings, hardened."""
from __future__ import annotations

import re

from ..values import Ref, Unknown, describe
from .base import expect, expect_each, finding, is_false, is_true, rule

# Linux and Windows apps and their slots: azurerm 4.55 gives all eight the same names for every argument these rules
# read (site_config differs only in *_fx_version and the container registry settings), so each rule reads them all.
WEB = ("azurerm_linux_web_app", "azurerm_windows_web_app", "azurerm_linux_web_app_slot",
       "azurerm_windows_web_app_slot")
FUNC = ("azurerm_linux_function_app", "azurerm_windows_function_app", "azurerm_linux_function_app_slot",
        "azurerm_windows_function_app_slot")
APPS = WEB + FUNC
# Flex Consumption: its own resource type, with the host storage auth as an argument and no FTP at all (no
# ftps_state, no ftp_publish_basic_authentication_enabled); its site_config has the TLS and remote debugging ones.
FLEX = "azurerm_function_app_flex_consumption"
# A slot runs on its parent app's plan unless it names one itself (service_plan_id is optional on slots).
PARENT_APP = {"azurerm_linux_function_app_slot": "function_app_id",
              "azurerm_windows_function_app_slot": "function_app_id"}
IDENTITY_STORAGE_AUTH = ("SystemAssignedIdentity", "UserAssignedIdentity")

# Plans whose function apps need an Azure Files content share, which has no identity-based access.
KEYED_PLAN_SKUS = re.compile(r"^(Y1|EP\d+|WS\d+)$", re.I)
CONTENT_SHARE_SETTINGS = ("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTSHARE")

CREDENTIAL_VALUE = re.compile(
    r"AccountKey=|SharedAccessSignature=|[?&;]sig=|SharedAccessKey=|Password=|Pwd=|"
    r"[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.I)
SECRET_ATTRIBUTES = re.compile(
    r"(^|\.)(primary|secondary)_(access_key|key|connection_string|blob_connection_string)$|"
    r"(^|\.)(primary|secondary)_[a-z_]*connection_string$|(^|\.)(administrator_password|instrumentation_key)$|"
    r"(^|\.)(connection_string|primary_key|secondary_key|value|password|client_secret)$")
KV_REFERENCE = re.compile(r"^@Microsoft\.KeyVault\((SecretUri=https://|VaultName=)", re.I)


CREDENTIAL_WORDS = ("KEY", "SECRET", "PASSWORD", "PASSWD", "PWD", "TOKEN", "SAS", "APIKEY")
# Words that may follow the credential word without changing what the setting holds (STORAGE_KEY_1, API_KEY_B64).
QUALIFIERS = {"VALUE", "B64", "BASE64", "PRIMARY", "SECONDARY", "1", "2"}


def credential_named(name: str) -> bool:
    """Named like a key, secret, password, token or connection string.

    The credential word has to end the name (qualifiers aside): KEY_VAULT_NAME, AZURE_KEYVAULT_URI or
    SHARED_ACCESS_KEY_ENABLED name something else."""
    words = [w.upper() for w in re.split(r"[_\-.:]+|(?<=[a-z0-9])(?=[A-Z])", name) if w]
    joined = "".join(words)
    if "CONNECTIONSTRING" in joined or "CONNSTR" in joined or name == "AzureWebJobsStorage":
        return True
    while words and words[-1] in QUALIFIERS:
        words.pop()
    if words[-2:-1] == ["PUBLIC"] or (words and words[-1].startswith("PUBLIC")):
        return False   # a public key (ssh_public_key) is published by design
    return bool(words) and (words[-1] in CREDENTIAL_WORDS
                            or words[-1].endswith(("KEY", "SECRET", "PASSWORD", "TOKEN")))


def _value_problem(value) -> str | None:
    """Why a setting's value is a credential, or None."""
    if isinstance(value, Ref):
        if SECRET_ATTRIBUTES.search(value.path):
            return f"is {value}, a secret-bearing attribute"
        return None
    if isinstance(value, Unknown):
        for ref in value.refs:
            if SECRET_ATTRIBUTES.search(ref.path):
                return f"embeds {ref}, a secret-bearing attribute"
        text = value.text or ""
    else:
        text = value if isinstance(value, str) else ""
    m = CREDENTIAL_VALUE.search(text)
    return f"contains {m.group(0).rstrip('=')!r}-style credential material" if m else None


def _excepted(name: str, value, exceptions, model) -> bool:
    for ex in exceptions:
        if ex.setting == name and isinstance(value, Ref) and value.path == ex.attribute:
            target = model.by_address(value.address)
            if target is not None and target.type == ex.resource_type:
                return True
    return False


def _settings(res):
    settings = res.get("app_settings")
    return settings if isinstance(settings, dict) else {}


@rule("AP001", "app_managed_identity", "Web and Function apps have a managed identity", resource_types=APPS + (FLEX,),
      learn_url="https://learn.microsoft.com/azure/app-service/overview-managed-identity")
def identity(rule, model, policy):
    """Without a managed identity an app can reach storage, AI services, Key Vault or a database only with a key,
    a password or a connection string held in its settings."""
    return rule.expect_each(model, APPS + (FLEX,), "identity.type",
                       lambda v: isinstance(v, str) and ("SystemAssigned" in v or "UserAssigned" in v),
                       "SystemAssigned (or UserAssigned)", 'add identity { type = "SystemAssigned" }')


@rule("AP002", "function_host_storage_identity", "The Functions host reaches its storage with its identity",
      resource_types=FUNC + (FLEX,),
      learn_url="https://learn.microsoft.com/azure/azure-functions/functions-reference"
                "#connecting-to-host-storage-with-an-identity")
def host_storage(rule, model, policy):
    """The Functions host's own storage (AzureWebJobsStorage) defaults to an account key in a connection string;
    with storage_uses_managed_identity (or an identity storage_authentication_type on Flex Consumption) it uses
    the app's identity and the account can keep shared keys off."""
    out = []
    for res in model.of_type(*FUNC):
        out += rule.expect(model, res, "storage_uses_managed_identity", is_true, "true",
                      "set storage_uses_managed_identity = true and remove storage_account_access_key")
        for attr in ("storage_account_access_key", "storage_key_vault_secret_id"):
            if res.get(attr) is not None:
                out.append(rule.finding(model, res, attr, f"{attr} is set: the host would use an account key",
                                   f"remove {attr}; use storage_uses_managed_identity = true"))
        out += rule.expect(model, res, "identity.type",
                      lambda v: isinstance(v, str) and "SystemAssigned" in v, "SystemAssigned",
                      "identity-based host storage works with the system-assigned identity only (azurerm #24730)")
    for res in model.of_type(FLEX):
        out += rule.expect(model, res, "storage_authentication_type", lambda v: v in IDENTITY_STORAGE_AUTH,
                      " or ".join(IDENTITY_STORAGE_AUTH),
                      'set storage_authentication_type = "SystemAssignedIdentity" and remove storage_access_key')
        if res.get("storage_access_key") is not None:
            out.append(rule.finding(model, res, "storage_access_key",
                               "storage_access_key is set: the host would use an account key",
                               "remove storage_access_key; use an identity storage_authentication_type"))
    return out


@rule("AP003", "function_plan_supports_identity_storage", "Function apps run on a plan without a keyed content share",
      resource_types=FUNC + ("azurerm_service_plan",),
      learn_url="https://learn.microsoft.com/azure/azure-functions/storage-considerations")
def plan(rule, model, policy):
    """Consumption (Y1) and Elastic Premium (EP*) plans keep the app's content on an Azure Files share, which is
    reached only with an account key. A slot runs on its parent app's plan unless it names one."""
    out = []
    for res in model.of_type(*FUNC):
        for name in CONTENT_SHARE_SETTINGS:
            if name in _settings(res):
                out.append(rule.finding(model, res, f"app_settings.{name}",
                                   f"{name} configures an Azure Files content share, which only works with keys",
                                   "run on a Dedicated (or Flex Consumption) plan and drop the content share settings"))
        plan_id = _plan_id(model, res)
        if not isinstance(plan_id, Ref):
            out.append(rule.finding(model, res, "service_plan_id",
                               f"cannot prove the plan supports identity-based storage: {describe(plan_id)}",
                               "reference an azurerm_service_plan in this configuration"))
            continue
        plan_res = model.by_address(plan_id.address)
        sku = plan_res.get("sku_name") if plan_res is not None else None
        if not isinstance(sku, str):
            out.append(rule.finding(model, res, "service_plan_id",
                               f"cannot prove the plan supports identity-based storage: sku of {plan_id.address} "
                               f"is {describe(sku)}", "use a Dedicated plan SKU (B*, S*, P*v3)"))
        elif KEYED_PLAN_SKUS.match(sku):
            out.append(rule.finding(model, plan_res, "sku_name",
                               f"{sku} (Consumption/Elastic Premium) needs an Azure Files content share with a key",
                               "use a Dedicated plan SKU (B*, S*, P*v3)"))
    return out


def _plan_id(model, res):
    """The plan an app (or a slot, through its parent app) runs on: a Ref to it, or why it is not known."""
    parent_attr = PARENT_APP.get(res.type)
    if parent_attr is None or res.is_set("service_plan_id"):
        return res.get("service_plan_id")
    parent_id = res.get(parent_attr)
    parent = model.by_address(parent_id.address) if isinstance(parent_id, Ref) and parent_id.path == "id" else None
    if parent is None:
        return Unknown(f"the slot runs on its parent app's plan and {parent_attr} is {describe(parent_id)}")
    return parent.get("service_plan_id")


@rule("AP004", "app_no_credential_settings", "No key, password or connection string in app settings",
      resource_types=APPS + (FLEX,),
      learn_url="https://learn.microsoft.com/azure/app-service/app-service-key-vault-references")
def credentials(rule, model, policy):
    """App settings are readable by anyone with Website Contributor and end up in state and in deployment logs.
    A credential there is a credential shared; what cannot be replaced by the identity belongs in Key Vault,
    referenced as @Microsoft.KeyVault(...) and resolved by the app's identity."""
    out = []
    hint = "use the app's managed identity; keep any remaining secret in Key Vault as @Microsoft.KeyVault(...)"
    for res in model.of_type(*APPS, FLEX):
        settings = res.get("app_settings")
        if isinstance(settings, (Unknown, Ref)):
            out.append(rule.finding(model, res, "app_settings",
                               f"cannot prove app_settings hold no credential: {describe(settings)}", hint))
            continue
        entries = [(f"app_settings.{k}", k, v) for k, v in (settings or {}).items()]
        for i, block in enumerate(res.blocks("connection_string")):
            if isinstance(block, dict):
                entries.append((f"connection_string[{i}].value", "connection string", block.get("value")))
        for attr, name, value in entries:
            if _excepted(name, value, policy.credential_exceptions, model):
                continue
            problem = _value_problem(value)
            if problem:
                out.append(rule.finding(model, res, attr, f"{name} {problem}", hint))
                continue
            if not credential_named(name) and name != "connection string":
                continue
            if isinstance(value, str) and KV_REFERENCE.match(value):
                continue
            if isinstance(value, Unknown) and value.text and KV_REFERENCE.match(value.text):
                continue
            if value in (None, ""):
                continue
            out.append(rule.finding(model, res, attr,
                               f"{name} is named like a credential and is not a Key Vault reference "
                               f"(value: {describe(value) if not isinstance(value, str) else 'a literal'})", hint))
    return out


@rule("AP005", "app_managed_identity_flags", "Every *_USE_MANAGED_IDENTITY app setting is \"true\"",
      resource_types=APPS + (FLEX,),
      learn_url="https://learn.microsoft.com/azure/app-service/overview-managed-identity")
def mi_flags(rule, model, policy):
    """An application switch between identity and key (X_USE_MANAGED_IDENTITY) left at anything but "true" makes
    the app fall back to a key or password it would then have to be given."""
    out = []
    for res in model.of_type(*APPS, FLEX):
        for name, value in sorted(_settings(res).items()):
            if not name.upper().endswith("_USE_MANAGED_IDENTITY"):
                continue
            if isinstance(value, (Unknown, Ref)):
                out.append(rule.finding(model, res, f"app_settings.{name}",
                                   f"cannot prove {name} is \"true\": {describe(value)}", "set it to \"true\""))
            elif str(value).lower() != "true":
                out.append(rule.finding(model, res, f"app_settings.{name}",
                                   f"{name} is {describe(value)}: the app would fall back to a key or password",
                                   "set it to \"true\" (and whatever feeds it)"))
    return out


def _each(rule, model, attribute, ok, want, hint, types=APPS):
    return rule.expect_each(model, types, attribute, ok, want, hint)


@rule("AP006", "app_https_only", "Apps accept HTTPS only", resource_types=APPS + (FLEX,),
      rationale="Plain HTTP exposes tokens and cookies in transit; https_only redirects every request to HTTPS.",
      learn_url="https://learn.microsoft.com/azure/app-service/configure-ssl-bindings#enforce-https")
def https(rule, model, policy):
    return rule.expect_each(model, APPS + (FLEX,), "https_only", is_true, "true", "set https_only = true")


@rule("AP007", "app_ftps_disabled", "Apps allow no plain FTP", resource_types=APPS,
      rationale="Plain FTP sends the publishing credentials and the code in clear text; FTPS or no FTP at all.",
      learn_url="https://learn.microsoft.com/azure/app-service/deploy-ftp#enforce-ftps")
def ftps(rule, model, policy):
    return _each(rule, model, "site_config.ftps_state", lambda v: v in ("Disabled", "FtpsOnly"),
                 "Disabled (or FtpsOnly)", 'set site_config { ftps_state = "Disabled" }')


def _tls_ok(v) -> bool:
    try:
        return float(v) >= 1.2
    except (TypeError, ValueError):
        return False


@rule("AP008", "app_tls12", "Apps require TLS 1.2 or newer", resource_types=APPS + (FLEX,),
      rationale="TLS 1.0 and 1.1 have known weaknesses; both the site and its SCM (Kudu) endpoint need 1.2.",
      learn_url="https://learn.microsoft.com/azure/app-service/configure-ssl-bindings#enforce-tls-versions")
def tls(rule, model, policy):
    out = _each(rule, model, "site_config.minimum_tls_version", _tls_ok, "1.2 or newer",
                'set site_config { minimum_tls_version = "1.2" }', APPS + (FLEX,))
    return out + _each(rule, model, "site_config.scm_minimum_tls_version", _tls_ok, "1.2 or newer",
                       'set site_config { scm_minimum_tls_version = "1.2" }', APPS + (FLEX,))


@rule("AP009", "app_basic_auth_publishing_off", "Apps have FTP and WebDeploy basic-auth publishing off",
      resource_types=APPS + (FLEX,),
      rationale="Basic-auth publishing credentials are a password that deploys code; with them off, deployments "
                "authenticate with Entra ID.",
      learn_url="https://learn.microsoft.com/azure/app-service/configure-basic-auth-disable")
def basic_auth(rule, model, policy):
    out = _each(rule, model, "ftp_publish_basic_authentication_enabled", is_false, "false",
                "set ftp_publish_basic_authentication_enabled = false")
    return out + _each(rule, model, "webdeploy_publish_basic_authentication_enabled", is_false, "false",
                       "set webdeploy_publish_basic_authentication_enabled = false", APPS + (FLEX,))


@rule("AP010", "app_remote_debugging_off", "Apps have remote debugging off", resource_types=APPS + (FLEX,),
      rationale="Remote debugging opens extra ports and lets whoever attaches read the process's memory, tokens "
                "included.",
      learn_url="https://learn.microsoft.com/azure/app-service/overview-security")
def remote_debugging(rule, model, policy):
    return _each(rule, model, "site_config.remote_debugging_enabled", is_false, "false",
                 "set site_config { remote_debugging_enabled = false }", APPS + (FLEX,))
