# The same network written here, or in a module with a local source (source = "./modules/network")
resource "azurerm_virtual_network" "example" {
  name                = "vnet-example"
  resource_group_name = "rg-example"
  location            = "westeurope"
  address_space       = ["10.0.0.0/16"]
}
