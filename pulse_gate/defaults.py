"""azurerm 4.x defaults for arguments the rules read, when the configuration leaves them out.

Many are the insecure choice (shared keys on, local auth on, OAuth off), which is why absence must never read
as "fine". Sources: AZURE_FACTS.md and the azurerm 4.55 documentation.
"""

DEFAULTS = {
    "azurerm_storage_account": {
        "shared_access_key_enabled": True,
        "default_to_oauth_authentication": False,
        "https_traffic_only_enabled": True,
        "min_tls_version": "TLS1_2",
        "allow_nested_items_to_be_public": True,
        "public_network_access_enabled": True,
        "local_user_enabled": True,
        "sftp_enabled": False,
    },
    "azurerm_cognitive_account": {
        "local_auth_enabled": True,
        "public_network_access_enabled": True,
    },
    # The same account as a cognitive account, under 4.x's other names (azurerm 4.55 docs: "Defaults to true").
    "azurerm_ai_services": {
        "local_authentication_enabled": True,
        "public_network_access": "Enabled",
    },
    "azurerm_postgresql_flexible_server": {
        "authentication.active_directory_auth_enabled": False,
        "authentication.password_auth_enabled": True,
        "public_network_access_enabled": True,
    },
    "azurerm_key_vault": {
        "rbac_authorization_enabled": False,
        "enable_rbac_authorization": False,
        "purge_protection_enabled": False,
    },
    "azurerm_application_insights": {
        "local_authentication_disabled": False,
    },
}

# The same defaults on all eight app types (Linux/Windows, web/function, app/slot): azurerm 4.55 docs of each.
_APP = {
    "https_only": False,
    "ftp_publish_basic_authentication_enabled": True,
    "webdeploy_publish_basic_authentication_enabled": True,
    "client_certificate_enabled": False,
    "site_config.ftps_state": "Disabled",
    "site_config.minimum_tls_version": "1.2",
    "site_config.scm_minimum_tls_version": "1.2",
    "site_config.remote_debugging_enabled": False,
    "site_config.http2_enabled": False,
}
_FUNCTION = {**_APP, "storage_uses_managed_identity": False, "builtin_logging_enabled": True}
for _t in ("azurerm_linux_web_app", "azurerm_windows_web_app", "azurerm_linux_web_app_slot",
           "azurerm_windows_web_app_slot"):
    DEFAULTS[_t] = _APP
for _t in ("azurerm_linux_function_app", "azurerm_windows_function_app", "azurerm_linux_function_app_slot",
           "azurerm_windows_function_app_slot"):
    DEFAULTS[_t] = _FUNCTION
DEFAULTS["azurerm_function_app_flex_consumption"] = {
    "https_only": False,
    "webdeploy_publish_basic_authentication_enabled": True,
    "site_config.minimum_tls_version": "1.2",
    "site_config.scm_minimum_tls_version": "1.2",
    "site_config.remote_debugging_enabled": False,
}


def default_for(resource_type: str, path: str):
    return DEFAULTS.get(resource_type, {}).get(path)
