terraform {
  # Partial configuration, completed per environment:
  #   terraform init -backend-config=envs/<env>/backend.hcl
  # State is read and written with Entra ID (use_azuread_auth = true); no access key, no SAS token.
  backend "azurerm" {}
}
