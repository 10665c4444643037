terraform {
  # 1.11+: write-only arguments (azurerm_key_vault_secret.value_wo) and ephemeral input variables (1.10+).
  # 1.9+ alone would cover the cross-variable validations used in this configuration.
  required_version = ">= 1.11"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 4.55, < 5.0"
    }
  }
}
