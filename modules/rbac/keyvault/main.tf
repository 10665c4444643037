module "assignment" {
  source = "../assignment"

  caller     = "modules/rbac/keyvault"
  scope_kind = "Key Vault"
  allowed_roles = [
    "Key Vault Secrets User",
    "Key Vault Secrets Officer",
  ]
  scope_id    = var.scope_id
  assignments = var.assignments
}

# State written before the core module existed: move each assignment instead of destroying and recreating it.
moved {
  from = azurerm_role_assignment.this
  to   = module.assignment.azurerm_role_assignment.this
}
