module "network" {
  source  = "Azure/avm-res-network-virtualnetwork/azurerm"
  version = "0.8.1"

  name                = "vnet-example"
  resource_group_name = "rg-example"
  location            = "westeurope"
}
