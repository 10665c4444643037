# terraform init -backend-config=envs/dev/backend.hcl
# Entra ID auth to the state account (the deployer needs Storage Blob Data Contributor on it). CI adds
# ARM_USE_OIDC=true (or use_oidc = true). No access_key, no sas_token, no resource_group_name (with it the backend
# would list account keys).
storage_account_name = "stpulsetfstatedev"
container_name       = "tfstate"
key                  = "pulse/dev.terraform.tfstate"
use_azuread_auth     = true
