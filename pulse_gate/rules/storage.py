"""Storage accounts: no shared keys, Entra ID by default, encrypted transport, nothing public."""
from .base import expect_each, is_false, is_true, rule

SA = ("azurerm_storage_account",)


def _each(model, rule_id, attribute, ok, want, hint):
    return expect_each(rule_id, model, SA, attribute, ok, want, hint)


@rule("ST001", "storage_shared_key_disabled", "Storage account shared keys are disabled")
def shared_key(model, policy):
    return _each(model, "ST001", "shared_access_key_enabled", is_false, "false",
                 "set shared_access_key_enabled = false (storage_account_shared_access_key_enabled in tfvars); "
                 "apps authenticate with their managed identity")


@rule("ST002", "storage_oauth_default", "Storage account defaults to Entra ID (OAuth) in the portal and tools")
def oauth_default(model, policy):
    return _each(model, "ST002", "default_to_oauth_authentication", is_true, "true",
                 "set default_to_oauth_authentication = true (storage_default_oauth_authentication in tfvars)")


@rule("ST003", "storage_https_only", "Storage account accepts HTTPS only")
def https_only(model, policy):
    return _each(model, "ST003", "https_traffic_only_enabled", is_true, "true",
                 "set https_traffic_only_enabled = true (the 4.x name of enable_https_traffic_only)")


TLS_OK = {"TLS1_2", "TLS1_3"}


@rule("ST004", "storage_tls12", "Storage account requires TLS 1.2 or newer")
def tls(model, policy):
    return _each(model, "ST004", "min_tls_version", lambda v: v in TLS_OK, "TLS1_2 or newer",
                 'set min_tls_version = "TLS1_2"')


@rule("ST005", "storage_no_public_nested_items", "Storage account allows no public blobs or containers")
def no_public(model, policy):
    return _each(model, "ST005", "allow_nested_items_to_be_public", is_false, "false",
                 "set allow_nested_items_to_be_public = false")


@rule("ST006", "storage_local_users_off", "Storage account local users (and so SFTP passwords/keys) are off")
def local_users(model, policy):
    out = _each(model, "ST006", "local_user_enabled", is_false, "false", "set local_user_enabled = false")
    return out + _each(model, "ST006", "sftp_enabled", is_false, "false", "set sftp_enabled = false")
