terraform {
  backend "azurerm" {
    storage_account_name = "sttfstate"
    container_name       = "tfstate"
    key                  = "example.tfstate"
    sas_token            = "not-a-real-token" # test fixture, not a secret
  }
}
