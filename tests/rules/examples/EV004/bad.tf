# A storage account written as an ARM request body: allowSharedKeyAccess is read by no rule.
resource "azapi_resource" "storage" {
  type      = "Microsoft.Storage/storageAccounts@2023-05-01"
  name      = "stexample"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-example"
  location  = "westeurope"
  body = {
    kind       = "StorageV2"
    sku        = { name = "Standard_ZRS" }
    properties = { allowSharedKeyAccess = true }
  }
}
