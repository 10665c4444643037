terraform {
  backend "azurerm" {
    storage_account_name = "sttfstate"
    container_name       = "tfstate"
    key                  = "example.tfstate"
    use_azuread_auth     = true
  }
}
