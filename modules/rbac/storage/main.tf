module "assignment" {
  source = "../assignment"

  caller     = "modules/rbac/storage"
  scope_kind = "storage account"
  allowed_roles = [
    "Storage Blob Data Owner",
    "Storage Blob Data Contributor",
    "Storage Blob Data Reader",
    "Storage Queue Data Contributor",
    "Storage Table Data Contributor",
  ]
  scope_id    = var.scope_id
  assignments = var.assignments
}

# State written before the core module existed: move each assignment instead of destroying and recreating it.
moved {
  from = azurerm_role_assignment.this
  to   = module.assignment.azurerm_role_assignment.this
}
