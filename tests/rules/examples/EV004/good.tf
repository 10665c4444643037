# azapi for what azurerm does not model, and not keyless-relevant: a resource group's tags.
resource "azapi_update_resource" "tags" {
  type        = "Microsoft.Resources/resourceGroups@2024-03-01"
  resource_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-example"
  body = {
    tags = { owner = "platform" }
  }
}
