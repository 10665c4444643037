# staging: production-like network (private endpoints, no public data-plane access) on smaller SKUs.
# Secrets are never here: CI supplies TF_VAR_nextauth_secret and TF_VAR_azure_ad_client_secret.
# terraform apply must run from a network that reaches the Key Vault private endpoint (self-hosted runner in or
# peered with the VNet): the two secrets are written over the Key Vault data plane.

environment  = "staging"
location     = "swedencentral"
project_name = "pulse"
name_suffix  = "k7q2"

tags = {
  owner               = "pulse-platform"
  cost_center         = "pulse-staging"
  data_classification = "confidential"
}

# Keyless toggles, set explicitly to their secure values so a reviewer sees them.
storage_account_shared_access_key_enabled = false
storage_default_oauth_authentication      = true
storage_use_managed_identity              = true
openai_use_managed_identity               = true
postgres_use_managed_identity             = true

vnet_address_space            = "10.20.0.0/16"
public_network_access_enabled = false
private_endpoints_enabled     = true

app_service_plan_sku_name               = "P0v3"
app_service_plan_worker_count           = 1
app_service_plan_zone_balancing_enabled = false

storage_replication_type     = "ZRS"
log_analytics_retention_days = 60

openai_capacity_overrides = {
  core_chat      = 30
  high_reasoning = 10
}

postgres_sku_name                     = "GP_Standard_D2ds_v5"
postgres_storage_mb                   = 65536
postgres_zone                         = "1"
postgres_backup_retention_days        = 14
postgres_geo_redundant_backup_enabled = false

# Entra ID (object ids and client ids are not secrets). Replace the placeholders with the real ids.
postgres_entra_admin_group_object_id = "00000000-0000-0000-0000-000000000000"
postgres_entra_admin_group_name      = "sg-pulse-staging-postgres-admins"
azure_ad_client_id                   = "00000000-0000-0000-0000-000000000000"

# Key-use alert receivers. Placeholders on the reserved .invalid domain (RFC 2606), never a real mailbox in the
# repository: replace them with the team's distribution list when deploying.
key_use_alert_email_receivers = {
  platform_ops = "pulse-staging-ops@example.invalid"
}
