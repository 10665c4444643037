"""Storage accounts: no shared keys, Entra ID by default, encrypted transport, nothing public."""
from .base import is_false, is_true, rule

SA = ("azurerm_storage_account",)


def _each(rule, model, attribute, ok, want, hint):
    return rule.expect_each(model, SA, attribute, ok, want, hint)


@rule("ST001", "storage_shared_key_disabled", "Storage account shared keys are disabled", resource_types=SA,
      learn_url="https://learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent")
def shared_key(rule, model, policy):
    """An account key grants full access to every service of the account, to anyone holding it, with no identity
    in the logs; the azurerm default keeps keys on. With keys off, only Entra ID identities with RBAC roles get in."""
    return _each(rule, model, "shared_access_key_enabled", is_false, "false",
                 "set shared_access_key_enabled = false; apps authenticate with their managed identity")


@rule("ST002", "storage_oauth_default", "Storage account defaults to Entra ID (OAuth) in the portal and tools",
      resource_types=SA, severity="warning",
      learn_url="https://learn.microsoft.com/azure/storage/blobs/authorize-data-operations-portal")
def oauth_default(rule, model, policy):
    """Without it the portal and tools try the account key first, which fails once keys are off and invites
    turning them back on. A warning: it opens no access path by itself."""
    return _each(rule, model, "default_to_oauth_authentication", is_true, "true",
                 "set default_to_oauth_authentication = true")


@rule("ST003", "storage_https_only", "Storage account accepts HTTPS only", resource_types=SA,
      rationale="Secure transfer required: requests over plain HTTP (tokens and data in clear text) are refused.",
      learn_url="https://learn.microsoft.com/azure/storage/common/storage-require-secure-transfer")
def https_only(rule, model, policy):
    return _each(rule, model, "https_traffic_only_enabled", is_true, "true",
                 "set https_traffic_only_enabled = true (the 4.x name of enable_https_traffic_only)")


TLS_OK = {"TLS1_2", "TLS1_3"}


@rule("ST004", "storage_tls12", "Storage account requires TLS 1.2 or newer", resource_types=SA,
      rationale="TLS 1.0 and 1.1 have known weaknesses and are retired by Azure Storage.",
      learn_url="https://learn.microsoft.com/azure/storage/common/transport-layer-security-configure-minimum-version")
def tls(rule, model, policy):
    return _each(rule, model, "min_tls_version", lambda v: v in TLS_OK, "TLS1_2 or newer",
                 'set min_tls_version = "TLS1_2"')


@rule("ST005", "storage_no_public_nested_items", "Storage account allows no public blobs or containers",
      resource_types=SA,
      rationale="Anonymous read access needs no credential at all; with it disallowed on the account no container "
                "can be made public.",
      learn_url="https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-prevent")
def no_public(rule, model, policy):
    return _each(rule, model, "allow_nested_items_to_be_public", is_false, "false",
                 "set allow_nested_items_to_be_public = false")


@rule("ST006", "storage_local_users_off", "Storage account local users (and so SFTP passwords/keys) are off",
      resource_types=SA,
      rationale="Local users authenticate with passwords or SSH keys outside Entra ID and RBAC (SFTP needs them).",
      learn_url="https://learn.microsoft.com/azure/storage/blobs/secure-file-transfer-protocol-support")
def local_users(rule, model, policy):
    out = _each(rule, model, "local_user_enabled", is_false, "false", "set local_user_enabled = false")
    return out + _each(rule, model, "sftp_enabled", is_false, "false", "set sftp_enabled = false")
