provider "azurerm" {
  # null falls back to ARM_SUBSCRIPTION_ID (CI logs in with OIDC: ARM_USE_OIDC, ARM_CLIENT_ID, ARM_TENANT_ID).
  subscription_id = var.subscription_id

  # Shared keys are disabled on the storage account: the provider must use Entra ID for storage.
  storage_use_azuread = true

  features {
    storage {
      # Do not read queue properties / static website over the data plane (403 KeyBasedAuthenticationNotPermitted).
      data_plane_available = false
    }

    key_vault {
      # Purge protection is on: never try to purge, recover a soft-deleted vault/secret instead of failing.
      purge_soft_delete_on_destroy          = false
      purge_soft_deleted_secrets_on_destroy = false
      recover_soft_deleted_key_vaults       = true
      recover_soft_deleted_secrets          = true
    }

    cognitive_account {
      purge_soft_delete_on_destroy = false
    }

    resource_group {
      prevent_deletion_if_contains_resources = true
    }
  }
}
