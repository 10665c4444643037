# dev: cheapest SKUs, public endpoints (no private endpoints), still keyless everywhere.
# Secrets are never here: CI supplies TF_VAR_nextauth_secret and TF_VAR_azure_ad_client_secret.

environment  = "dev"
location     = "swedencentral"
project_name = "pulse"
name_suffix  = "k7q2"

tags = {
  owner               = "pulse-platform"
  cost_center         = "pulse-dev"
  data_classification = "internal"
}

# Keyless toggles, set explicitly to their secure values so a reviewer sees them.
storage_account_shared_access_key_enabled = false
storage_default_oauth_authentication      = true
storage_use_managed_identity              = true
openai_use_managed_identity               = true
postgres_use_managed_identity             = true

# Network: reachable from engineers' machines; PostgreSQL stays private (VNet integration) in every environment.
vnet_address_space            = "10.10.0.0/16"
public_network_access_enabled = true
private_endpoints_enabled     = false

app_service_plan_sku_name               = "B1"
app_service_plan_worker_count           = 1
app_service_plan_zone_balancing_enabled = false

storage_replication_type     = "LRS"
log_analytics_retention_days = 30

openai_capacity_overrides = {
  core_chat      = 10
  high_reasoning = 5
}

postgres_sku_name                     = "B_Standard_B1ms"
postgres_storage_mb                   = 32768
postgres_backup_retention_days        = 7
postgres_geo_redundant_backup_enabled = false

# Entra ID (object ids and client ids are not secrets). Replace the placeholders with the real ids.
postgres_entra_admin_group_object_id = "00000000-0000-0000-0000-000000000000"
postgres_entra_admin_group_name      = "sg-pulse-dev-postgres-admins"
azure_ad_client_id                   = "00000000-0000-0000-0000-000000000000"

# Key-use alert receivers. Placeholders on the reserved .invalid domain (RFC 2606), never a real mailbox in the
# repository: replace them with the team's distribution list when deploying.
key_use_alert_email_receivers = {
  platform_ops = "pulse-dev-ops@example.invalid"
}
